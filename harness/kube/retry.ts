// API calls retried on what is transient (a conflict, a throttle, a server error, a dropped connection), never on an answer.
import pRetry from "p-retry";

/** A connection dropped, refused or timed out: the system's codes, and undici's. */
const connectionCodes = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
];

/** Retries only what is transient: conflicts, throttling, server errors, dropped connections. */
export function transient(e: unknown): boolean {
  const { code, cause } = e as { code?: number | string; cause?: unknown };
  if (typeof code === "number") return code === 409 || code === 429 || code >= 500;
  if (connectionCodes.includes(String(code))) return true;
  // client-node 2 (undici): a dropped connection is a TypeError "fetch failed" whose cause names it
  return typeof cause === "object" && cause !== null && cause !== e && transient(cause);
}

/** Seconds the server asked us to wait (Retry-After on 429/503), if it said. */
function retryAfterMs(e: unknown): number | undefined {
  const headers = (e as { headers?: Record<string, string> }).headers;
  const seconds = Number(headers?.["retry-after"] ?? headers?.["Retry-After"]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

export function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  return pRetry(fn, {
    // About 30 s in all: long enough to ride out an API server restart (about 20 s on kind).
    retries: 10,
    minTimeout: 100,
    maxTimeout: 4000,
    shouldRetry: ({ error }) => transient(error),
    // Throttled: wait as long as the server asked before the next attempt.
    onFailedAttempt: async ({ error }) => {
      const wait = transient(error) ? retryAfterMs(error) : undefined;
      // eslint-disable-next-line no-restricted-syntax -- backoff between retries of a failed request
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    },
  });
}
