import { describe, expect, it } from "vitest";
import { diffFields } from "@/server/audit/diff";

describe("an audit row's before/after as field changes", () => {
  it("lists changed, added and removed fields and leaves out the unchanged", () => {
    expect(diffFields({ status: "PENDING_APPROVAL", note: "x", same: 1 }, { status: "DENIED", reason: "Use the sandbox.", same: 1 })).toEqual([
      { field: "status", change: "changed", before: "PENDING_APPROVAL", after: "DENIED" },
      { field: "note", change: "removed", before: "x" },
      { field: "reason", change: "added", after: "Use the sandbox." },
    ]);
  });

  it("flattens nested objects to dotted fields and compares lists whole", () => {
    expect(diffFields({ config: { baseUrl: "https://a", auth: { kind: "bearer" } }, groups: ["a", "b"] }, { config: { baseUrl: "https://b", auth: { kind: "bearer" } }, groups: ["a", "b", "c"] })).toEqual([
      { field: "config.baseUrl", change: "changed", before: "https://a", after: "https://b" },
      { field: "groups", change: "changed", before: "a, b", after: "a, b, c" },
    ]);
  });

  it("treats a missing side as all added or all removed, leaving out fields that come or go empty", () => {
    expect(diffFields(null, { name: "GitHub", risk: null, tags: [] })).toEqual([{ field: "name", change: "added", after: "GitHub" }]);
    expect(diffFields({ approverId: "u1" }, null)).toEqual([{ field: "approverId", change: "removed", before: "u1" }]);
    expect(diffFields({ risk: null }, { risk: "HIGH" })).toEqual([{ field: "risk", change: "changed", before: "none", after: "HIGH" }]);
  });

  it("compares plain values as one field", () => {
    expect(diffFields("PENDING", "FAILED")).toEqual([{ field: "value", change: "changed", before: "PENDING", after: "FAILED" }]);
    expect(diffFields({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it("shows lists of objects as key: value pairs", () => {
    expect(diffFields(null, { approvers: [{ approver: "Maya Chen", delegatedFrom: null }, { approver: "Sam Lee" }] })).toEqual([
      { field: "approvers", change: "added", after: "approver: Maya Chen; approver: Sam Lee" },
    ]);
  });
});
