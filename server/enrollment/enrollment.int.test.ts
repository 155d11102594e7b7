import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { enrollPeople, excludePerson, unenrollPerson } from "@/server/enrollment/enroll";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import { dryRunRule, syncProfile } from "@/server/enrollment/sync";
import { processEnrollmentQueue } from "@/server/enrollment/worker";
import { startProvisioning } from "@/server/provisioning/lifecycle";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Access profiles and auto-enrollment against the demo organisation. Provisioning of the profile's
// own (portal-only) enrollment entitlement is started the way the engine starts it.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

async function profile(name: string, items: [string, string][], policy: string | null = null) {
  const admin = await demo.actor("admin");
  const itemIds = await Promise.all(items.map(async ([app, e]) => (await demo.entitlement(app, e)).id));
  const requestPolicyId = policy ? (await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: policy } })).id : null;
  const { id } = await saveProfile(demo.db, admin, { name, itemIds, requestPolicyId });
  const enrollment = await demo.db.entitlement.findFirstOrThrow({ where: { profileId: id, profileRole: "ENROLLMENT" } });
  return { id, enrollmentId: enrollment.id, admin };
}

/** What the engine does with an approved enrollment grant. */
async function provisionEnrollment(userId: string, enrollmentId: string) {
  const grant = await demo.db.grant.findFirstOrThrow({ where: { userId, entitlementId: enrollmentId, status: "PENDING" } });
  return startProvisioning(demo.db, grant.id, grant.requestId);
}

async function itemRequests(userId: string) {
  const rows = await demo.db.accessRequest.findMany({ where: { requesterId: userId, profileEnrollmentId: { not: null } }, include: { entitlement: { include: { app: true } } }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => `${r.entitlement.app.name} / ${r.entitlement.name}: ${r.status}`).sort();
}

async function applyQueue(profileId: string) {
  for (;;) {
    const r = await processEnrollmentQueue(demo.db, profileId);
    if (r.remaining === 0 && r.requested + r.revoked === 0) return;
  }
}

describe("requesting an access profile", () => {
  it("asks under the profile's policy, then requests each item under its own policy, skipping what they already hold", async () => {
    const kit = await profile("New seller kit", [
      ["salesforce", "Sales User"],
      ["salesforce", "Read Only"],
      ["salesforce", "Report Builder"],
    ]);
    const carla = await demo.actor("carla");
    // Carla already has Report Builder: it is not asked for again.
    await demo.db.grant.create({ data: { userId: carla.id, entitlementId: (await demo.entitlement("salesforce", "Report Builder")).id, status: "PROVISIONED" } });

    const { id } = await createRequest(demo.db, carla, { entitlementId: kit.enrollmentId, justification: "Starting on the Nordics team." });
    // The profile's policy (the global default): her manager approves the enrollment first.
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id }, include: { approver: true } });
    expect(step.approver.email).toBe("sam@example.com");
    expect(await itemRequests(carla.id)).toEqual([]);
    await decideStep(demo.db, await demo.actor("sam"), { stepId: step.id, decision: "APPROVE" });

    expect(await provisionEnrollment(carla.id, kit.enrollmentId)).toMatchObject({ kind: "done" });
    expect(await demo.db.profileEnrollment.findUniqueOrThrow({ where: { profileId_userId: { profileId: kit.id, userId: carla.id } } })).toMatchObject({ status: "ENROLLED", ruleId: null });
    // Each item keeps its own policy: Read Only is approved at once, Sales User waits for Salesforce's two steps.
    expect(await itemRequests(carla.id)).toEqual(["Salesforce / Read Only: APPROVED", "Salesforce / Sales User: PENDING_APPROVAL"]);
    // The engine retrying the step enrolls nothing twice.
    const enrollmentGrant = await demo.db.grant.findFirstOrThrow({ where: { userId: carla.id, entitlementId: kit.enrollmentId } });
    expect(await startProvisioning(demo.db, enrollmentGrant.id, enrollmentGrant.requestId)).toMatchObject({ kind: "done", summary: "enrolled; 0 item request(s)" });
    expect(await itemRequests(carla.id)).toHaveLength(2);
    expect(await demo.db.auditEvent.count({ where: { action: "enrollment.enrolled", after: { path: ["userId"], equals: carla.id } } })).toBe(1);
    const salesUser = await demo.db.accessRequest.findFirstOrThrow({ where: { requesterId: carla.id, entitlementId: (await demo.entitlement("salesforce", "Sales User")).id } });
    expect(salesUser).toMatchObject({ policyName: "Manager, then app owner", justification: "Enrolled in the “New seller kit” access profile." });
  });

  it("auto-approves at the profile level when the profile's policy says so", async () => {
    const kit = await profile("Read-only tour", [["salesforce", "Read Only"]], "Auto-approve (low risk)");
    const ben = await demo.actor("ben");
    const { status } = await createRequest(demo.db, ben, { entitlementId: kit.enrollmentId, justification: "Shadowing the account team." });
    expect(status).toBe("APPROVED");
    await provisionEnrollment(ben.id, kit.enrollmentId);
    expect(await itemRequests(ben.id)).toEqual(["Salesforce / Read Only: APPROVED"]);
  });

  it("on removal, revokes the items held only through the profile and keeps those also held another way", async () => {
    const kit = await profile("Finance tools", [
      ["aws", "Billing Viewer"],
      ["aws", "Data Analyst"],
    ], "Auto-approve (low risk)");
    const admin = await demo.actor("admin");
    const ines = await demo.actor("ines");
    await enrollPeople(demo.db, admin, { profileId: kit.id, userIds: [ines.id] });
    await provisionEnrollment(ines.id, kit.enrollmentId);
    // The items' policy (global: manager) needs Priya; approve both, then "provision" them.
    for (const r of await demo.db.accessRequest.findMany({ where: { requesterId: ines.id, profileEnrollmentId: { not: null } }, include: { steps: true } })) {
      await decideStep(demo.db, await demo.actor("priya"), { stepId: r.steps[0]!.id, decision: "APPROVE" });
    }
    await demo.db.grant.updateMany({ where: { userId: ines.id, profileEnrollmentId: { not: null } }, data: { status: "PROVISIONED" } });
    // She also holds Data Analyst through a request of her own.
    const own = await demo.db.grant.create({ data: { userId: ines.id, entitlementId: (await demo.entitlement("aws", "Data Analyst")).id, status: "PROVISIONED" } });

    const enrollmentGrant = await demo.db.grant.findFirstOrThrow({ where: { userId: ines.id, entitlementId: kit.enrollmentId } });
    const { revokeGrant } = await import("@/server/provisioning/revoke");
    await revokeGrant(demo.db, { grantId: enrollmentGrant.id, reason: "admin", actorId: admin.id });

    const grants = await demo.db.grant.findMany({ where: { userId: ines.id, entitlement: { app: { slug: "aws" } } }, include: { entitlement: true } });
    const state = (name: string, via: boolean) => grants.find((g) => g.entitlement.name === name && (g.profileEnrollmentId !== null) === via);
    expect(state("Billing Viewer", true)).toMatchObject({ status: "DELETING", revokeReason: "unenrollment" });
    expect(state("Data Analyst", true)).toMatchObject({ status: "DELETING", revokeReason: "unenrollment" });
    // Her own grant of the same access is untouched (deprovisioning keeps the membership while it lives).
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: own.id } })).status).toBe("PROVISIONED");
    expect(await demo.db.profileEnrollment.findUniqueOrThrow({ where: { profileId_userId: { profileId: kit.id, userId: ines.id } } })).toMatchObject({ status: "UNENROLLED" });
  });
});

describe("removing someone from a profile", () => {
  it("withdraws a pending enrollment, or revokes a granted one, with the admin's reason", async () => {
    const kit = await profile("Design review kit", [["figma", "Viewer"]]);
    const jade = await demo.actor("jade");
    const { results } = await enrollPeople(demo.db, kit.admin, { profileId: kit.id, userIds: [jade.id] });
    expect(results).toEqual([{ userId: jade.id, outcome: "Enrollment requested: waiting for approval." }]);
    await expect(unenrollPerson(demo.db, kit.admin, { profileId: kit.id, userId: jade.id, reason: "no" })).rejects.toThrow(/at least 5 characters/);
    expect(await unenrollPerson(demo.db, kit.admin, { profileId: kit.id, userId: jade.id, reason: "Joined the brand team instead." })).toEqual({ revoked: 0, withdrawn: 1 });
    const request = await demo.db.accessRequest.findFirstOrThrow({ where: { requesterId: jade.id, entitlementId: kit.enrollmentId } });
    expect(request.status).toBe("WITHDRAWN");
    expect(await demo.db.approvalStep.count({ where: { requestId: request.id, status: "PENDING" } })).toBe(0);
    await expect(unenrollPerson(demo.db, kit.admin, { profileId: kit.id, userId: jade.id, reason: "Joined the brand team instead." })).rejects.toThrow(/was not found/);
  });
});

describe("auto-enrollment rules and sync", () => {
  it("enrolls who matches (attributes or held entitlements), keeps exclusions out, and is idempotent", async () => {
    const kit = await profile("Sales floor", [["salesforce", "Read Only"]], "Auto-approve (low risk)");
    const admin = kit.admin;
    const maintainers = (await demo.entitlement("github", "Maintainers")).id;
    const tom = await demo.actor("tom");
    await demo.db.grant.create({ data: { userId: tom.id, entitlementId: maintainers, status: "PROVISIONED" } });
    const nora = await demo.actor("nora");
    await excludePerson(demo.db, admin, { profileId: kit.id, userId: nora.id, reason: "Moving to partnerships next week." });

    // Saved disabled: nothing happens, and nothing is queued.
    const syncsQueued = () => demo.db.outboxEvent.count({ where: { name: "enrollment/profile.sync-requested", data: { path: ["profileId"], equals: kit.id } } });
    const queuedBefore = await syncsQueued();
    const rule = await saveRule(demo.db, admin, { profileId: kit.id, name: "Sales department", attributes: { department: ["Sales"] } });
    expect(await syncsQueued()).toBe(queuedBefore);
    expect(await syncProfile(demo.db, kit.id, { trigger: "test" })).toMatchObject({ status: "done", matched: 0, enrolled: 0 });
    expect(await demo.db.profileEnrollment.count({ where: { profileId: kit.id } })).toBe(0);

    // The dry run says what enabling it would do, and changes nothing.
    const dry = await dryRunRule(demo.db, { id: rule.id, profileId: kit.id, name: "Sales department", enabled: true, attributes: { department: ["Sales"] } });
    expect(dry.wouldEnroll.people.map((p) => p.email).sort()).toEqual(["ben@example.com", "carla@example.com", "raj@example.com", "sam@example.com", "zoe@example.com"]);
    expect(dry.wouldUnenroll.total).toBe(0);
    expect(await demo.db.profileEnrollment.count({ where: { profileId: kit.id } })).toBe(0);

    await saveRule(demo.db, admin, { id: rule.id, profileId: kit.id, name: "Sales department", enabled: true, attributes: { department: ["Sales"] } });
    expect(await syncsQueued()).toBe(queuedBefore + 1);
    await saveRule(demo.db, admin, { profileId: kit.id, name: "Maintainers", enabled: true, entitlementIds: [maintainers] });

    const first = await syncProfile(demo.db, kit.id, { trigger: "test" });
    expect(first).toMatchObject({ status: "done", matched: 6, enrolled: 6, unenrolled: 0 });
    const second = await syncProfile(demo.db, kit.id, { trigger: "test" });
    expect(second).toMatchObject({ status: "done", matched: 6, enrolled: 0, unenrolled: 0 });

    await applyQueue(kit.id);
    const enrolled = await demo.db.profileEnrollment.findMany({ where: { profileId: kit.id }, include: { user: true, rule: true } });
    expect(enrolled.map((e) => `${e.user.email} ${e.rule?.name}`).sort()).toEqual([
      "ben@example.com Sales department",
      "carla@example.com Sales department",
      "raj@example.com Sales department",
      "sam@example.com Sales department",
      "tom@example.com Maintainers",
      "zoe@example.com Sales department",
    ]);
    // The profile auto-approves: each got the enrollment grant (its items follow when the engine provisions it).
    expect(await demo.db.grant.count({ where: { entitlementId: kit.enrollmentId, status: "PENDING" } })).toBe(6);
    // Running again requests nothing new.
    expect(await processEnrollmentQueue(demo.db, kit.id)).toMatchObject({ requested: 0, revoked: 0 });
  });

  it("unenrolls who no longer matches, after the rule's grace period for movers", async () => {
    const kit = await profile("Design floor", [["figma", "Viewer"]], "Auto-approve (low risk)");
    await saveRule(demo.db, kit.admin, { profileId: kit.id, name: "Design department", enabled: true, attributes: { department: ["Design"] }, graceHours: 24 });
    await syncProfile(demo.db, kit.id, { trigger: "test" });
    await applyQueue(kit.id);
    const felix = await demo.actor("felix");
    await provisionEnrollment(felix.id, kit.enrollmentId);

    // Felix moves to Finance: he keeps the profile for the grace period.
    const finance = await demo.db.department.findUniqueOrThrow({ where: { name: "Finance" } });
    await demo.db.user.update({ where: { id: felix.id }, data: { departmentId: finance.id } });
    expect(await syncProfile(demo.db, kit.id, { trigger: "test", userId: felix.id })).toMatchObject({ leaving: 1, unenrolled: 0 });
    const leaving = await demo.db.profileEnrollment.findUniqueOrThrow({ where: { profileId_userId: { profileId: kit.id, userId: felix.id } } });
    expect(leaving.status).toBe("LEAVING");
    expect(leaving.leaveAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(await syncProfile(demo.db, kit.id, { trigger: "test" })).toMatchObject({ leaving: 0, unenrolled: 0 });

    // The grace period ends: he is unenrolled, and the worker revokes the profile and its items.
    await demo.db.profileEnrollment.update({ where: { id: leaving.id }, data: { leaveAt: new Date(Date.now() - 1000) } });
    expect(await syncProfile(demo.db, kit.id, { trigger: "test" })).toMatchObject({ unenrolled: 1 });
    await applyQueue(kit.id);
    const enrollmentGrant = await demo.db.grant.findFirstOrThrow({ where: { userId: felix.id, entitlementId: kit.enrollmentId } });
    expect(enrollmentGrant).toMatchObject({ status: "DEPROVISIONED", revokeReason: "unenrollment" });
    // His Figma / Viewer item was still waiting for his manager: it is withdrawn.
    expect(await itemRequests(felix.id)).toEqual(["Figma / Viewer: WITHDRAWN"]);
    expect(await demo.db.grant.count({ where: { userId: felix.id, profileEnrollmentId: leaving.id, status: { in: [...LIVE] } } })).toBe(0);

    // A person who leaves the company is unenrolled by the next sync, whatever the grace period; one on leave stays.
    const ana = await demo.actor("ana");
    const grace = await demo.actor("grace");
    await provisionEnrollment(ana.id, kit.enrollmentId);
    await provisionEnrollment(grace.id, kit.enrollmentId);
    await demo.db.user.update({ where: { id: ana.id }, data: { lifecycleState: "TERMINATED" } });
    await demo.db.user.update({ where: { id: grace.id }, data: { lifecycleState: "LEAVE" } });
    expect(await syncProfile(demo.db, kit.id, { trigger: "test" })).toMatchObject({ leaving: 0, unenrolled: 1 });
    const status = async (userId: string) => (await demo.db.profileEnrollment.findUniqueOrThrow({ where: { profileId_userId: { profileId: kit.id, userId } } })).status;
    expect([await status(ana.id), await status(grace.id)]).toEqual(["UNENROLLED", "ENROLLED"]);
  });

  it("does not newly enroll someone on leave until they are back", async () => {
    const kit = await profile("Finance floor", [["aws", "Billing Viewer"]], "Auto-approve (low risk)");
    const mia = await demo.actor("mia");
    await demo.db.user.update({ where: { id: mia.id }, data: { lifecycleState: "LEAVE" } });
    await saveRule(demo.db, kit.admin, { profileId: kit.id, name: "Finance", enabled: true, attributes: { department: ["Finance"] } });
    await syncProfile(demo.db, kit.id, { trigger: "test" });
    expect(await demo.db.profileEnrollment.count({ where: { profileId: kit.id, userId: mia.id } })).toBe(0);
    await demo.db.user.update({ where: { id: mia.id }, data: { lifecycleState: "ACTIVE" } });
    expect(await syncProfile(demo.db, kit.id, { trigger: "back from leave", userId: mia.id })).toMatchObject({ enrolled: 1 });
  });

  it("never runs two syncs of one profile at once: the second is queued for the first to apply", async () => {
    const kit = await profile("Engineering floor", [["github", "Developers"]], "Auto-approve (low risk)");
    await saveRule(demo.db, kit.admin, { profileId: kit.id, name: "Engineering", enabled: true, attributes: { department: ["Engineering"] } });
    const results = await Promise.all([syncProfile(demo.db, kit.id, { trigger: "a" }), syncProfile(demo.db, kit.id, { trigger: "b" })]);
    expect(results.map((r) => r.status).sort()).toEqual(["done", "queued"]);
    expect(await demo.db.profileSyncRequest.count({ where: { profileId: kit.id } })).toBe(0);
    const syncs = await demo.db.profileSync.findMany({ where: { profileId: kit.id } });
    expect(syncs).toHaveLength(1);
    expect(syncs[0]).toMatchObject({ status: "DONE", matched: 6, progress: "Done" });
  });
});
