import { describe, expect, it } from "vitest";
import { safeReturn } from "@/app/signin/safe-return";

describe("where sign-in sends you back", () => {
  it("keeps paths on this site, with their query", () => {
    expect(safeReturn("/approve/abc")).toBe("/approve/abc");
    expect(safeReturn("/requests?x=1")).toBe("/requests?x=1");
    expect(safeReturn(undefined)).toBe("/");
  });

  it("never sends you to another site", () => {
    for (const evil of ["https://evil.com/", "//evil.com", "/\\evil.com", "/\t/evil.com", "javascript:alert(1)", "http://portal.invalid.evil.com/"]) {
      expect(safeReturn(evil)).toBe("/");
    }
  });
});
