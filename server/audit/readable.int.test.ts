import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { describeAuditRows, searchAuditReadable } from "@/server/audit/readable";
import { searchAudit } from "@/server/audit/search";
import type { Db } from "@/server/db";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The audit page's rows read as sentences, with their objects named and linked and before/after as field changes.

let demo: DemoDatabase;
let requestId: string;
beforeAll(async () => {
  demo = await demoDatabase();
  const erin = await demo.actor("erin");
  const request = await createRequest(demo.db, erin, { entitlementId: (await demo.entitlement("github", "Developers")).id, justification: "Payments work." });
  requestId = request.id;
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId } });
  await decideStep(demo.db, await demo.actor("maya"), { stepId: step.id, decision: "DENY", comment: "Use the sandbox." });
});
afterAll(async () => demo?.close());

describe("the readable audit trail", () => {
  it("names the object and links it: Maya Chen denied request for GitHub / Developers by Erin Walsh", async () => {
    const rows = await searchAuditReadable(demo.db, await demo.actor("admin"), { person: "erin@example.com" });
    const denied = rows.find((r) => r.action === "request.denied")!;
    expect(denied).toMatchObject({
      actor: "Maya Chen",
      verb: "denied",
      subject: { type: "request", label: "request for GitHub / Developers by Erin Walsh", href: `/requests/${requestId}` },
      request: null,
    });
    expect(denied.changes).toContainEqual({ field: "status", change: "changed", before: "PENDING_APPROVAL", after: "DENIED" });
  });

  it("shows before/after by field, with people and entitlements by name", async () => {
    const rows = await searchAuditReadable(demo.db, await demo.actor("admin"), { person: "erin@example.com", action: "request.submitted" });
    const submitted = rows.find((r) => r.objectId === requestId)!;
    expect(submitted.changes).toContainEqual({ field: "entitlement", change: "added", after: "GitHub / Developers" });
    expect(submitted.changes).toContainEqual({ field: "approvers", change: "added", after: "approver: Maya Chen" });
    // Empty fields at creation are no news.
    expect(submitted.changes.map((c) => c.field)).not.toContain("durationDays");
  });

  it("links a row about another object to its request, and falls back to type and id for what is gone", async () => {
    const admin = await demo.actor("admin");
    const [row] = await searchAudit(demo.db, admin, { person: "erin@example.com", action: "request.denied" });
    const [grantRow, goneRow] = await describeAuditRows(demo.db, [
      { ...row!, action: "grant.provisioned", objectType: "grant", objectId: "no-such-grant" },
      { ...row!, action: "sod_rule.deleted", objectType: "sod_rule", objectId: "gone", requestId: null },
    ]);
    expect(grantRow).toMatchObject({ verb: "provisioned", request: { label: "request for GitHub / Developers by Erin Walsh", href: `/requests/${requestId}` } });
    expect(goneRow).toMatchObject({ verb: "deleted", subject: { label: "sod rule gone", href: null }, request: null });
  });

  it("names all rows in one batch: the queries do not grow with the rows", async () => {
    const admin = await demo.actor("admin");
    for (const key of ["tom", "carla", "ana"]) {
      await createRequest(demo.db, await demo.actor(key), { entitlementId: (await demo.entitlement("github", "Developers")).id, justification: "Batch test." });
    }
    const queries = async (rows: Awaited<ReturnType<typeof searchAudit>>) => {
      let count = 0;
      const counting = new Proxy(demo.db, {
        get: (db, model) => {
          const delegate = Reflect.get(db, model) as unknown;
          if (typeof model !== "string" || model.startsWith("$") || typeof delegate !== "object" || delegate === null) return delegate;
          return new Proxy(delegate, { get: (d, fn) => (fn === "findMany" && count++, Reflect.get(d, fn)) });
        },
      }) as Db;
      await describeAuditRows(counting, rows);
      return count;
    };
    const all = await searchAudit(demo.db, admin, { action: "request.submitted" });
    expect(all.length).toBeGreaterThanOrEqual(4);
    const forOne = await queries(all.slice(0, 1));
    expect(forOne).toBeGreaterThan(0);
    expect(await queries(all)).toBe(forOne);
  });
});
