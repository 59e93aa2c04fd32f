import { describe, expect, test } from "@jest/globals";
import { transient, withRetry } from "./retry.js";

const apiError = (code: number | string, headers?: Record<string, string>) =>
  Object.assign(new Error(`HTTP ${code}`), { code, headers });

describe("retry policy: transient failures only", () => {
  test("classifies API and network failures", () => {
    for (const code of [409, 429, 500, 503, "ECONNRESET"]) expect(transient(apiError(code))).toBe(true);
    for (const code of [400, 403, 404, 422]) expect(transient(apiError(code))).toBe(false);
    expect(transient(new Error("expected web-1 Ready"))).toBe(false);
  });

  test("client-node 2's undici: 'fetch failed' retried by the connection error it was caused by, and only then", () => {
    const cause = (code: string) => Object.assign(new Error(code), { code });
    const failed = (c: Error) => new TypeError("fetch failed", { cause: c });
    const seen = [cause("ECONNREFUSED"), cause("UND_ERR_SOCKET"), new Error("invalid URL")].map(failed).map(transient);
    expect(seen).toEqual([true, true, false]);
  });

  test("retries a conflict, then succeeds", async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      if (calls < 3) throw apiError(409);
      return "ok";
    });
    expect([result, calls]).toEqual(["ok", 3]);
  });

  test("never retries a real failure", async () => {
    let calls = 0;
    const failing = withRetry(async () => {
      calls++;
      throw apiError(422);
    });
    await expect(failing).rejects.toThrow("HTTP 422");
    expect(calls).toBe(1);
  });

  test("honours Retry-After on 429", async () => {
    let calls = 0;
    const started = Date.now();
    await withRetry(async () => {
      if (++calls === 1) throw apiError(429, { "retry-after": "1" });
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
