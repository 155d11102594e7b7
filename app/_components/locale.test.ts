import { describe, expect, it } from "vitest";
import { pickLocale } from "./locale";

describe("pickLocale", () => {
  it("takes the reader's preferred language by weight", () => {
    expect(pickLocale("fr-CH;q=0.5, en-US, de;q=0.9")).toBe("en-US");
    expect(pickLocale("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
  });

  it("falls back to en-GB on a missing, wildcard or malformed header", () => {
    expect(pickLocale(null)).toBe("en-GB");
    expect(pickLocale("*")).toBe("en-GB");
    expect(pickLocale("<script>, ;q=abc")).toBe("en-GB");
  });
});
