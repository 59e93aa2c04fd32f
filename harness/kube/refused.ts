/**
 * Whether the API server refused the suite's credentials (401: not who they say; 403: not allowed,
 * e.g. a ServiceAccount deleted mid-run, which the server then treats as anonymous), in one line
 * with the server's own reason; undefined for any other error. The client library's error message
 * is a whole HTTP dump (body and headers): never what a person should read first.
 */
export function credentialsRefused(e: unknown): string | undefined {
  const code = (e as { code?: unknown }).code;
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
