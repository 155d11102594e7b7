import { describe, expect, it } from "vitest";
import { ConnectorError, httpError, isRetryableStatus, networkError, parseRetryAfter } from "./errors";

const call = { target: "SCIM target", method: "POST", path: "/Users" };

function fetchFailure(code: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code }) });
}

describe("isRetryableStatus", () => {
  it.each([408, 429, 500, 502, 503, 504])("retries %i", (status) => expect(isRetryableStatus(status)).toBe(true));
  it.each([400, 401, 403, 404, 409, 422, 501])("does not retry %i", (status) => expect(isRetryableStatus(status)).toBe(false));
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-20T10:00:00Z");

  it("reads delay-seconds", () => expect(parseRetryAfter("120", now)).toBe(120_000));
  it("reads an HTTP date as the time left until then", () => {
    expect(parseRetryAfter("Fri, 20 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
  });
  it("treats a date already past as no wait", () => expect(parseRetryAfter("Fri, 20 Nov 2026 09:00:00 GMT", now)).toBe(0));
  it.each([null, undefined, "", "soon", "-5"])("ignores %s", (value) => expect(parseRetryAfter(value, now)).toBeUndefined());
});

describe("httpError", () => {
  it("says who answered what to which call, without the query string", () => {
    const error = httpError({ ...call, method: "GET", path: "/Users?filter=x" }, { status: 503 });
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.message).toBe("SCIM target answered 503 Service Unavailable on GET /Users");
    expect(error).toMatchObject({ retryable: true, status: 503, retryAfterMs: undefined });
  });

  it("carries the target's explanation and the Retry-After delay", () => {
    const error = httpError(call, { status: 429, statusText: "Too Many Requests", retryAfter: "7", detail: "Slow down" });
    expect(error.message).toBe("SCIM target answered 429 Too Many Requests on POST /Users: Slow down");
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7_000 });
  });

  it("does not retry validation or auth failures", () => {
    expect(httpError(call, { status: 400, detail: "userName is required" }).retryable).toBe(false);
    expect(httpError(call, { status: 401 }).message).toBe("SCIM target answered 401 Unauthorized on POST /Users");
  });
});

describe("networkError", () => {
  it.each([
    ["ECONNREFUSED", "SCIM target refused the connection on POST /Users"],
    ["ECONNRESET", "SCIM target dropped the connection on POST /Users"],
    ["EHOSTUNREACH", "SCIM target is unreachable on POST /Users"],
    ["ETIMEDOUT", "SCIM target did not answer in time on POST /Users"],
  ])("retries %s", (code, message) => {
    const error = networkError(call, fetchFailure(code));
    expect(error).toMatchObject({ retryable: true, message, status: undefined });
  });

  it("retries a timeout and names the limit", () => {
    const error = networkError(call, new DOMException("The operation was aborted due to timeout", "TimeoutError"), 250);
    expect(error).toMatchObject({ retryable: true, message: "SCIM target did not answer within 250 ms on POST /Users" });
  });

  it("does not retry a certificate the portal rejects", () => {
    const error = networkError(call, fetchFailure("DEPTH_ZERO_SELF_SIGNED_CERT"));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("TLS certificate");
  });

  it("retries unknown transport failures, explaining them with the innermost cause", () => {
    const error = networkError(call, new TypeError("fetch failed", { cause: new Error("other side closed") }));
    expect(error).toMatchObject({ retryable: true, message: "Could not reach SCIM target on POST /Users: other side closed" });
  });
});
