// Credentials the cluster stopped accepting (401/403): told apart, and said in one line.
import { Inconclusive } from "../verdict/verdict.js";

/**
 * Whether the API server refused the suite's credentials (401: not who they say; 403: not allowed,
 * e.g. a ServiceAccount deleted mid-run, which the server then treats as anonymous), in one line
 * with the server's own reason; undefined for any other error. The client library's error message
 * is a whole HTTP dump (body and headers): never what a person should read first.
 */
export function credentialsRefused(e: unknown): string | undefined {
  // An exec or attach (a WebSocket) refused says so only in its message; a wrapped one, in its cause.
  const upgrade = /Unexpected server response: (401|403)\b/.exec(String((e as Error | undefined)?.message ?? ""));
  if (upgrade) return upgrade[1] === "401" ? "HTTP 401 Unauthorized" : "HTTP 403 Forbidden";
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  if (cause !== undefined && cause !== e) {
    const inner = credentialsRefused(cause);
    if (inner) return inner;
  }
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code !== 401 && code !== 403) return undefined;
  const body = (e as { body?: unknown }).body;
  let reason: string | undefined;
  try {
    const parsed: unknown = typeof body === "string" ? JSON.parse(body) : body;
    reason = (parsed as { message?: string } | undefined)?.message;
  } catch {
    reason = typeof body === "string" ? body.slice(0, 200) : undefined;
  }
  return `HTTP ${code} ${code === 401 ? "Unauthorized" : "Forbidden"}${reason ? `: ${reason}` : ""}`;
}

/** The API server's own words in a refusal (its Status's message), else the error's first line. */
export function serverMessage(e: unknown): string {
  const body = (e as { body?: unknown }).body;
  try {
    const parsed: unknown = typeof body === "string" ? JSON.parse(body) : body;
    const message = (parsed as { message?: string } | undefined)?.message;
    if (message) return message;
  } catch {
    // not JSON: the message below
  }
  return String((e as Error | undefined)?.message ?? e).split("\n")[0] ?? "";
}

/** The error a test fails with: a refusal as one inconclusive line with the server's reason, else `e` itself. */
export function oneLineIfRefused(e: unknown): unknown {
  const refused = credentialsRefused(e);
  return refused ? new Inconclusive(`the cluster refused the suite's credentials: ${refused}`) : e;
}
