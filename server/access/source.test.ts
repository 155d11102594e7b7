import { describe, expect, it } from "vitest";
import { describeSource, ruleMatch, type GrantFacts } from "@/server/access/source";

const maya = { id: "maya", name: "Maya Chen", email: "maya@example.com" };
const omar = { id: "omar", name: null, email: "omar@example.com" };
const base: GrantFacts = {
  viewer: { id: "erin", managerId: "maya" },
  entitlement: { profileRole: null, profileName: null },
  request: null,
  itemOf: null,
  membership: null,
};

describe("where a grant came from, in words", () => {
  it("names the approvers once each, or the policy that approved it", () => {
    const request = { id: "r1", policyName: "Manager, then app owner", requestedBy: null, approvers: [maya, omar, maya] };
    expect(describeSource({ ...base, request }).text).toBe("You asked for it; approved by Maya Chen and omar@example.com.");
    expect(describeSource({ ...base, request: { ...request, approvers: [] } }).text).toBe("You asked for it; approved automatically under the “Manager, then app owner” policy.");
  });

  it("says who asked on their behalf, and whether that was their manager", () => {
    const request = { id: "r1", policyName: "", requestedBy: maya, approvers: [omar] };
    expect(describeSource({ ...base, request })).toEqual({ kind: "on-behalf", text: "Your manager, Maya Chen, asked for it for you; approved by omar@example.com." });
    expect(describeSource({ ...base, viewer: { id: "erin", managerId: null }, request }).text).toBe("Maya Chen asked for it for you; approved by omar@example.com.");
  });

  it("describes what made a rule match: attributes and held entitlements", () => {
    const held = (app: string, name: string) => ({ entitlement: { name, app: { name: app } } });
    expect(ruleMatch({ name: "Sales", attributes: { department: ["Sales", "Marketing"], location: ["Lisbon"] }, entitlements: [] })).toBe(
      "your department is Sales or Marketing and your location is Lisbon",
    );
    expect(ruleMatch({ name: "Maintainers", attributes: {}, entitlements: [held("GitHub", "Maintainers"), held("GitHub", "Org Owner")] })).toBe(
      "you hold GitHub / Maintainers or GitHub / Org Owner",
    );
  });

  it("says who adopted access found on the target, and why it stays", () => {
    const omar = { id: "omar", name: "Omar Haddad", email: "omar@example.com" };
    expect(describeSource({ ...base, adopted: { appName: "GitHub", by: omar, note: "Runs the release pipeline." } })).toEqual({
      kind: "adopted",
      text: "Adopted from GitHub by Omar Haddad: Runs the release pipeline.",
    });
    // A request, when there is one, is the better explanation.
    const request = { id: "r1", policyName: "", requestedBy: null, approvers: [maya] };
    expect(describeSource({ ...base, request, adopted: { appName: "GitHub", by: omar, note: "x" } }).kind).toBe("request");
  });

  it("says when an access review took over access found on the target", () => {
    const note = "Found on GitHub by reconciliation without a grant; put under review in “Q4 review”";
    expect(describeSource({ ...base, adopted: { appName: "GitHub", by: null, note } })).toEqual({ kind: "adopted", text: `${note}.` });
  });
});
