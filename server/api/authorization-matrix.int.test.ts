import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import type { Actor } from "@/server/actor";
import { createDelegation } from "@/server/approvals/delegation";
import { issueApprovalTokens } from "@/server/approvals/tokens";
import { proposePolicyChange } from "@/server/policies/changes";
import { createSodRule } from "@/server/policies/sod";
import { openTask } from "@/server/provisioning/tasks";
import { createRequest } from "@/server/requests/create-request";
import { withdrawRequest } from "@/server/requests/withdraw-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { githubRun, unmanagedFinding } from "@/test/reconciliation-findings";
import { days, matrix, roles, type Objects, type Outcome, type Role } from "@/test/authorization-matrix";

// Every procedure × every role (the table is test/authorization-matrix.ts), each on fresh objects.

/** What a review item of Erin's GitHub access holds (server/reviews/snapshot.ts). */
const reviewSnapshot = {
  kind: "access",
  person: { name: "Erin Walsh", email: "erin@example.com", title: "Software Engineer", department: "Engineering" },
  access: { app: "GitHub", name: "Developers", description: null, risk: "LOW", adminAccess: false, items: [] },
  source: "Granted directly",
  justification: null,
  grantedAt: new Date().toISOString(),
  expiresAt: null,
  lastReviewedAt: null,
  peers: null,
  usage: "Unknown",
  appOwnerId: "",
};

let demo: DemoDatabase;
let erin: Actor;
beforeAll(async () => {
  demo = await demoDatabase();
  erin = await demo.actor("erin");
});
afterAll(async () => demo?.close());

/** A fresh pending request by Erin for each cell, so one cell's effect never decides another's. */
async function freshObjects(cell: number): Promise<Objects> {
  const pending = await demo.db.accessRequest.findMany({ where: { requesterId: erin.id, status: "PENDING_APPROVAL" } });
  for (const r of pending) await withdrawRequest(demo.db, erin, { id: r.id });
  const developers = await demo.entitlement("github", "Developers");
  const { id } = await createRequest(demo.db, erin, { entitlementId: developers.id, justification: "Reviewing the payments code." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
  // Entitlements nobody has asked for yet, one per cell, for the create procedure.
  const all = await demo.db.entitlement.findMany({ where: { app: { slug: { in: ["aws", "salesforce", "figma"] } }, adminAccess: false }, orderBy: { id: "asc" } });
  const grant = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: developers.id, status: "PROVISIONED" } });
  const held = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: developers.id, status: "PENDING", awaitingRelease: true } });
  // On an entitlement nobody requests here: a retried grant is Pending again and would count as held.
  const reviewers = await demo.entitlement("github", "Security Reviewers");
  const approved = await demo.db.accessRequest.create({ data: { requesterId: erin.id, entitlementId: reviewers.id, justification: "Reviewing the advisories.", status: "APPROVED" } });
  const failed = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: reviewers.id, requestId: approved.id, status: "FAILED", failureReason: "SCIM target answered 401" } });
  const task = await openTask(demo.db, { grantId: grant.id, kind: "PROVISION", stepIndex: 0, reason: "Manual provisioning step", assignTo: "owner" });
  const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" }, include: { connectors: true } });
  const admin = await demo.actor("admin");
  const maya = await demo.actor("maya");
  const yuki = await demo.actor("yuki");
  const delegation = await createDelegation(demo.db, maya, { delegateId: yuki.id, startsAt: days(cell * 10 + 1), endsAt: days(cell * 10 + 3) });
  const orgOwner = await demo.entitlement("github", "Org Owner");
  const change = await proposePolicyChange(demo.db, await demo.actor("rosa"), { kind: "risk", entitlementId: orgOwner.id, riskLevel: "HIGH", adminAccess: true });
  const rule = await createSodRule(demo.db, admin, { name: `Cell ${cell} rule`, action: "BLOCK", entitlementIds: [all[0]!.id, all[1]!.id] });
  const profile = await demo.db.accessProfile.findUniqueOrThrow({ where: { name: "Sales starter kit" }, include: { rules: true } });
  // An open review of Erin's grant for Maya, written directly (launching snapshots every grant in scope).
  const campaign = await demo.db.reviewCampaign.create({
    data: { name: `Cell ${cell} review`, scope: { personIds: [erin.id] }, reviewerRule: { type: "MANAGER" }, startsAt: new Date(), dueAt: new Date(Date.now() + 14 * 86_400_000), status: "ACTIVE", createdById: admin.id },
  });
  const reviewItem = await demo.db.reviewItem.create({ data: { campaignId: campaign.id, grantId: grant.id, personId: erin.id, reviewerId: maya.id, snapshot: reviewSnapshot } });
  return {
    ...(await reconciliationObjects()),
    cell,
    requestId: id,
    stepId: step.id,
    approvalLink: await issueApprovalTokens(demo.db, step),
    otherEntitlementId: all[cell % all.length]!.id,
    taskId: task.id,
    grantId: grant.id,
    heldGrantId: held.id,
    failedGrantId: failed.id,
    appId: github.id,
    entitlementId: developers.id,
    connectorId: github.connectors[0]!.id,
    adminId: admin.id,
    requesterId: erin.id,
    bystanderId: yuki.id,
    delegationId: delegation.id,
    pendingChangeId: change.changeId,
    sodRuleId: rule.id,
    profileId: profile.id,
    profileRuleId: profile.rules[0]?.id,
    enrolleeId: (await demo.actor("zoe")).id,
    campaignId: campaign.id,
    reviewItemId: reviewItem.id,
    revocationHoldId: (await demo.db.revocationHold.create({ data: { source: "csv", title: `Cell ${cell} upload`, reason: "test", actorId: admin.id } })).id,
  };
}

/**
 * An open unmanaged membership of Yuki's on GitHub, which is authoritative (so revoking it is allowed);
 * the grant an earlier cell's adoption made is gone, so adopting it again is allowed too.
 */
async function reconciliationObjects() {
  const maintainers = await demo.entitlement("github", "Maintainers");
  const yuki = await demo.actor("yuki");
  await demo.db.grant.updateMany({ where: { userId: yuki.id, entitlementId: maintainers.id }, data: { status: "DEPROVISIONED" } });
  await demo.db.app.update({ where: { slug: "github" }, data: { portalAuthoritative: true } });
  const finding = await unmanagedFinding(demo, await githubRun(demo), "yuki", "Maintainers");
  return { findingId: finding.id };
}

async function call(role: Role, path: string, input: unknown): Promise<Outcome> {
  const key = roles[role];
  const caller = createCaller({ db: demo.db, actor: key ? await demo.actor(key) : null }) as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<unknown>>
  >;
  const [area, name] = path.split(".") as [string, string];
  return caller[area]![name]!(input).then(
    () => "ok",
    (e: unknown) => (e instanceof TRPCError ? (e.code as Outcome) : Promise.reject(e)),
  );
}

describe("the authorization matrix", () => {
  it("has an entry for every procedure of the router", () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it("gives every role exactly what the matrix says, on objects it does and does not own", async () => {
    const seen: string[] = [];
    let cell = 0;
    for (const [path, entry] of Object.entries(matrix)) {
      for (const role of Object.keys(roles) as Role[]) {
        const objects = await freshObjects(cell++);
        seen.push(`${path} as ${role}: ${await call(role, path, entry.input(objects))}`);
      }
    }
    const expected = Object.entries(matrix).flatMap(([path, entry]) =>
      (Object.keys(roles) as Role[]).map((role) => `${path} as ${role}: ${entry.expect[role]}`),
    );
    expect(seen).toEqual(expected);
  }, 600_000);
});
