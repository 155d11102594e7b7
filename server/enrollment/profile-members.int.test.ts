import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { attributeValues } from "@/server/enrollment/attribute-values";
import { saveProfile } from "@/server/enrollment/profiles";
import { getProfile, listProfiles } from "@/server/enrollment/read";
import { saveRule, type RuleAttributes } from "@/server/enrollment/rules";
import { dryRunRule, matchQuery, syncProfile } from "@/server/enrollment/sync";
import { processEnrollmentQueue } from "@/server/enrollment/worker";
import { startProvisioning } from "@/server/provisioning/lifecycle";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { matchesRuleAttributes } from "@/universal/enrollment/attributes";

// What admins read about a profile's members (the list and the profile page agree, the states add up),
// rules matching attributes whatever their case, and the dry run counting the approvals a rule causes.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

async function profile(name: string, items: [string, string][], policy: string | null) {
  const admin = await demo.actor("admin");
  const itemIds = await Promise.all(items.map(async ([app, e]) => (await demo.entitlement(app, e)).id));
  const requestPolicyId = policy ? (await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: policy } })).id : null;
  const { id } = await saveProfile(demo.db, admin, { name, itemIds, requestPolicyId });
  const enrollment = await demo.db.entitlement.findFirstOrThrow({ where: { profileId: id, profileRole: "ENROLLMENT" } });
  return { id, enrollmentId: enrollment.id, admin };
}

/** A rule enabled and applied: the sync, then the enrollment worker, as the engine runs them. */
async function enableRule(profileId: string, name: string, attributes: RuleAttributes) {
  await saveRule(demo.db, await demo.actor("admin"), { profileId, name, enabled: true, attributes });
  await syncProfile(demo.db, profileId, { trigger: "test" });
  for (;;) {
    const r = await processEnrollmentQueue(demo.db, profileId);
    if (r.remaining === 0 && r.requested + r.revoked === 0) return;
  }
}

/** What the engine does with approved enrollment grants: enrolls them, which requests the items. */
async function provisionEnrollments(enrollmentId: string) {
  for (const g of await demo.db.grant.findMany({ where: { entitlementId: enrollmentId, status: "PENDING" } })) await startProvisioning(demo.db, g.id, g.requestId);
}

/** The counts as the profiles list shows them, and as the profile page does: they must be the same. */
async function counts(profileId: string) {
  const listed = (await listProfiles(demo.db)).find((p) => p.id === profileId)!.members;
  const page = await getProfile(demo.db, profileId);
  expect(page.counts).toEqual(listed);
  // The states add up to the members, and the page's rows say the same.
  expect(listed.ready + listed.approval + listed.provisioning + listed.failed).toBe(listed.members);
  expect(page.members).toHaveLength(listed.members);
  for (const state of ["ready", "approval", "provisioning", "failed"] as const) expect(page.members.filter((m) => m.state === state)).toHaveLength(listed[state]);
  return listed;
}

describe("members by state", () => {
  it("counts a profile whose items are approved automatically: being provisioned, then holding everything", async () => {
    const kit = await profile("Read-only CRM kit", [["salesforce", "Read Only"]], "Auto-approve (low risk)");
    // Typed in lower case: the Finance department's six people match.
    await enableRule(kit.id, "finance", { department: ["finance"] });
    // Enrollment approved automatically, the enrollment grant not provisioned yet: nobody holds anything.
    expect(await counts(kit.id)).toEqual({ members: 6, leaving: 0, ready: 0, approval: 0, provisioning: 6, failed: 0 });
    await provisionEnrollments(kit.enrollmentId);
    // Enrolled; Read Only approved at once, its grants being provisioned.
    expect(await counts(kit.id)).toEqual({ members: 6, leaving: 0, ready: 0, approval: 0, provisioning: 6, failed: 0 });
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    await demo.db.grant.updateMany({ where: { entitlementId: readOnly.id, profileEnrollmentId: { not: null } }, data: { status: "PROVISIONED" } });
    expect(await counts(kit.id)).toEqual({ members: 6, leaving: 0, ready: 6, approval: 0, provisioning: 0, failed: 0 });
    const page = await getProfile(demo.db, kit.id);
    expect(page.members.every((m) => m.status === "ENROLLED" && m.itemsReady === 1 && m.itemsTotal === 1)).toBe(true);
  });

  it("counts a profile needing approvals: waiting, then failed when refused, never enrolled and pending at once", async () => {
    const kit = await profile("Design billing kit", [["aws", "Billing Viewer"]], null);
    await enableRule(kit.id, "Design", { department: [" DESIGN "] });
    // Six enrollment requests wait for the managers (the global policy): six members, all waiting.
    expect(await counts(kit.id)).toEqual({ members: 6, leaving: 0, ready: 0, approval: 6, provisioning: 0, failed: 0 });
    const ana = await demo.actor("ana");
    const felix = await demo.actor("felix");
    const jonas = await demo.actor("jonas");
    const stepOf = async (userId: string) => demo.db.approvalStep.findFirstOrThrow({ where: { request: { requesterId: userId, entitlementId: kit.enrollmentId }, status: "PENDING" } });
    await decideStep(demo.db, jonas, { stepId: (await stepOf(ana.id)).id, decision: "APPROVE" });
    await decideStep(demo.db, jonas, { stepId: (await stepOf(felix.id)).id, decision: "DENY", comment: "Not needed for research." });
    // Ana is approved (her grant not provisioned yet), Felix refused.
    expect(await counts(kit.id)).toEqual({ members: 6, leaving: 0, ready: 0, approval: 4, provisioning: 1, failed: 1 });
    await provisionEnrollments(kit.enrollmentId);
    // Ana is enrolled, and her Billing Viewer request waits for Jonas: still waiting for approval, not "enrolled".
    expect(await counts(kit.id)).toEqual({ members: 6, leaving: 0, ready: 0, approval: 5, provisioning: 0, failed: 1 });
    const rows = (await getProfile(demo.db, kit.id)).members;
    expect(rows[0]).toMatchObject({ state: "failed", person: { email: "felix@example.com" } });
    expect(rows.find((m) => m.person.email === "ana@example.com")).toMatchObject({ status: "ENROLLED", state: "approval", itemsReady: 0, itemsTotal: 1 });
  });
});

describe("rule attributes", () => {
  it("match whatever their case and surrounding spaces, in the SQL sync and in JavaScript alike", async () => {
    const omar = await demo.actor("omar");
    const erin = await demo.actor("erin");
    await demo.db.user.update({ where: { id: omar.id }, data: { location: "Berlin", title: "  Staff Engineer " } });
    await demo.db.user.update({ where: { id: erin.id }, data: { location: "berlin " } });
    const rules: RuleAttributes[] = [
      { department: ["  engineering"] },
      { department: ["ENGINEERING"], location: ["BERLIN"] },
      { title: ["staff engineer"] },
      { title: ["software engineer", "qa ENGINEER"], department: ["Engineering"] },
      { location: ["Berlin"], title: ["Software Engineer"] },
      { department: ["Enginering"] },
    ];
    const people = await demo.db.user.findMany({ where: { lifecycleState: { not: "TERMINATED" } }, include: { department: true } });
    for (const attributes of rules) {
      const sql = await demo.db.$queryRaw<{ id: string }[]>(matchQuery({ id: "r", entitlementIds: [], attributes }, "r", null, null));
      const js = people.filter((p) => matchesRuleAttributes({ department: p.department?.name ?? null, title: p.title, location: p.location }, attributes));
      expect(sql.map((r) => r.id).sort()).toEqual(js.map((p) => p.id).sort());
    }
    const inBerlin = await demo.db.$queryRaw<{ id: string }[]>(matchQuery({ id: "r", entitlementIds: [], attributes: { location: ["BERLIN"] } }, "r", null, null));
    expect(inBerlin.map((r) => r.id).sort()).toEqual([omar.id, erin.id].sort());
    const typo = await demo.db.$queryRaw<{ id: string }[]>(matchQuery({ id: "r", entitlementIds: [], attributes: { department: ["Enginering"] } }, "r", null, null));
    expect(typo).toHaveLength(0);
  });

  it("are suggested from the directory, one entry per value however it is spelled, with how many people have it", async () => {
    const values = await attributeValues(demo.db);
    expect(values.department.find((d) => d.key === "engineering")).toEqual({ value: "Engineering", key: "engineering", people: 6 });
    // "Berlin" and "berlin " are one location of two people.
    expect(values.location).toEqual([{ value: "Berlin", key: "berlin", people: 2 }]);
    expect(values.title.find((t) => t.key === "staff engineer")).toMatchObject({ people: 1, value: "Staff Engineer" });
    expect(values.title.find((t) => t.key === "software engineer")).toMatchObject({ people: 2 });
  });
});

describe("the dry run's approvals", () => {
  it("counts the approval requests enrolling would make, and whom they go to, as the enrollment then makes them", async () => {
    // Enrollment approved automatically; Read Only is too, Billing Viewer needs the person's manager.
    const kit = await profile("Sales reporting kit", [["salesforce", "Read Only"], ["aws", "Billing Viewer"]], "Auto-approve (low risk)");
    const zoe = await demo.actor("zoe");
    // Zoe already holds Billing Viewer: it is not asked for again.
    await demo.db.grant.create({ data: { userId: zoe.id, entitlementId: (await demo.entitlement("aws", "Billing Viewer")).id, status: "PROVISIONED" } });
    const draft = { profileId: kit.id, name: "Sales", enabled: true, attributes: { department: ["sales"] } };
    const dry = await dryRunRule(demo.db, draft);
    expect(dry.wouldEnroll.total).toBe(6);
    expect(dry.approvals).toMatchObject({
      enrollment: { autoApproved: 6, needApproval: 0, refused: 0 },
      items: { autoApproved: 6, needApproval: 5, alreadyHeld: 1, refused: 0 },
      approvalRequests: 5,
      estimated: false,
    });
    // Sam approves his four reports' requests; Alex Morgan, Sam's manager, approves Sam's.
    expect(dry.approvals.approvers).toEqual([
      { id: (await demo.actor("sam")).id, name: "Sam Rivera", role: "manager", requests: 4 },
      { id: (await demo.actor("admin")).id, name: "Alex Morgan", role: "manager", requests: 1 },
    ]);
    // Nothing was saved.
    expect(await demo.db.profileEnrollment.count({ where: { profileId: kit.id } })).toBe(0);

    // Enrolling them makes exactly those requests.
    await enableRule(kit.id, "Sales", draft.attributes);
    await provisionEnrollments(kit.enrollmentId);
    const waiting = await demo.db.accessRequest.findMany({ where: { profileEnrollment: { profileId: kit.id }, status: "PENDING_APPROVAL" }, include: { steps: { include: { approver: true } } } });
    expect(waiting).toHaveLength(5);
    const firstApprovers = waiting.map((r) => r.steps.find((s) => s.status === "PENDING")!.approver.name).sort();
    expect(firstApprovers).toEqual(["Alex Morgan", "Sam Rivera", "Sam Rivera", "Sam Rivera", "Sam Rivera"]);
    expect(await demo.db.accessRequest.count({ where: { profileEnrollment: { profileId: kit.id }, status: "APPROVED" } })).toBe(6);
  });
});
