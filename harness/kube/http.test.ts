import { describe, expect, test } from "@jest/globals";
import { httpBody } from "./http.js";

describe("raw HTTP responses", () => {
  test("the body of a 200", () => {
    expect(httpBody("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nweb-0\n")).toBe("web-0\n");
  });
  test("nothing for other statuses or garbage", () => {
    expect(httpBody("HTTP/1.1 404 Not Found\r\n\r\nnope")).toBeUndefined();
    expect(httpBody("")).toBeUndefined();
  });
});
