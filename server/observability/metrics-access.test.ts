import { describe, expect, it } from "vitest";
import { metricsToken } from "./metrics-access";

// METRICS_TOKEN is the scraper's credential: a short one would be guessable, so it is refused with a
// message saying what to set, and an empty one means unset (admins only).

describe("METRICS_TOKEN", () => {
  it("is the token when it is long enough, unset when empty, and refused with what to do when short", () => {
    expect(metricsToken({ METRICS_TOKEN: "0123456789abcdef01234567" })).toBe("0123456789abcdef01234567");
    expect(metricsToken({ METRICS_TOKEN: "" })).toBeUndefined();
    expect(metricsToken({})).toBeUndefined();
    expect(() => metricsToken({ METRICS_TOKEN: "secret" })).toThrow("METRICS_TOKEN must be at least 24 characters (e.g. openssl rand -hex 32)");
  });
});
