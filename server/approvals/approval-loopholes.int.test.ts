import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { createDelegation, startDelegation } from "@/server/approvals/delegation";
import { reassignStep } from "@/server/approvals/reassign";
import { escalateStep } from "@/server/approvals/reminders";
import { AppError } from "@/server/errors";
import { createRequest } from "@/server/requests/create-request";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The black-box attack on approvals: one person deciding several rows of a request (an admin
// reassigning every step to themself, a co-approver of an all-of step handing their row to the other
// approver), and hand-ons (delegation, escalation) landing on people who are on leave or gone.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? `${e.code}: ${e.message}` : String(e)));

async function request(key: string, app: string, entitlement: string, durationDays?: number) {
  const actor = await demo.actor(key);
  const e = await demo.entitlement(app, entitlement);
  const { id } = await createRequest(demo.db, actor, { entitlementId: e.id, justification: "Needed for the Q1 platform migration.", durationDays });
  return id;
}

const pendingRows = (requestId: string) =>
  demo.db.approvalStep.findMany({ where: { requestId, status: "PENDING" }, include: { approver: { select: { email: true } } }, orderBy: { createdAt: "asc" } });
const firstPending = async (requestId: string) => (await pendingRows(requestId))[0]!;
const setState = (key: string, lifecycleState: "ACTIVE" | "LEAVE" | "TERMINATED") =>
  demo.actor(key).then((a) => demo.db.user.update({ where: { id: a.id }, data: { lifecycleState } }));

describe("one admin cannot walk an admin-access request through its steps alone", () => {
  it("refuses an admin taking over an admin-access step, and the admin who handed one on decides nothing", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const id = await request("erin", "github", "Org Owner", 14);
    const manager = await firstPending(id);
    expect(manager.approver.email).toBe("maya@example.com");

    // The attack: reassign the step to themself, approve, repeat for every step.
    expect(await outcome(reassignStep(demo.db, alex, { stepId: manager.id, toUserId: alex.id, reason: "I will handle this one." }))).toBe(
      "FORBIDDEN: An admin cannot take over an approval of admin access: hand it to someone else, or ask another admin to hand it to you.",
    );
    expect((await demo.db.approvalStep.findUniqueOrThrow({ where: { id: manager.id } })).approverId).toBe((await demo.actor("maya")).id);

    // Handing it to a second admin works, is audited, and is Alex's one say in this request.
    await reassignStep(demo.db, alex, { stepId: manager.id, toUserId: rosa.id, reason: "Maya is at the offsite all week." });
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { requestId: id, action: "approval.reassigned" } });
    expect(audit).toMatchObject({ actorId: alex.id, after: { approverId: rosa.id, handedOnBy: alex.id } });
    await decideStep(demo.db, rosa, { stepId: manager.id, decision: "APPROVE" });

    const owner = await firstPending(id);
    expect(owner.approver.email).toBe("omar@example.com");
    expect(await outcome(reassignStep(demo.db, alex, { stepId: owner.id, toUserId: alex.id, reason: "I will handle this one." }))).toMatch(/^FORBIDDEN: An admin cannot take over/);
    expect(await outcome(reassignStep(demo.db, alex, { stepId: owner.id, toUserId: (await demo.actor("lena")).id, reason: "Lena knows GitHub." }))).toBe(
      "FORBIDDEN: You already chose who decides a step of this admin-access request: ask another admin to hand this step on.",
    );
    // Rosa decided the first step: she cannot be handed the second.
    expect(await outcome(reassignStep(demo.db, await demo.actor("omar"), { stepId: owner.id, toUserId: rosa.id, reason: "Security should look." }))).toMatch(
      /^CONFLICT: They already decided the “Manager” step of this request/,
    );
    // Backstop: even a row that somehow reaches Alex (or Rosa again) cannot be decided by them.
    await demo.db.approvalStep.update({ where: { id: owner.id }, data: { approverId: alex.id, reassignedFromId: owner.approverId } });
    expect(await outcome(decideStep(demo.db, alex, { stepId: owner.id, decision: "APPROVE" }))).toMatch(/^FORBIDDEN: You already chose who decides a step/);
    await demo.db.approvalStep.update({ where: { id: owner.id }, data: { approverId: rosa.id } });
    expect(await outcome(decideStep(demo.db, rosa, { stepId: owner.id, decision: "APPROVE" }))).toMatch(/^FORBIDDEN: You already decided the “Manager” step/);
    expect((await demo.db.accessRequest.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING_APPROVAL");
  });

  it("lets an admin take over one step of an ordinary multi-step request, but not a second", async () => {
    const alex = await demo.actor("admin");
    const id = await request("carla", "salesforce", "Report Builder");
    const manager = await firstPending(id);
    await reassignStep(demo.db, alex, { stepId: manager.id, toUserId: alex.id, reason: "Sam is travelling." });
    await decideStep(demo.db, alex, { stepId: manager.id, decision: "APPROVE" });
    const owner = await firstPending(id);
    expect(owner.approver.email).toBe("raj@example.com");
    expect(await outcome(reassignStep(demo.db, alex, { stepId: owner.id, toUserId: alex.id, reason: "Raj is travelling too." }))).toBe(
      "CONFLICT: They already decided the “Manager” step of this request: each step needs a different person, so choose someone else.",
    );
    expect(await outcome(decideStep(demo.db, alex, { stepId: owner.id, decision: "APPROVE" }))).toMatch(/^FORBIDDEN/);
    expect(await decideStep(demo.db, await demo.actor("raj"), { stepId: owner.id, decision: "APPROVE" })).toMatchObject({ status: "APPROVED" });
  });

  it("plans a different person for each step: the AWS owner in the security team is replaced in the all-of step", async () => {
    const id = await request("hugo", "aws", "Administrator (production)", 7);
    const approvedBy = await approveAllSteps(demo, id);
    expect(approvedBy).toEqual(["priya@example.com", "lena@example.com", "rosa@example.com", "admin@example.com"]);
    expect(new Set(approvedBy).size).toBe(approvedBy.length);
    const replaced = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id, position: 2, approver: { email: "admin@example.com" } } });
    expect(replaced.routingNote).toBe("Each step needs a different person, and this step's approver decides an earlier one: routed to the requester's manager's manager.");
  });

  it("does not ask a later step's approver who already decided an earlier one: an all-of step gets someone else", async () => {
    const maya = await demo.actor("maya");
    const rosa = await demo.actor("rosa");
    const id = await request("yuki", "github", "Org Owner", 14);
    await reassignStep(demo.db, maya, { stepId: (await firstPending(id)).id, toUserId: rosa.id, reason: "Rosa is reviewing GitHub access this week." });
    await decideStep(demo.db, rosa, { stepId: (await firstPending(id)).id, decision: "APPROVE" });
    await decideStep(demo.db, await demo.actor("omar"), { stepId: (await firstPending(id)).id, decision: "APPROVE" });
    // The security review needs Lena and Rosa; Rosa had her say, so Yuki's manager's manager stands in.
    const security = await pendingRows(id);
    expect(security.map((r) => r.approver.email).sort()).toEqual(["admin@example.com", "lena@example.com"]);
    expect(security.find((r) => r.approver.email === "admin@example.com")!.routingNote).toBe(
      "Rosa Diaz already had their say in this request, and each step needs a different person: routed to Alex Morgan.",
    );
  });
});

describe("an all-of step needs different people", () => {
  it("refuses a co-approver handing their row to the approver who already approved", async () => {
    const id = await request("tom", "github", "Org Owner", 14);
    await decideStep(demo.db, await demo.actor("maya"), { stepId: (await firstPending(id)).id, decision: "APPROVE" });
    await decideStep(demo.db, await demo.actor("omar"), { stepId: (await firstPending(id)).id, decision: "APPROVE" });
    const rows = await pendingRows(id);
    expect(rows.map((r) => r.approver.email).sort()).toEqual(["lena@example.com", "rosa@example.com"]);
    const rosa = await demo.actor("rosa");
    const lena = await demo.actor("lena");
    const lenasRow = rows.find((r) => r.approverId === lena.id)!;
    expect(await outcome(reassignStep(demo.db, lena, { stepId: lenasRow.id, toUserId: rosa.id, reason: "Rosa covers this." }))).toBe("CONFLICT: They are already an approver of this step.");

    await decideStep(demo.db, rosa, { stepId: rows.find((r) => r.approverId === rosa.id)!.id, decision: "APPROVE" });
    expect(await outcome(reassignStep(demo.db, lena, { stepId: lenasRow.id, toUserId: rosa.id, reason: "Rosa covers this." }))).toBe(
      "CONFLICT: They already decided the “Security review” step of this request: each step needs a different person, so choose someone else.",
    );
    expect((await demo.db.approvalStep.findUniqueOrThrow({ where: { id: lenasRow.id } })).approverId).toBe(lena.id);
    expect((await demo.db.accessRequest.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING_APPROVAL");
  });

  it("never hands a step to the requester or to whoever asked on their behalf", async () => {
    const maya = await demo.actor("maya");
    const yuki = await demo.actor("yuki");
    const e = await demo.entitlement("figma", "Editor");
    const { id } = await createRequest(demo.db, maya, { entitlementId: e.id, justification: "Yuki joins the design QA rota.", forUserId: yuki.id });
    const step = await firstPending(id);
    expect(step.approver.email).toBe("admin@example.com");
    const alex = await demo.actor("admin");
    for (const to of [yuki, maya]) {
      expect(await outcome(reassignStep(demo.db, alex, { stepId: step.id, toUserId: to.id, reason: "They know the context." }))).toBe(
        "BAD_REQUEST: Nobody can approve their own request: choose someone else.",
      );
    }
  });
});

describe("delegation and escalation skip people on leave or gone", () => {
  it("passes over an out-of-office delegate who is on leave, to the delegator's manager, saying why", async () => {
    const jonas = await demo.actor("jonas");
    const priya = await demo.actor("priya");
    const waiting = await request("felix", "figma", "Viewer");
    const now = Date.now();
    await createDelegation(demo.db, jonas, { delegateId: priya.id, startsAt: new Date(now - 1000), endsAt: new Date(now + 86_400_000), reason: "Conference" });
    await setState("priya", "LEAVE");
    try {
      const delegation = await demo.db.delegation.findFirstOrThrow({ where: { delegatorId: jonas.id } });
      expect(await startDelegation(demo.db, delegation.id)).toEqual({ moved: 1 });
      const moved = await firstPending(waiting);
      expect(moved).toMatchObject({ approver: { email: "admin@example.com" }, delegatedFromId: jonas.id });
      expect(moved.reassignReason).toMatch(/Jonas Berg is out of office and their delegate Priya Patel is on leave: routed to Alex Morgan \(Jonas Berg's manager\)\.$/);

      // A new request reaching Jonas meanwhile goes the same way.
      const fresh = await request("grace", "figma", "Viewer");
      expect(await firstPending(fresh)).toMatchObject({
        approver: { email: "admin@example.com" },
        delegatedFromId: jonas.id,
        routingNote: "Jonas Berg is out of office and their delegate Priya Patel is on leave: routed to Alex Morgan (Jonas Berg's manager).",
      });
      const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { requestId: waiting, action: "approval.delegated" } });
      expect(audit.reason).toMatch(/Priya Patel is on leave/);

      // Gone altogether: the same.
      await setState("priya", "TERMINATED");
      const third = await request("ana", "figma", "Viewer");
      expect((await firstPending(third)).routingNote).toBe("Jonas Berg is out of office and their delegate Priya Patel has left: routed to Alex Morgan (Jonas Berg's manager).");
    } finally {
      await setState("priya", "ACTIVE");
      await demo.db.delegation.updateMany({ where: { delegatorId: jonas.id }, data: { cancelledAt: new Date() } });
    }
  });

  it("escalates past a manager who left to the next manager up, then the app owner", async () => {
    const maya = await demo.actor("maya");
    const sam = await demo.actor("sam");
    const alex = await demo.actor("admin");
    await demo.db.user.update({ where: { id: maya.id }, data: { managerId: sam.id } });
    await setState("sam", "TERMINATED");
    try {
      const id = await request("yuki", "figma", "Viewer");
      const step = await firstPending(id);
      expect(step.approver.email).toBe("maya@example.com");
      expect(await escalateStep(demo.db, step.id, maya.id)).toEqual({ escalatedTo: alex.id });
      const escalated = await demo.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } });
      expect(escalated).toMatchObject({ approverId: alex.id, escalatedFromId: maya.id, routingNote: "Sam Rivera has left: routed to Alex Morgan (the next manager up)." });
      const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { requestId: id, action: "approval.escalated" } });
      expect(audit.reason).toMatch(/Sam Rivera has left: routed to Alex Morgan/);

      // Nobody up the chain is there: the app owner (Jonas owns Figma) takes it.
      await setState("admin", "LEAVE");
      const next = await request("tom", "figma", "Viewer");
      const tomsStep = await firstPending(next);
      expect(await escalateStep(demo.db, tomsStep.id, maya.id)).toEqual({ escalatedTo: (await demo.actor("jonas")).id });
      expect((await demo.db.approvalStep.findUniqueOrThrow({ where: { id: tomsStep.id } })).routingNote).toBe(
        "Sam Rivera has left; Alex Morgan is on leave: routed to Jonas Berg (the app owner).",
      );
    } finally {
      await setState("admin", "ACTIVE");
      await setState("sam", "ACTIVE");
      await demo.db.user.update({ where: { id: maya.id }, data: { managerId: alex.id } });
    }
  });
});
