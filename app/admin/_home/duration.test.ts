import { describe, expect, it } from "vitest";
import { duration } from "@/app/admin/_home/duration";

describe("duration", () => {
  it("uses the largest sensible unit", () => {
    expect(duration(45)).toBe("45 secs");
    expect(duration(240)).toBe("4 mins");
    expect(duration(9_000)).toBe("2.5 hrs");
    expect(duration(3 * 86_400)).toBe("3 days");
  });
  it("follows the reader's locale", () => {
    expect(duration(9_000, "de-DE")).toBe("2,5 Std.");
  });
});
