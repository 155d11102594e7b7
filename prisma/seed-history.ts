import type { Operation } from "@/generated/prisma/enums";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { figmaReview, quarterlyReview, REVIEW_REVOKES, revokeNote } from "./seed-reviews";

// Four weeks of the demo organisation's past, so the monitor, audit trail, task queue, request pages and
// the admin home's request-to-access chart show something on first start: access that was asked for,
// approved, provisioned and has since ended; a few denials and a withdrawal; one provisioning failure
// that an admin fixed and retried; Figma's manual tasks, done by its provisioner with a note.
//
// Everything that is over has ended on the targets too, so the demo SCIM target (which starts empty)
// and the portal agree. The only access still held is Figma's, which is worked by hand (no target to
// disagree with), and one approval whose manual task is still open: it goes through the real engine
// (an outbox event) when the portal starts, so Ivan finds it in his queue. Access reviews: a quarterly
// one that closed a week ago (two of the grants below ended through it) and an open one of Figma seats
// (prisma/seed-reviews.ts).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Ids = { user: (key: string) => string; entitlement: (app: string, name: string) => Promise<{ id: string; externalName: string }> };

type Story = {
  who: string;
  approver: string;
  app: string;
  access: string;
  why: string;
  /** Days ago it was asked for. */
  daysAgo: number;
  /** Minutes the approver took. */
  approvalMinutes: number;
  /** Seconds from approval to provisioned. */
  provisionSeconds: number;
  /** Time-bound: days it lasted (it has ended). */
  days: number;
  /** Revoked in the quarterly access review before it ran out. */
  review?: keyof typeof REVIEW_REVOKES;
};

// Managers approve their reports' everyday access (the demo's global "Manager approval" policy).
const closed: Story[] = [
  { who: "tom", approver: "maya", app: "aws", access: "Developer (staging)", why: "Debugging the payment webhook retries in staging.", daysAgo: 27, approvalMinutes: 42, provisionSeconds: 3, days: 7 },
  { who: "yuki", approver: "maya", app: "github", access: "Security Reviewers", why: "Triage of the Dependabot backlog before the audit.", daysAgo: 26, approvalMinutes: 95, provisionSeconds: 2, days: 14 },
  { who: "zoe", approver: "sam", app: "aws", access: "Data Analyst", why: "Pipeline report for the quarterly business review.", daysAgo: 25, approvalMinutes: 18, provisionSeconds: 4, days: 7, review: "zoeDataLake" },
  { who: "ines", approver: "priya", app: "aws", access: "Billing Viewer", why: "Month-end cloud cost accrual.", daysAgo: 24, approvalMinutes: 240, provisionSeconds: 2, days: 5 },
  { who: "mia", approver: "priya", app: "aws", access: "Data Analyst", why: "Forecast model refresh needs the usage tables.", daysAgo: 22, approvalMinutes: 33, provisionSeconds: 3, days: 10 },
  { who: "tom", approver: "maya", app: "github", access: "Maintainers", why: "Release captain for the 4.2 release.", daysAgo: 21, approvalMinutes: 12, provisionSeconds: 2, days: 7 },
  { who: "nora", approver: "sam", app: "aws", access: "ReadOnly (production)", why: "Checking a customer's tenant configuration during an escalation.", daysAgo: 19, approvalMinutes: 65, provisionSeconds: 5, days: 2 },
  { who: "lara", approver: "priya", app: "aws", access: "Billing Viewer", why: "Payroll cost centre allocation.", daysAgo: 17, approvalMinutes: 300, provisionSeconds: 3, days: 7 },
  { who: "yuki", approver: "maya", app: "aws", access: "Developer (staging)", why: "Load test of the new search service.", daysAgo: 15, approvalMinutes: 25, provisionSeconds: 2, days: 3 },
  { who: "ben", approver: "sam", app: "aws", access: "ReadOnly (production)", why: "Sizing a customer's migration.", daysAgo: 13, approvalMinutes: 50, provisionSeconds: 4, days: 3 },
  { who: "tom", approver: "maya", app: "aws", access: "ReadOnly (production)", why: "On call this week.", daysAgo: 11, approvalMinutes: 8, provisionSeconds: 2, days: 7 },
  { who: "mia", approver: "priya", app: "aws", access: "Billing Viewer", why: "Savings plan analysis.", daysAgo: 9, approvalMinutes: 130, provisionSeconds: 3, days: 5 },
  { who: "zoe", approver: "sam", app: "github", access: "Developers", why: "Fixing the typo in the pricing page copy.", daysAgo: 7, approvalMinutes: 20, provisionSeconds: 2, days: 2 },
  { who: "yuki", approver: "maya", app: "aws", access: "Data Analyst", why: "Flaky test statistics from the CI warehouse.", daysAgo: 6, approvalMinutes: 70, provisionSeconds: 3, days: 3 },
  { who: "ines", approver: "priya", app: "aws", access: "Data Analyst", why: "Variance analysis for the board pack.", daysAgo: 5, approvalMinutes: 15, provisionSeconds: 2, days: 2 },
  { who: "tom", approver: "maya", app: "aws", access: "Developer (staging)", why: "Reproducing a customer bug in staging.", daysAgo: 4, approvalMinutes: 35, provisionSeconds: 3, days: 1 },
  { who: "lara", approver: "priya", app: "aws", access: "Billing Viewer", why: "Year-end accrual check.", daysAgo: 3, approvalMinutes: 55, provisionSeconds: 2, days: 1 },
  { who: "nora", approver: "sam", app: "github", access: "Developers", why: "Updating the sales demo scripts.", daysAgo: 2, approvalMinutes: 28, provisionSeconds: 4, days: 1 },
];

const denied = [
  { who: "zoe", approver: "sam", app: "aws", access: "Developer (staging)", why: "Curious about how deployments work.", daysAgo: 20, reason: "Not needed for an SDR role; ask Ben for a walkthrough instead." },
  { who: "mia", approver: "priya", app: "github", access: "Developers", why: "Want to read the forecasting service code.", daysAgo: 12, reason: "Read access to that repository is enough; I asked Omar to share it." },
  { who: "tom", approver: "maya", app: "aws", access: "Security Auditor", why: "Looking into a CloudTrail alert.", daysAgo: 8, reason: "Security handles CloudTrail alerts; please forward it to Rosa." },
] as const;

/** Writes the demo's past. Runs inside the seed's transaction, after the organisation exists. */
export async function seedHistory(tx: Tx, ids: Ids, now = Date.now()): Promise<void> {
  const events: { at: number; write: () => Promise<void> }[] = [];
  const later = (at: number, write: () => Promise<void>) => events.push({ at, write });

  for (const s of closed) await closedStory(tx, ids, now, s, later);
  for (const d of denied) await deniedStory(tx, ids, now, d, later);
  await withdrawnStory(tx, ids, now, later);
  await failureAndFix(tx, ids, now, later);
  await figmaTasks(tx, ids, now, later);
  await quarterlyReview(tx, ids, now, later);
  const approveKofi = await openManualTask(tx, ids, now, later);
  // The audit trail is a chain in time order: write the past in the order it happened.
  events.sort((a, b) => a.at - b.at);
  for (const e of events) await e.write();
  await approveKofi();
  await figmaReview(tx, ids, now);
}

/** Kofi asked for a Figma seat yesterday and Priya approves it as the portal starts: the real engine opens Ivan's task. */
async function openManualTask(tx: Tx, ids: Ids, now: number, later: Later): Promise<() => Promise<void>> {
  const { approveRequest } = await import("@/server/approvals/decide");
  const asked = now - DAY;
  const s = { who: "kofi", approver: "priya", app: "figma", access: "Viewer", why: "Commenting on the board pack layouts with the design team." };
  const entitlement = await ids.entitlement(s.app, s.access);
  const request = await tx.accessRequest.create({
    data: { requesterId: ids.user(s.who), entitlementId: entitlement.id, justification: s.why, policyName: "Manager approval", plannedSteps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }], createdAt: new Date(asked) },
  });
  later(asked, () => recordAudit(tx, { at: new Date(asked), actorId: ids.user(s.who), action: "request.submitted", objectType: "request", objectId: request.id, requestId: request.id, after: { status: "PENDING_APPROVAL", entitlement: "Figma / Viewer", policy: "Manager approval", durationDays: null } }));
  await tx.approvalStep.create({ data: { requestId: request.id, label: "Manager", assignedAs: "MANAGER", approverId: ids.user(s.approver), status: "APPROVED", decidedAt: new Date(now), createdAt: new Date(asked) } });
  return () => approveRequest(tx, { id: request.id, requesterId: request.requesterId, entitlementId: entitlement.id, status: request.status, profileEnrollmentId: null }, ids.user(s.approver), "portal", undefined, "Manager");
}

type Later = (at: number, write: () => Promise<void>) => void;

async function askedFor(tx: Tx, ids: Ids, s: { who: string; approver: string; app: string; access: string; why: string }, at: number, durationDays: number | null, later: Later) {
  const entitlement = await ids.entitlement(s.app, s.access);
  const request = await tx.accessRequest.create({
    data: {
      requesterId: ids.user(s.who),
      entitlementId: entitlement.id,
      justification: s.why,
      durationDays,
      policyName: "Manager approval",
      plannedSteps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }],
      createdAt: new Date(at),
    },
  });
  later(at, () =>
    recordAudit(tx, { at: new Date(at), actorId: ids.user(s.who), action: "request.submitted", objectType: "request", objectId: request.id, requestId: request.id, after: { status: "PENDING_APPROVAL", entitlement: `${appName(s.app)} / ${s.access}`, policy: "Manager approval", durationDays } }),
  );
  return { request, entitlement };
}

const appName = (slug: string) => ({ github: "GitHub", aws: "AWS", salesforce: "Salesforce", figma: "Figma" })[slug] ?? slug;

async function decidedStep(tx: Tx, ids: Ids, requestId: string, approver: string, status: "APPROVED" | "DENIED", openedAt: number, decidedAt: number, comment: string | null, later: Later) {
  const step = await tx.approvalStep.create({
    data: { requestId, label: "Manager", assignedAs: "MANAGER", approverId: ids.user(approver), status, comment, decidedAt: new Date(decidedAt), createdAt: new Date(openedAt) },
  });
  later(openedAt + 1, () => recordAudit(tx, { at: new Date(openedAt + 1), actorId: null, action: "approval.step_opened", objectType: "approval_step", objectId: step.id, requestId, after: { step: "Manager" } }));
  later(decidedAt, () =>
    recordAudit(tx, {
      at: new Date(decidedAt),
      actorId: ids.user(approver),
      action: status === "APPROVED" ? "approval.step_approved" : "request.denied",
      objectType: status === "APPROVED" ? "approval_step" : "request",
      objectId: status === "APPROVED" ? step.id : requestId,
      requestId,
      before: { status: status === "APPROVED" ? "PENDING" : "PENDING_APPROVAL" },
      after: { status, via: "portal" },
      reason: comment ?? undefined,
    }),
  );
}

type Attempt = { operation: Operation; method: "SCIM" | "MANUAL"; number: number; ok: boolean; at: number; seconds: number; detail?: string; error?: string };

async function attempts(tx: Tx, grantId: string, list: Attempt[]) {
  for (const a of list) {
    await tx.provisioningAttempt.create({
      data: {
        grantId,
        operation: a.operation,
        method: a.method,
        number: a.number,
        outcome: a.ok ? "SUCCEEDED" : "FAILED",
        detail: a.detail ?? null,
        error: a.error ?? null,
        startedAt: new Date(a.at),
        finishedAt: new Date(a.at + a.seconds * 1000),
      },
    });
  }
}

/** A grant's moves, each an audit row at its time: [at, action, from, to, reason?, actor?]. */
function moves(tx: Tx, later: Later, grantId: string, requestId: string, list: [number, string, string | null, string, string?, string?][]) {
  for (const [at, action, from, to, reason, actorId] of list) {
    later(at, () =>
      recordAudit(tx, { at: new Date(at), actorId: actorId ?? null, action, objectType: "grant", objectId: grantId, requestId, ...(from ? { before: { status: from } } : {}), after: { status: to }, reason }),
    );
  }
}

async function closedStory(tx: Tx, ids: Ids, now: number, s: Story, later: Later) {
  const asked = now - s.daysAgo * DAY + 9 * HOUR; // working hours, roughly
  const { request, entitlement } = await askedFor(tx, ids, s, asked, s.days, later);
  const approved = asked + s.approvalMinutes * 60_000;
  await decidedStep(tx, ids, request.id, s.approver, "APPROVED", asked, approved, null, later);
  await tx.accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED", decidedAt: new Date(approved) } });
  const provisioned = approved + s.provisionSeconds * 1000;
  const review = s.review ? REVIEW_REVOKES[s.review] : null;
  const ends = review ? review.at(now) : Math.min(provisioned + s.days * DAY, now - HOUR);
  const grant = await tx.grant.create({
    data: {
      userId: ids.user(s.who),
      entitlementId: entitlement.id,
      requestId: request.id,
      status: "DEPROVISIONED",
      provisionedAt: new Date(provisioned),
      expiresAt: new Date(review ? provisioned + s.days * DAY : ends),
      revokeReason: review ? "review" : "expiry",
      revokedById: review ? ids.user(review.reviewer) : null,
      deprovisionedAt: new Date(ends + 2000),
      createdAt: new Date(approved),
      updatedAt: new Date(ends + 2000),
    },
  });
  later(approved, () => recordAudit(tx, { at: new Date(approved), actorId: ids.user(s.approver), action: "request.approved", objectType: "request", objectId: request.id, requestId: request.id, before: { status: "PENDING_APPROVAL" }, after: { status: "APPROVED", via: "portal", step: "Manager" } }));
  moves(tx, later, grant.id, request.id, [
    [approved + 1, "grant.created", null, "PENDING"],
    [approved + 500, "grant.provisioning", "PENDING", "PROVISIONING"],
    [provisioned, "grant.provisioned", "PROVISIONING", "PROVISIONED"],
    [provisioned + 1, "grant.expiry_scheduled", null, "PROVISIONED"],
    review ? [ends, "grant.revoked", "PROVISIONED", "DELETING", revokeNote(review.reason), ids.user(review.reviewer)] : [ends, "grant.revoked", "PROVISIONED", "DELETING", "expiry"],
    [ends + 2000, "grant.deprovisioned", "DELETING", "DEPROVISIONED"],
  ]);
  await attempts(tx, grant.id, [
    { operation: "PROVISION", method: "SCIM", number: 1, ok: true, at: approved + 600, seconds: s.provisionSeconds * 0.6, detail: `account found, added to ${entitlement.externalName}` },
    { operation: "DEPROVISION", method: "SCIM", number: 1, ok: true, at: ends + 500, seconds: 1, detail: `removed from ${entitlement.externalName}` },
  ]);
}

async function deniedStory(tx: Tx, ids: Ids, now: number, d: (typeof denied)[number], later: Later) {
  const asked = now - d.daysAgo * DAY + 10 * HOUR;
  const { request } = await askedFor(tx, ids, d, asked, null, later);
  const decided = asked + 2 * HOUR;
  await decidedStep(tx, ids, request.id, d.approver, "DENIED", asked, decided, d.reason, later);
  await tx.accessRequest.update({ where: { id: request.id }, data: { status: "DENIED", decidedAt: new Date(decided) } });
}

async function withdrawnStory(tx: Tx, ids: Ids, now: number, later: Later) {
  const asked = now - 16 * DAY + 11 * HOUR;
  const { request } = await askedFor(tx, ids, { who: "ben", approver: "sam", app: "github", access: "Developers", why: "Pairing with engineering on the demo environment." }, asked, 3, later);
  const step = await tx.approvalStep.create({ data: { requestId: request.id, label: "Manager", assignedAs: "MANAGER", approverId: ids.user("sam"), status: "SKIPPED", createdAt: new Date(asked) } });
  const withdrawn = asked + 3 * HOUR;
  await tx.accessRequest.update({ where: { id: request.id }, data: { status: "WITHDRAWN", decidedAt: new Date(withdrawn) } });
  later(withdrawn, () => recordAudit(tx, { at: new Date(withdrawn), actorId: ids.user("ben"), action: "request.withdrawn", objectType: "request", objectId: request.id, requestId: request.id, before: { status: "PENDING_APPROVAL" }, after: { status: "WITHDRAWN", step: step.id }, reason: "Engineering shared a recording instead." }));
}

/** AWS's SCIM endpoint was down for an afternoon: three attempts failed; Rosa retried once it was back. */
async function failureAndFix(tx: Tx, ids: Ids, now: number, later: Later) {
  const asked = now - 12 * DAY + 13 * HOUR;
  const s = { who: "hugo", approver: "priya", app: "aws", access: "Billing Viewer", why: "Reconciling the cloud invoice with the purchase orders." };
  const { request, entitlement } = await askedFor(tx, ids, s, asked, 5, later);
  const approved = asked + 20 * 60_000;
  await decidedStep(tx, ids, request.id, s.approver, "APPROVED", asked, approved, null, later);
  await tx.accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED", decidedAt: new Date(approved) } });
  const error = "SCIM target answered 503 Service Unavailable on GET /Users";
  const failed = approved + 35 * 60_000;
  const retried = failed + 2 * HOUR;
  const provisioned = retried + 3000;
  const ends = provisioned + 5 * DAY;
  const grant = await tx.grant.create({
    data: { userId: ids.user(s.who), entitlementId: entitlement.id, requestId: request.id, status: "DEPROVISIONED", provisionedAt: new Date(provisioned), expiresAt: new Date(ends), revokeReason: "expiry", deprovisionedAt: new Date(ends + 2000), createdAt: new Date(approved), updatedAt: new Date(ends + 2000) },
  });
  later(approved, () => recordAudit(tx, { at: new Date(approved), actorId: ids.user(s.approver), action: "request.approved", objectType: "request", objectId: request.id, requestId: request.id, before: { status: "PENDING_APPROVAL" }, after: { status: "APPROVED", via: "email link", step: "Manager" } }));
  moves(tx, later, grant.id, request.id, [
    [approved + 1, "grant.created", null, "PENDING"],
    [approved + 500, "grant.provisioning", "PENDING", "PROVISIONING"],
    [failed, "grant.failed", "PROVISIONING", "FAILED", `${error} (3 attempts over 35 minutes)`],
    [retried - 1000, "grant.retry_requested", "FAILED", "FAILED", "AWS's SCIM endpoint is back after the maintenance window.", ids.user("rosa")],
    [retried, "grant.provisioning", "FAILED", "PROVISIONING"],
    [provisioned, "grant.provisioned", "PROVISIONING", "PROVISIONED"],
    [ends, "grant.revoked", "PROVISIONED", "DELETING", "expiry"],
    [ends + 2000, "grant.deprovisioned", "DELETING", "DEPROVISIONED"],
  ]);
  await attempts(tx, grant.id, [
    { operation: "PROVISION", method: "SCIM", number: 1, ok: false, at: approved + 600, seconds: 10, error },
    { operation: "PROVISION", method: "SCIM", number: 2, ok: false, at: approved + 5 * 60_000, seconds: 10, error },
    { operation: "PROVISION", method: "SCIM", number: 3, ok: false, at: failed - 10_000, seconds: 10, error },
    { operation: "PROVISION", method: "SCIM", number: 4, ok: true, at: retried + 500, seconds: 2, detail: `account found, added to ${entitlement.externalName}` },
    { operation: "DEPROVISION", method: "SCIM", number: 1, ok: true, at: ends + 500, seconds: 1, detail: `removed from ${entitlement.externalName}` },
  ]);
}

/**
 * Figma is worked by hand: Viewer seats for Ines, Omar, Nora and Tom (held), Tom's Editor seat (given,
 * then taken back when Maya revoked it in the quarterly access review).
 */
async function figmaTasks(tx: Tx, ids: Ids, now: number, later: Later) {
  const ivan = ids.user("ivan");
  const manual = async (who: string, approver: string, access: string, why: string, daysAgo: number, note: string, removed?: { at: number; by: string; why: string; note: string }) => {
    const asked = now - daysAgo * DAY + 10 * HOUR;
    const { request, entitlement } = await askedFor(tx, ids, { who, approver, app: "figma", access, why }, asked, null, later);
    const approved = asked + 45 * 60_000;
    await decidedStep(tx, ids, request.id, approver, "APPROVED", asked, approved, null, later);
    await tx.accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED", decidedAt: new Date(approved) } });
    const done = approved + 3 * HOUR;
    const end = removed ? removed.at : null;
    const grant = await tx.grant.create({
      data: {
        userId: ids.user(who),
        entitlementId: entitlement.id,
        requestId: request.id,
        status: end ? "DEPROVISIONED" : "PROVISIONED",
        provisionedAt: new Date(done),
        ...(end && removed ? { revokeReason: "review", revokedById: ids.user(removed.by), deprovisionedAt: new Date(end + HOUR) } : {}),
        createdAt: new Date(approved),
        updatedAt: new Date(end ? end + HOUR : done),
      },
    });
    const task = await tx.provisioningTask.create({
      data: { grantId: grant.id, kind: "PROVISION", stepIndex: 0, status: "DONE", assigneeId: ivan, reason: "Manual provisioning step", outcomeNote: note, completedById: ivan, completedAt: new Date(done), createdAt: new Date(approved + 1000), updatedAt: new Date(done) },
    });
    await attempts(tx, grant.id, [{ operation: "PROVISION", method: "MANUAL", number: 1, ok: true, at: approved + 1000, seconds: 3 * 3600 - 1, detail: `done by hand by Ivan Petrov: ${note}` }]);
    later(approved, () => recordAudit(tx, { at: new Date(approved), actorId: ids.user(approver), action: "request.approved", objectType: "request", objectId: request.id, requestId: request.id, before: { status: "PENDING_APPROVAL" }, after: { status: "APPROVED", via: "portal", step: "Manager" } }));
    moves(tx, later, grant.id, request.id, [
      [approved + 1, "grant.created", null, "PENDING"],
      [approved + 500, "grant.provisioning", "PENDING", "PROVISIONING"],
    ]);
    later(approved + 1000, () => recordAudit(tx, { at: new Date(approved + 1000), actorId: null, action: "task.opened", objectType: "task", objectId: task.id, requestId: request.id, after: { kind: "PROVISION", assignee: "ivan@example.com" } }));
    later(done, () => recordAudit(tx, { at: new Date(done), actorId: ivan, action: "task.marked_provisioned", objectType: "task", objectId: task.id, requestId: request.id, before: { status: "OPEN" }, after: { status: "DONE" }, reason: note }));
    moves(tx, later, grant.id, request.id, [[done + 1000, "grant.provisioned", "PROVISIONING", "PROVISIONED"]]);
    if (!removed || !end) return;
    const off = await tx.provisioningTask.create({
      data: { grantId: grant.id, kind: "DEPROVISION", stepIndex: 0, status: "DONE", assigneeId: ivan, reason: "Manual deprovisioning step", outcomeNote: removed.note, completedById: ivan, completedAt: new Date(end + HOUR), createdAt: new Date(end + 1000), updatedAt: new Date(end + HOUR) },
    });
    await attempts(tx, grant.id, [{ operation: "DEPROVISION", method: "MANUAL", number: 1, ok: true, at: end + 1000, seconds: 3599, detail: `done by hand by Ivan Petrov: ${removed.note}` }]);
    moves(tx, later, grant.id, request.id, [[end, "grant.revoked", "PROVISIONED", "DELETING", removed.why, ids.user(removed.by)]]);
    later(end + 1000, () => recordAudit(tx, { at: new Date(end + 1000), actorId: null, action: "task.opened", objectType: "task", objectId: off.id, requestId: request.id, after: { kind: "DEPROVISION", assignee: "ivan@example.com" } }));
    later(end + HOUR, () => recordAudit(tx, { at: new Date(end + HOUR), actorId: ivan, action: "task.marked_deprovisioned", objectType: "task", objectId: off.id, requestId: request.id, before: { status: "OPEN" }, after: { status: "DONE" }, reason: removed.note }));
    moves(tx, later, grant.id, request.id, [[end + HOUR + 1000, "grant.deprovisioned", "DELETING", "DEPROVISIONED"]]);
  };
  await manual("ines", "priya", "Viewer", "Checking the finance dashboard mockups against the reports.", 18, "Invited ines@example.com to the Product team as a viewer.");
  await manual("omar", "maya", "Viewer", "Reviewing the platform architecture diagrams the team keeps in Figma.", 16, "Invited omar@example.com to the Platform team as a viewer.");
  await manual("nora", "sam", "Viewer", "Taking the pitch deck visuals from the design team.", 14, "Invited nora@example.com to the Sales team as a viewer.");
  const tomsEditor = REVIEW_REVOKES.tomFigmaEditor;
  await manual("tom", "maya", "Editor", "Pairing with Ana on the onboarding flow redesign.", 23, "Upgraded tom@example.com to an Editor seat (billing ticket FIN-2231).", {
    at: tomsEditor.at(now),
    by: tomsEditor.reviewer,
    why: revokeNote(tomsEditor.reason),
    note: "Removed tom@example.com's Editor seat; the seat is released for billing.",
  });
  await manual("tom", "maya", "Viewer", "Following the onboarding designs after giving the Editor seat back.", 9, "Gave tom@example.com a viewer seat in the Product team.");
}
