import { describe, expect, it } from "vitest";
import { findUnstorableText, isUnstorable, storableJson, storableText } from "@/server/security/text";

describe("text the database cannot store", () => {
  it("is a NUL or a lone surrogate, not a well-formed pair or ordinary text", () => {
    expect(isUnstorable("a\u0000b")).toBe(true);
    expect(isUnstorable("x\ud800")).toBe(true);
    expect(isUnstorable("\udc00y")).toBe(true);
    expect(isUnstorable("emoji \ud83d\ude00 ok, café, 日本")).toBe(false);
  });

  it("is found anywhere in an input, named by its field path, also in keys and very deep nesting", () => {
    expect(findUnstorableText({ entitlementId: "e1", justification: "bad\u0000" })).toBe("justification");
    expect(findUnstorableText({ items: [{ ok: "fine" }, { name: "\ud800" }] })).toBe("items.1.name");
    expect(findUnstorableText({ "k\u0000": 1 })).toBe("k\u0000");
    expect(findUnstorableText("\ud800")).toBe("input");
    expect(findUnstorableText({ when: new Date(), n: 1, tags: new Set(["a"]), clean: "fine" })).toBeNull();
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.split(".")).toHaveLength(100_000);
  });

  it("is stored as U+FFFD, in NFC, in strings and JSON keys alike", () => {
    expect(storableText("a\u0000b\ud800c")).toBe("a\ufffdb\ufffdc");
    expect(storableText("cafe\u0301")).toBe("café");
    expect(storableJson({ "k\ud800": ["x\u0000", 1, null], at: new Date("2026-01-02T03:04:05Z"), gone: undefined })).toEqual({
      "k\ufffd": ["x\ufffd", 1, null],
      at: "2026-01-02T03:04:05.000Z",
    });
  });
});
