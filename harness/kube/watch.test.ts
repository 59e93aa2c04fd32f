// The watch's resumption across an API server outage, against a stand-in server on localhost: the
// outage is one trouble entry and a count, however long it lasts (a watch that runs for hours
// through outages must not grow by an entry a second).
import { afterEach, describe, expect, test } from "@jest/globals";
import * as k8s from "@kubernetes/client-node";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Kube } from "./client.js";
import { listWatch, type WatchHandle, type WatchTrouble } from "./watch.js";
import { watchOf } from "./watch-of.js";

const pod = (rv: string) => ({ kind: "Pod", metadata: { name: "web-0", namespace: "ns", resourceVersion: rv } });

/** A stand-in API server on `port` (0: any): `handle` answers each request; `close` drops its connections too. */
function apiServer(
  port: number,
  handle: (url: string, res: ServerResponse) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    res.setHeader("Content-Type", "application/json");
    handle(req.url ?? "", res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

const podList = JSON.stringify({ kind: "PodList", metadata: { resourceVersion: "1" }, items: [] });
const event = (type: string, object: object) => `${JSON.stringify({ type, object })}\n`;
const isWatch = (url: string) => url.includes("watch=true");

const kubeAt = (port: number) => {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "u" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return new Kube(kc);
};

let handle: WatchHandle<k8s.V1Pod> | undefined;
afterEach(() => handle?.stop());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)); // eslint-disable-line no-restricted-syntax -- an outage's length

/** Watches the stand-in's pods: the troubles and the versions seen, and a wait for a condition on them. */
async function watchPods(port: number) {
  const troubles: WatchTrouble[] = [];
  const versions: string[] = [];
  let seen = () => undefined as unknown;
  const kube = kubeAt(port);
  handle = await listWatch(kube, watchOf.pods(kube, "ns"), {
    onEvent: (_type, p) => {
      versions.push(p.metadata?.resourceVersion ?? "");
      seen();
    },
    onTrouble: (t) => troubles.push(t),
  });
  const until = (holds: () => boolean) =>
    new Promise<void>((resolve) => {
      seen = () => holds() && resolve();
      if (holds()) resolve();
    });
  return { troubles, versions, until };
}

describe("a watch through an API server outage", () => {
  test("one RESUME_FAILED however many attempts fail, then RESUMED with their count, and no event lost", async () => {
    // the first stream sends an event and ends, and the server goes away: every attempt to resume fails
    let outage: Promise<void> | undefined;
    const first = await apiServer(0, (url, res) => {
      if (!isWatch(url)) return void res.end(podList);
      res.end(event("ADDED", pod("2")));
      outage ??= first.close();
    });
    const { troubles, versions, until } = await watchPods(first.port);
    await outage;
    await pause(3500); // a few paced attempts fail (one a second)
    const second = await apiServer(first.port, (url, res) => void res.write(event("MODIFIED", pod("3"))));
    await until(() => versions.includes("3"));
    handle?.stop();
    await second.close();

    expect(troubles.map((t) => t.kind)).toEqual(["RESUMED", "RESUME_FAILED", "RESUMED"]);
    expect(troubles[2]?.detail).toMatch(/^resumed after ([3-9]|\d\d+) failed attempt\(s\)$/);
    expect(versions).toEqual(["2", "3"]);
  }, 15_000);

  test("one RELIST_FAILED however many re-lists are refused, then their count", async () => {
    // the stream expires (410): the watch lists again, and the server refuses lists for a while
    let refusing = true;
    let watches = 0;
    const server = await apiServer(0, (url, res) => {
      if (isWatch(url)) {
        if (++watches === 1) res.end(event("ERROR", { kind: "Status", code: 410, message: "too old" }));
        else res.write(event("ADDED", pod("5")));
      } else if (watches > 0 && refusing) {
        res.statusCode = 403; // not worth retrying: each re-list fails at once
        res.end(JSON.stringify({ kind: "Status", code: 403, message: "forbidden" }));
      } else res.end(podList);
    });
    const { troubles, versions, until } = await watchPods(server.port);
    await pause(3500);
    refusing = false;
    await until(() => versions.includes("5"));
    handle?.stop();
    await server.close();

    expect(troubles.map((t) => t.kind)).toEqual(["ERROR", "RELIST_FAILED", "RESUMED"]);
    expect(troubles[2]?.detail).toMatch(/^listed again after ([3-9]|\d\d+) failed attempt\(s\)$/);
  }, 15_000);
});
