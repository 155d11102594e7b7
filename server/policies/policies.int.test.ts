import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideByToken, decideStep } from "@/server/approvals/decide";
import { createDelegation, startDelegation } from "@/server/approvals/delegation";
import { reassignStep } from "@/server/approvals/reassign";
import { checkApprovalToken, issueApprovalTokens } from "@/server/approvals/tokens";
import { AppError } from "@/server/errors";
import { saveGroup } from "@/server/policies/admin";
import { decidePolicyChange, proposePolicyChange } from "@/server/policies/changes";
import { sodReport } from "@/server/policies/sod";
import { createRequest, previewRequest } from "@/server/requests/create-request";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Request policies against the demo organisation (prisma/seed.ts): the global default asks the
// manager (plus the security team for high-risk access); Salesforce asks the manager, then its
// owner Raj; admin access asks the manager, the owner, then all of the security team (Rosa, Lena),
// for at most 30 days; Salesforce read-only is auto-approved. Two SoD rules.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const DAY = 86_400_000;
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? `${e.code}: ${e.message}` : Promise.reject(e)));
const email = async (userId: string) => (await demo.db.user.findUniqueOrThrow({ where: { id: userId } })).email;

async function request(key: string, app: string, entitlement: string, extra: { durationDays?: number } = {}) {
  const actor = await demo.actor(key);
  const e = await demo.entitlement(app, entitlement);
  const { id, status } = await createRequest(demo.db, actor, { entitlementId: e.id, justification: "Needed for the Q4 platform migration.", ...extra });
  return { id, status, actor, entitlementId: e.id };
}

/** The open steps of a request, as "position label: approver email". */
async function openSteps(requestId: string) {
  const steps = await demo.db.approvalStep.findMany({ where: { requestId, status: "PENDING" }, orderBy: [{ position: "asc" }, { approverId: "asc" }], include: { approver: true } });
  return steps.map((s) => `${s.position} ${s.label}: ${s.approver.email}`);
}

async function decideAs(key: string, requestId: string, decision: "APPROVE" | "DENY" = "APPROVE", comment?: string) {
  const actor = await demo.actor(key);
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId, approverId: actor.id, status: "PENDING" } });
  return decideStep(demo.db, actor, { stepId: step.id, decision, comment });
}

describe("which policy applies", () => {
  it("takes the entitlement's policy, else the app's default, else the global default, and shows the approvers by name", async () => {
    const erin = await demo.actor("erin");
    const carla = await demo.actor("carla");
    const preview = async (actor: typeof erin, app: string, name: string, durationDays?: number) =>
      previewRequest(demo.db, actor, { entitlementId: (await demo.entitlement(app, name)).id, durationDays });

    const developers = await preview(erin, "github", "Developers");
    expect(developers.policy).toMatchObject({ name: "Manager approval", source: "global" });
    expect(developers.steps).toEqual([{ label: "Manager", requireAll: false, because: null, approvers: [{ name: "Maya Chen", role: "MANAGER", note: null }] }]);

    const reports = await preview(carla, "salesforce", "Report Builder");
    expect(reports.policy).toMatchObject({ name: "Manager, then app owner", source: "app" });
    expect(reports.steps.map((s) => `${s.label}: ${s.approvers.map((a) => a.name).join(", ")}`)).toEqual(["Manager: Sam Rivera", "App owner: Raj Iyer"]);

    const owner = await preview(erin, "github", "Org Owner", 14);
    expect(owner.policy).toMatchObject({ name: "Admin access", source: "entitlement" });
    expect(owner.maxDurationDays).toBe(30);
    expect(owner.steps.map((s) => [s.label, s.requireAll, s.approvers.map((a) => a.name).sort()])).toEqual([
      ["Manager", false, ["Maya Chen"]],
      ["App owner", false, ["Omar Haddad"]],
      ["Security review", true, ["Lena Fischer", "Rosa Diaz"]],
    ]);

    const readOnly = await preview(carla, "salesforce", "Read Only");
    expect(readOnly).toMatchObject({ autoApprove: true, steps: [], policy: { name: "Auto-approve (low risk)" } });
  });

  it("adds a step when a condition holds: high risk adds the security review, a long duration adds the app owner", async () => {
    const tom = await demo.actor("tom");
    const auditor = await previewRequest(demo.db, tom, { entitlementId: (await demo.entitlement("aws", "Security Auditor")).id });
    expect(auditor.steps.map((s) => s.label)).toEqual(["Manager", "Security review"]);
    expect(auditor.steps[1]!.because).toBe("Added because the entitlement is high risk.");

    const admin = await demo.actor("admin");
    const created = await proposePolicyChange(demo.db, admin, {
      kind: "create",
      definition: {
        name: "Design tools",
        steps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }],
        conditions: [{ when: { kind: "DURATION_OVER", days: 30 }, addStep: { label: "App owner", mode: "ANY", approvers: [{ type: "APP_OWNER" }] } }],
      },
    });
    const figma = await demo.db.app.findUniqueOrThrow({ where: { slug: "figma" } });
    expect(await proposePolicyChange(demo.db, admin, { kind: "attach", target: { kind: "app", appId: figma.id }, policyId: created.policyId! })).toMatchObject({ status: "APPLIED" });
    const ana = await demo.actor("ana");
    const viewer = (await demo.entitlement("figma", "Viewer")).id;
    const labels = async (durationDays?: number) => (await previewRequest(demo.db, ana, { entitlementId: viewer, durationDays })).steps.map((s) => s.label);
    expect(await labels(7)).toEqual(["Manager"]);
    expect(await labels(60)).toEqual(["Manager", "App owner"]);
    // Access without an end date is longer than any limit.
    expect(await labels()).toEqual(["Manager", "App owner"]);
    await proposePolicyChange(demo.db, admin, { kind: "attach", target: { kind: "app", appId: figma.id }, policyId: null });
  });
});

describe("multi-step approval", () => {
  it("asks the app owner only once the manager approved; the owner's approval creates the grant", async () => {
    const { id } = await request("nora", "salesforce", "Report Builder");
    expect(await openSteps(id)).toEqual(["0 Manager: sam@example.com"]);
    // Raj is not asked yet: nothing of this request is in his hands.
    const raj = await demo.actor("raj");
    expect(await demo.db.approvalStep.count({ where: { requestId: id, approverId: raj.id } })).toBe(0);

    expect(await decideAs("sam", id, "APPROVE", "She covers the Nordics accounts.")).toMatchObject({ status: "PENDING_APPROVAL" });
    expect(await openSteps(id)).toEqual(["1 App owner: raj@example.com"]);
    const rajStep = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id, approverId: raj.id } });
    const events = await demo.db.outboxEvent.findMany({ where: { name: "access/request.submitted" } });
    expect(events.map((e) => (e.data as { stepId: string }).stepId)).toContain(rajStep.id);
    expect(await demo.db.grant.count({ where: { requestId: id } })).toBe(0);

    expect(await decideAs("raj", id)).toMatchObject({ status: "APPROVED" });
    expect(await demo.db.grant.count({ where: { requestId: id } })).toBe(1);
    const audit = await demo.db.auditEvent.findMany({ where: { requestId: id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["request.submitted", "approval.step_approved", "approval.step_opened", "request.approved", "grant.created"]);
  });

  it("stops at the first denial: later steps are never opened", async () => {
    const { id } = await request("zoe", "salesforce", "Report Builder");
    expect(await decideAs("sam", id, "DENY", "Not in your territory.")).toMatchObject({ status: "DENIED" });
    expect(await openSteps(id)).toEqual([]);
    expect(await demo.db.approvalStep.count({ where: { requestId: id, position: 1 } })).toBe(0);
  });

  it("needs every approver of an all-of step, and closes an any-of step on the first decision", async () => {
    const { id } = await request("erin", "github", "Org Owner", { durationDays: 14 });
    await decideAs("maya", id);
    await decideAs("omar", id);
    expect((await openSteps(id)).sort()).toEqual(["2 Security review: lena@example.com", "2 Security review: rosa@example.com"]);
    expect(await decideAs("rosa", id)).toMatchObject({ status: "PENDING_APPROVAL" });
    expect(await openSteps(id)).toEqual(["2 Security review: lena@example.com"]);
    expect(await decideAs("lena", id)).toMatchObject({ status: "APPROVED" });

    // Any one of the security team: Lena's approval ends the step, Rosa's row is no longer needed and her link says so.
    const auditor = await request("tom", "aws", "Security Auditor");
    await decideAs("maya", auditor.id);
    const rosaStep = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: auditor.id, approverId: (await demo.actor("rosa")).id } });
    const links = await demo.db.$transaction((tx) => issueApprovalTokens(tx, rosaStep));
    expect(await decideAs("lena", auditor.id)).toMatchObject({ status: "APPROVED" });
    expect((await demo.db.approvalStep.findUniqueOrThrow({ where: { id: rosaStep.id } })).status).toBe("SKIPPED");
    expect(await codeOf(decideByToken(demo.db, await demo.actor("rosa"), links.approve))).toMatch(/^CONFLICT: This request has already been decided/);
  });

  it("approves an auto-approve request as it is submitted, and queues provisioning", async () => {
    const { id, status } = await request("ben", "salesforce", "Read Only");
    expect(status).toBe("APPROVED");
    const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } });
    const events = await demo.db.outboxEvent.findMany({ where: { name: "access/grant.approved" } });
    expect(events.map((e) => (e.data as { grantId: string }).grantId)).toContain(grant.id);
    const audit = await demo.db.auditEvent.findMany({ where: { requestId: id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["request.submitted", (await demo.actor("ben")).id],
      ["request.auto_approved", null],
      ["grant.created", null],
    ]);
  });

  it("enforces the policy's duration cap, saying what to choose", async () => {
    const owner = (await demo.entitlement("salesforce", "System Administrator")).id;
    const carla = await demo.actor("carla");
    const ask = (durationDays?: number) => codeOf(createRequest(demo.db, carla, { entitlementId: owner, justification: "Migrating the price books.", durationDays }));
    expect(await ask()).toBe("BAD_REQUEST: The “Admin access” policy only grants this access for a limited time: choose a duration of at most 30 days.");
    expect(await ask(45)).toBe("BAD_REQUEST: The “Admin access” policy allows at most 30 days for this access: choose 30 days or fewer.");
    expect(await ask(30)).toBe("ok");
  });
});

describe("nobody approves their own request", () => {
  it("routes a step the requester would approve to their manager's manager, or the app owner", async () => {
    // Raj owns Salesforce: his own request's owner step goes to his manager's manager (Alex).
    const { id } = await request("raj", "salesforce", "Report Builder");
    await decideAs("sam", id);
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id, position: 1 }, include: { approver: true } });
    expect(step).toMatchObject({ assignedAs: "SKIP_LEVEL", routingNote: "The requester would approve their own request: routed to the requester's manager's manager." });
    expect(step.approver.email).toBe("admin@example.com");
    await expect(decideStep(demo.db, await demo.actor("raj"), { stepId: step.id, decision: "APPROVE" })).rejects.toThrow(/your own request/);

    // Lena is in the security team that must all approve: the step keeps Rosa. Nobody could replace
    // Lena without deciding a second step of her request (Maya, then Alex for the owner), so Rosa alone reviews.
    const lenas = await request("lena", "aws", "Administrator (production)", { durationDays: 7 });
    const plan = (await demo.db.accessRequest.findUniqueOrThrow({ where: { id: lenas.id } })).plannedSteps as { label: string; approvers: { userId: string }[] }[];
    const security = plan.find((s) => s.label === "Security review")!;
    const emails = await Promise.all(security.approvers.map((a) => email(a.userId)));
    expect(emails).toEqual(["rosa@example.com"]);
    // She owns AWS too: the app owner step went elsewhere.
    const ownerStep = plan.find((s) => s.label === "App owner")!;
    expect(await email(ownerStep.approvers[0]!.userId)).not.toBe("lena@example.com");
  });
});

describe("reassignment and delegation", () => {
  it("lets the approver hand a step on with a reason; their old link stops working and says why", async () => {
    const { id, actor: requester } = await request("yuki", "github", "Security Reviewers");
    const maya = await demo.actor("maya");
    const priya = await demo.actor("priya");
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
    const links = await demo.db.$transaction((tx) => issueApprovalTokens(tx, step));
    await expect(reassignStep(demo.db, maya, { stepId: step.id, toUserId: requester.id, reason: "She knows best." })).rejects.toThrow(/own request/);
    await expect(reassignStep(demo.db, maya, { stepId: step.id, toUserId: priya.id, reason: "" })).rejects.toThrow();
    await expect(reassignStep(demo.db, await demo.actor("tom"), { stepId: step.id, toUserId: priya.id, reason: "I know this one." })).rejects.toThrow(/assigned approver or an admin/);
    const lara = await demo.actor("lara");
    await demo.db.user.update({ where: { id: lara.id }, data: { lifecycleState: "LEAVE" } });
    await expect(reassignStep(demo.db, maya, { stepId: step.id, toUserId: lara.id, reason: "Lara knows the repo." })).rejects.toThrow(/on leave or have left/);
    await demo.db.user.update({ where: { id: lara.id }, data: { lifecycleState: "ACTIVE" } });
    await reassignStep(demo.db, maya, { stepId: step.id, toUserId: priya.id, reason: "Priya runs the security rotation this month." });
    expect(await demo.db.$transaction((tx) => checkApprovalToken(tx, links.approve, maya.id))).toMatchObject({ ok: false, problem: "reassigned" });
    await expect(decideStep(demo.db, maya, { stepId: step.id, decision: "APPROVE" })).rejects.toThrow(/assigned approver/);
    expect(await decideStep(demo.db, priya, { stepId: step.id, decision: "APPROVE" })).toMatchObject({ status: "APPROVED" });
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { requestId: id, action: "approval.reassigned" } });
    expect(audit).toMatchObject({ actorId: maya.id, reason: "Priya runs the security rotation this month.", before: { approverId: maya.id }, after: { approverId: priya.id } });
  });

  it("sends steps to the out-of-office delegate for the date range only, and moves waiting ones when it starts", async () => {
    const jonas = await demo.actor("jonas");
    const priya = await demo.actor("priya");
    const waiting = await request("felix", "figma", "Editor");
    const now = Date.now();
    const { id: delegationId } = await createDelegation(demo.db, jonas, { delegateId: priya.id, startsAt: new Date(now - 1000), endsAt: new Date(now + 3 * DAY), reason: "Design week in Lisbon" });
    expect(await startDelegation(demo.db, delegationId)).toEqual({ moved: 1 });
    expect(await openSteps(waiting.id)).toEqual(["0 Manager: priya@example.com"]);

    const fresh = await request("grace", "figma", "Editor");
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: fresh.id } });
    expect(step).toMatchObject({ approverId: priya.id, delegatedFromId: jonas.id });
    expect(await decideStep(demo.db, priya, { stepId: step.id, decision: "APPROVE" })).toMatchObject({ status: "APPROVED" });

    // A delegation that has not started yet changes nothing.
    const sam = await demo.actor("sam");
    await createDelegation(demo.db, sam, { delegateId: priya.id, startsAt: new Date(now + 5 * DAY), endsAt: new Date(now + 8 * DAY) });
    const later = await request("carla", "salesforce", "Sales Manager");
    expect(await openSteps(later.id)).toEqual(["0 Manager: sam@example.com"]);
    await expect(createDelegation(demo.db, sam, { delegateId: priya.id, startsAt: new Date(now + 9 * DAY), endsAt: new Date(now + 8 * DAY) })).rejects.toThrow();
  });
});

describe("segregation of duties", () => {
  it("blocks a request that would create a blocking conflict, saying which rule and what they hold", async () => {
    const hugo = await demo.actor("hugo");
    await demo.db.grant.create({ data: { userId: hugo.id, entitlementId: (await demo.entitlement("aws", "Administrator (production)")).id, status: "PROVISIONED" } });
    const auditor = (await demo.entitlement("aws", "Security Auditor")).id;
    const preview = await previewRequest(demo.db, hugo, { entitlementId: auditor });
    expect(preview.blocked).toBe(
      "Blocked by segregation of duties: you already have AWS / Administrator (production), and the rule “Audit and administer production” does not allow holding both. Whoever audits production must not also administer it. To get this access, you would first have to give up AWS / Administrator (production).",
    );
    expect(await codeOf(createRequest(demo.db, hugo, { entitlementId: auditor, justification: "Quarterly access review." }))).toBe(`FORBIDDEN: ${preview.blocked}`);
    expect(await demo.db.accessRequest.count({ where: { requesterId: hugo.id, entitlementId: auditor } })).toBe(0);

    // A pending request counts too: two requests cannot sneak a conflict in together.
    const { actor: ines } = await request("ines", "aws", "Security Auditor");
    const admin = (await demo.entitlement("aws", "Administrator (production)")).id;
    expect(await codeOf(createRequest(demo.db, ines, { entitlementId: admin, justification: "Break-glass cover.", durationDays: 7 }))).toMatch(/^FORBIDDEN: Blocked by segregation of duties: you have already asked for AWS \/ Security Auditor/);
  });

  it("routes an exception-rule conflict to the rule's approver, and lists the conflict once granted", async () => {
    const erin = await demo.actor("erin");
    await demo.db.grant.create({ data: { userId: erin.id, entitlementId: (await demo.entitlement("github", "Maintainers")).id, status: "PROVISIONED" } });
    const { id } = await request("erin", "github", "Security Reviewers");
    const plan = (await previewRequest(demo.db, await demo.actor("tom"), { entitlementId: (await demo.entitlement("github", "Security Reviewers")).id })).steps;
    expect(plan.map((s) => s.label)).toEqual(["Manager"]);
    expect(await approveAllSteps(demo, id)).toEqual(["maya@example.com", "rosa@example.com"]);
    const last = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id, position: 1 } });
    expect(last).toMatchObject({ label: "Segregation of duties exception", assignedAs: "SOD_EXCEPTION" });
    const report = await sodReport(demo.db);
    expect(report.conflicts).toContainEqual(
      expect.objectContaining({ ruleName: "Merge and triage security advisories", person: expect.objectContaining({ email: "erin@example.com" }), exceptionApprovedBy: "Rosa Diaz" }),
    );
    expect(report.conflicts).not.toContainEqual(expect.objectContaining({ person: expect.objectContaining({ email: "hugo@example.com" }) }));
  });
});

describe("changing policies", () => {
  it("applies an ordinary change at once, audited with before and after", async () => {
    const admin = await demo.actor("admin");
    const policy = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Manager, then app owner" } });
    const result = await proposePolicyChange(demo.db, admin, {
      kind: "update",
      policyId: policy.id,
      definition: { name: policy.name, steps: [{ label: "App owner", mode: "ANY", approvers: [{ type: "APP_OWNER" }] }] },
    });
    expect(result).toMatchObject({ status: "APPLIED" });
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { action: "policy.updated", objectId: policy.id } });
    expect((audit.before as { steps: unknown[] }).steps).toHaveLength(2);
    expect((audit.after as { steps: unknown[] }).steps).toHaveLength(1);
    expect(audit.actorId).toBe(admin.id);
    // Put it back for the other tests' sake.
    await proposePolicyChange(demo.db, admin, { kind: "update", policyId: policy.id, definition: { name: policy.name, description: policy.description, steps: policy.steps as never } });
  });

  it("holds a change to a policy covering admin access until a second admin approves it", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const policy = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Admin access" } });
    const loosened = await proposePolicyChange(demo.db, alex, { kind: "update", policyId: policy.id, definition: { name: "Admin access", autoApprove: true } });
    expect(loosened).toMatchObject({ status: "PENDING" });
    expect(loosened.message).toMatch(/another admin must approve it/);
    expect((await demo.db.requestPolicy.findUniqueOrThrow({ where: { id: policy.id } })).autoApprove).toBe(false);
    expect(await codeOf(decidePolicyChange(demo.db, alex, { id: loosened.changeId, decision: "APPROVE" }))).toBe("FORBIDDEN: Another admin must approve a change you proposed.");
    expect(await decidePolicyChange(demo.db, rosa, { id: loosened.changeId, decision: "REJECT", note: "Admin access is never automatic." })).toMatchObject({ status: "REJECTED" });
    expect((await demo.db.requestPolicy.findUniqueOrThrow({ where: { id: policy.id } })).autoApprove).toBe(false);

    // Quietly moving an admin entitlement to a laxer policy, or unmarking it, is held too.
    const orgOwner = await demo.entitlement("github", "Org Owner");
    const lax = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } });
    expect(await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: orgOwner.id }, policyId: lax.id })).toMatchObject({ status: "PENDING" });
    expect(await proposePolicyChange(demo.db, alex, { kind: "risk", entitlementId: orgOwner.id, riskLevel: "LOW", adminAccess: false })).toMatchObject({ status: "PENDING" });

    const tightened = await proposePolicyChange(demo.db, alex, { kind: "update", policyId: policy.id, definition: { ...(policy as never as object), name: "Admin access", steps: policy.steps as never, maxDurationDays: 14 } });
    expect(await decidePolicyChange(demo.db, rosa, { id: tightened.changeId, decision: "APPROVE" })).toMatchObject({ status: "APPLIED" });
    expect((await demo.db.requestPolicy.findUniqueOrThrow({ where: { id: policy.id } })).maxDurationDays).toBe(14);
    const trail = await demo.db.auditEvent.findMany({ where: { OR: [{ objectId: tightened.changeId }, { action: "policy.updated", objectId: policy.id }] }, orderBy: { seq: "asc" } });
    expect(trail.map((a) => [a.action, a.actorId])).toEqual([
      ["policy_change.proposed", alex.id],
      ["policy_change.approved", rosa.id],
      ["policy.updated", rosa.id],
    ]);
  });

  it("holds a change to the members of a group that approves admin access; other groups change at once", async () => {
    const alex = await demo.actor("admin");
    const security = await demo.db.userGroup.findUniqueOrThrow({ where: { name: "Security team" }, include: { members: true } });
    const withAlex = await saveGroup(demo.db, alex, { id: security.id, name: security.name, memberIds: [...security.members.map((m) => m.userId), alex.id] });
    expect(withAlex).toMatchObject({ status: "PENDING" });
    expect(await demo.db.userGroupMember.count({ where: { groupId: security.id } })).toBe(2);
    const newGroup = await saveGroup(demo.db, alex, { name: "Finance approvers", memberIds: [(await demo.actor("priya")).id] });
    expect(newGroup).toMatchObject({ status: "APPLIED" });
    expect(await demo.db.userGroupMember.count({ where: { groupId: newGroup.groupId! } })).toBe(1);
  });

  it("refuses a policy without steps that does not auto-approve, naming the field", async () => {
    const admin = await demo.actor("admin");
    await expect(proposePolicyChange(demo.db, admin, { kind: "create", definition: { name: "Empty", steps: [] } })).rejects.toThrow(/Add at least one approval step/);
  });
});
