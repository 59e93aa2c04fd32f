// An HTTP GET from inside a pod (busybox nc), its body or why there was none.
import type { Kube } from "./client.js";
import { execInPod } from "./exec.js";

/** The body of a raw HTTP/1.x response, or undefined unless the status is 200. */
export function httpBody(raw: string): string | undefined {
  const [head, ...rest] = raw.split("\r\n\r\n");
  return /^HTTP\/1\.[01] 200 /.test(head ?? "") ? rest.join("\r\n\r\n") : undefined;
}

/**
 * GETs http://<ip>:<port>/ from inside a pod with busybox `nc` (busybox's static `wget`
 * crashes in a scratch image: its glibc name-service lookups have no NSS there).
 */
export async function httpGetFrom(
  kube: Kube,
  namespace: string,
  pod: string,
  container: string,
  ip: string,
  port: number,
): Promise<string | undefined> {
  const script = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${ip} ${port}`;
  const r = await execInPod(kube, namespace, pod, ["sh", "-c", script], container);
  return r.exitCode === 0 ? httpBody(r.stdout) : undefined;
}
