import { describe, expect, it } from "vitest";
import { attributeKey, attributeMatches, matchesRuleAttributes } from "./attributes";

describe("rule attribute matching", () => {
  it("ignores case and spaces at the ends, not in the middle", () => {
    expect(attributeKey("  Engineering\t")).toBe("engineering");
    expect(attributeMatches("engineering", ["ENGINEERING "])).toBe(true);
    expect(attributeMatches("Staff  Engineer", ["staff engineer"])).toBe(false);
    expect(attributeMatches("Enginering", ["Engineering"])).toBe(false);
  });

  it("needs every attribute the rule lists, and a person without one never matches it", () => {
    const rule = { department: ["sales"], location: ["Berlin", "remote"] };
    expect(matchesRuleAttributes({ department: "Sales", location: "REMOTE", title: null }, rule)).toBe(true);
    expect(matchesRuleAttributes({ department: "Sales", location: null }, rule)).toBe(false);
    expect(matchesRuleAttributes({ department: "Finance", location: "Berlin" }, rule)).toBe(false);
    expect(matchesRuleAttributes({ department: null }, {})).toBe(true);
  });
});
