import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitRequest } from "@/server/requests/create-request";
import { sealAudit } from "@/server/audit/seal";
import { verifyAuditChain } from "@/server/audit/verify";
import { submitPortalRequests } from "@/server/requests/submit-many";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// A wave's requests written together must be the requests one submitRequest writes: same request,
// grant, audit entries and provisioning event. Whoever the shortcut cannot decide for goes one by one.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const why = "Matches the rule “Finance kit” of the “Finance” access profile.";

/** What a person's request left behind, without ids and times: the rows a user and an auditor see. */
async function trail(personId: string, entitlementId: string) {
  const request = await demo.db.accessRequest.findFirstOrThrow({ where: { requesterId: personId, entitlementId }, include: { grant: true } });
  const audits = await demo.db.auditEvent.findMany({ where: { requestId: request.id }, orderBy: [{ at: "asc" }, { action: "desc" }] });
  const events = await demo.db.outboxEvent.findMany({ where: { data: { path: ["requestId"], equals: request.id } } });
  return {
    request: { status: request.status, policyName: request.policyName, plannedSteps: request.plannedSteps, justification: request.justification, decided: request.decidedAt !== null, requestedById: request.requestedById },
    grant: { status: request.grant?.status, userId: request.grant?.userId },
    audits: audits.map((a) => ({ action: a.action, actorId: a.actorId, before: a.before, after: a.after, reason: a.reason })),
    events: events.map((e) => ({ name: e.name, keys: Object.keys(e.data as object).sort() })),
  };
}

const withoutIds = (t: Awaited<ReturnType<typeof trail>>, personId: string) =>
  JSON.parse(JSON.stringify(t).replaceAll(personId, "<person>").replace(/"status":"PENDING","userId":"[^"]+"/, '"status":"PENDING","userId":"<person>"'));

describe("requests the portal asks for many people at once", () => {
  it("writes for each person what one request approved by its policy writes, in one go", async () => {
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    const [hugo, ines, kofi, lara] = await Promise.all(["hugo", "ines", "kofi", "lara"].map((k) => demo.actor(k)));
    expect(await demo.db.accessRequest.count({ where: { entitlementId: readOnly.id, requesterId: { in: [hugo!.id, ines!.id, kofi!.id, lara!.id] } } })).toBe(0);

    // Hugo's the way it always was, the others together.
    await demo.db.$transaction((tx) => submitRequest(tx, { personId: hugo!.id, askedById: null, entitlementId: readOnly.id, justification: why }));
    const { submitted, rest } = await demo.db.$transaction((tx) =>
      submitPortalRequests(tx, readOnly.id, [ines!, kofi!, lara!].map((p) => ({ personId: p.id, justification: why }))),
    );
    expect(rest).toEqual([]);
    expect([...submitted.keys()].sort()).toEqual([ines!.id, kofi!.id, lara!.id].sort());

    const one = withoutIds(await trail(hugo!.id, readOnly.id), hugo!.id);
    expect(one.request).toMatchObject({ status: "APPROVED", decided: true, requestedById: null });
    expect(one.audits.map((a: { action: string }) => a.action)).toEqual(["request.submitted", "request.auto_approved", "grant.created"]);
    expect(one.events).toEqual([{ name: "access/grant.approved-in-bulk", keys: ["appId", "entitlementId", "grantId", "requestId"] }]);
    for (const p of [ines!, kofi!, lara!]) {
      const many = await trail(p.id, readOnly.id);
      expect(withoutIds(many, p.id)).toEqual(one);
      expect((await demo.db.grant.findUniqueOrThrow({ where: { id: submitted.get(p.id)!.grantId } })).requestId).toBe(submitted.get(p.id)!.requestId);
    }
    // Written over arrays, the rows still verify: each one's hash is of what the database holds.
    await sealAudit(demo.db);
    expect(await verifyAuditChain(demo.db)).toMatchObject({ ok: true, broken: [] });
  });

  it("leaves to one-by-one whoever holds it, has asked for it or is not active", async () => {
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    const [mia, ana, felix, grace, hugo] = await Promise.all(["mia", "ana", "felix", "grace", "hugo"].map((k) => demo.actor(k)));
    await demo.db.user.update({ where: { id: ana!.id }, data: { lifecycleState: "LEAVE" } });
    const asks = [mia!, ana!, felix!, grace!, hugo!].map((p) => ({ personId: p.id, justification: why }));
    // Hugo holds it from the test before; Felix asked for it and waits.
    await demo.db.accessRequest.create({ data: { requesterId: felix!.id, entitlementId: readOnly.id, justification: "Waiting for my manager.", status: "PENDING_APPROVAL" } });

    const { submitted, rest } = await demo.db.$transaction((tx) => submitPortalRequests(tx, readOnly.id, asks));
    expect([...submitted.keys()].sort()).toEqual([mia!.id, grace!.id].sort());
    expect(rest.map((a) => a.personId).sort()).toEqual([ana!.id, felix!.id, hugo!.id].sort());
    // Nothing was written for them.
    expect(await demo.db.accessRequest.count({ where: { entitlementId: readOnly.id, requesterId: { in: [ana!.id, felix!.id] }, status: "APPROVED" } })).toBe(0);
  });

  it("decides for nobody when the policy asks for an approval or a segregation-of-duties rule names the access", async () => {
    const [ben, nora] = await Promise.all(["ben", "nora"].map((k) => demo.actor(k)));
    const asks = [ben!, nora!].map((p) => ({ personId: p.id, justification: why }));
    // Sales User: manager, then app owner.
    const salesUser = await demo.entitlement("salesforce", "Sales User");
    expect((await demo.db.$transaction((tx) => submitPortalRequests(tx, salesUser.id, asks))).rest).toHaveLength(2);

    // Read Only approves by itself (the tests above), and Ben and Nora neither hold nor asked for it.
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    const people = [ben!.id, nora!.id];
    expect(await demo.db.grant.count({ where: { userId: { in: people }, entitlementId: readOnly.id } })).toBe(0);
    expect(await demo.db.accessRequest.count({ where: { requesterId: { in: people }, entitlementId: readOnly.id } })).toBe(0);
    const other = await demo.entitlement("github", "Developers");
    await demo.db.sodRule.create({ data: { name: "Readers are not developers", action: "BLOCK", entitlements: { create: [{ entitlementId: readOnly.id }, { entitlementId: other.id }] } } });
    const blocked = await demo.db.$transaction((tx) => submitPortalRequests(tx, readOnly.id, asks));
    expect(blocked.submitted.size).toBe(0);
    expect(blocked.rest).toHaveLength(2);
    expect(await demo.db.accessRequest.count({ where: { requesterId: { in: people }, entitlementId: { in: [salesUser.id, readOnly.id] } } })).toBe(0);
  });
});
