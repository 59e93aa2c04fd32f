import { describe, expect, test } from "@jest/globals";
import { credentialsRefused } from "./refused.js";

describe("credentials refused by the API server", () => {
  test("a 403 or 401 is one line with the server's reason, not the client's HTTP dump", () => {
    const body = JSON.stringify({
      kind: "Status",
      message: 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces"',
      code: 403,
    });
    expect(
      credentialsRefused({ code: 403, body, message: `HTTP-Code: 403\nMessage: …\nBody: ${body}\nHeaders: {…}` }),
    ).toBe('HTTP 403 Forbidden: namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces"');
    expect(credentialsRefused({ code: 401, body: "Unauthorized" })).toBe("HTTP 401 Unauthorized: Unauthorized");
  });

  test("an exec's WebSocket refused, and a refusal wrapped as the cause of another error, are refusals too", () => {
    expect(credentialsRefused(new Error("Unexpected server response: 401"))).toBe("HTTP 401 Unauthorized");
    const wrapped = new Error("exec in web-1 failed", { cause: { code: 403, body: "{}" } });
    expect(credentialsRefused(wrapped)).toBe("HTTP 403 Forbidden");
  });

  test("other errors are not a refusal", () => {
    expect(credentialsRefused({ code: 404, body: "{}" })).toBeUndefined();
    expect(credentialsRefused(new Error("socket hang up"))).toBeUndefined();
  });
});
