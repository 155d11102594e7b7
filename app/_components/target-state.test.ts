import { describe, expect, it } from "vitest";
import { targetStateText } from "./target-state";

describe("targetStateText", () => {
  it("says a grant is on its target, missing and being put back, or unknown with the reason", () => {
    expect(targetStateText({ targetState: "CONFIRMED", targetNote: null })).toEqual({ text: "On target: confirmed", tone: "good" });
    expect(targetStateText({ targetState: "MISSING", targetNote: "Not in github-developers on the target" })).toEqual({ text: "Missing on target — being put back", tone: "waiting" });
    expect(targetStateText({ targetState: "UNKNOWN", targetNote: "Its target cannot be read (webhook): the portal knows what it did, not what is there now." })).toEqual({
      text: "Unknown: its target cannot be read (webhook): the portal knows what it did, not what is there now.",
      tone: "neutral",
    });
    expect(targetStateText({ targetState: "UNKNOWN", targetNote: "SCIM target timed out" })).toEqual({ text: "Unknown: SCIM target timed out", tone: "neutral" });
  });

  it("says nothing for a grant no reconciliation has checked", () => {
    expect(targetStateText({ targetState: null, targetNote: null })).toBeNull();
  });
});
