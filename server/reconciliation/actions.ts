import "server-only";
import { orphanRemovalRequested } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import { effectivePlan } from "@/universal/provisioning/plan";
import {
  adoptFindingInput,
  ignoreFindingInput,
  revokeFindingInput,
  type AdoptFindingInput,
  type IgnoreFindingInput,
  type RevokeFindingInput,
} from "@/universal/reconciliation/inputs";
import { FINDING_STATUS_WORDS, lockedFinding, type LockedFinding } from "./actions-guard";

// What an app's owner (or an admin) does with a reconciliation's findings: adopt unmanaged access as a
// grant, ignore a difference on purpose, or remove what the portal did not grant (only where the portal
// is authoritative). Each decision locks its finding and commits with its audit rows and events.

/** Grants that hold (or are about to hold, or still hold) the access. */
const LIVE_GRANT = ["PENDING", "PROVISIONING", "PROVISIONED", "DELETING"] as const;

const NOT_AUTHORITATIVE = (app: string) =>
  `Only apps where the portal is authoritative can have access removed from their targets; ${app} is not. Adopt it, ignore it, or ask an admin to make the portal authoritative for ${app}.`;

function assertOpen(finding: LockedFinding): void {
  if (finding.status !== "OPEN") throw new AppError("CONFLICT", `This finding is already ${FINDING_STATUS_WORDS[finding.status] ?? finding.status.toLowerCase()}.`);
}

/** The plan step of the entitlement that goes through the finding's connector, and the effect it stands for. */
function adoptedEffect(finding: LockedFinding, appPlan: unknown) {
  const entitlement = finding.entitlement!;
  const plan = effectivePlan(entitlement.provisioningPlan, appPlan);
  const stepIndex = plan.findIndex((step) => "connectorId" in step && step.connectorId === finding.connectorId);
  if (stepIndex < 0) throw new AppError("BAD_REQUEST", `${entitlement.name} is no longer provisioned through ${finding.connector.name}: run a reconciliation again.`);
  const method = finding.connector.method;
  const group = entitlement.externalName;
  // The same words and fields the provisioning methods record (server/provisioning/methods/*): the
  // portal now manages the membership, so revoking the grant later removes it from the target.
  const target = method === "SCIM" ? `SCIM group ${group}` : `directory group ${group}`;
  return { stepIndex, method, target, connectorId: finding.connectorId, groupName: group, reference: finding.groupId, createdByPortal: true };
}

/**
 * The person's SCIM account as the target holds it: the portal knows it now, but did not create it. A
 * person whose recorded account is another live one is refused: the grant would later remove the
 * membership of the wrong account.
 */
async function linkScimAccount(tx: Tx, actorId: string | null, finding: LockedFinding, userId: string) {
  const where = { connectorId_userId: { connectorId: finding.connectorId, userId } };
  const existing = await tx.appAccount.findUnique({ where, select: { id: true, externalId: true, userName: true, status: true, createdByPortal: true } });
  const externalId = finding.accountId;
  const live = existing?.status === "PROVISIONED" || existing?.status === "MODIFYING";
  if (existing?.externalId && existing.externalId !== externalId && live) {
    throw new AppError("CONFLICT", `The portal knows this person's account on the target as ${existing.userName}, not ${finding.accountName}: this access is on another account, so the portal can neither adopt nor remove it. Ignore it, or change it on the target.`);
  }
  // The account the portal made keeps that mark only if it is the same account on the target.
  const createdByPortal = (existing?.createdByPortal ?? false) && existing?.externalId === externalId;
  const account = existing
    ? await tx.appAccount.update({ where, data: { externalId, status: "PROVISIONED", failureReason: null, createdByPortal } })
    : await tx.appAccount.create({
        data: { appId: finding.appId, connectorId: finding.connectorId, userId, externalId, userName: finding.accountName, createdByPortal: false, status: "PROVISIONED" },
      });
  if (existing && existing.externalId === externalId && live) return;
  await recordAudit(tx, {
    actorId,
    action: "account.linked",
    objectType: "account",
    objectId: account.id,
    before: existing ? { externalId: existing.externalId, status: existing.status } : undefined,
    after: { externalId, userName: account.userName, status: "PROVISIONED", createdByPortal },
    reason: "adopted from a reconciliation",
  });
}

/** Who adopts and in what words: an owner with a justification, or a review taking unmanaged access in. */
type Adoption = { actorId: string | null; adoptedById: string | null; note: string; resolution: string };

/** Adoption inside the caller's transaction: the grant, its effect, the account, the finding, audited. */
async function adoptTx(tx: Tx, actor: Actor, finding: LockedFinding, justification: string): Promise<string> {
  return adoptAs(tx, { actorId: actor.id, adoptedById: actor.id, note: justification, resolution: justification }, finding);
}

async function adoptAs(tx: Tx, by: Adoption, finding: LockedFinding): Promise<string> {
  if (finding.kind !== "UNMANAGED") throw new AppError("BAD_REQUEST", "Only unmanaged access can be adopted.");
  const { user, entitlement, app } = finding;
  if (!user || !entitlement) throw new AppError("BAD_REQUEST", "This access is not matched to a person and an entitlement, so it cannot be adopted.");
  const held = await tx.grant.findFirst({ where: { userId: user.id, entitlementId: entitlement.id, status: { in: [...LIVE_GRANT] } }, select: { status: true } });
  if (held) throw new AppError("CONFLICT", `${user.name ?? user.email} already has a grant of ${app.name} / ${entitlement.name} (${held.status.toLowerCase()}).`);
  const effect = adoptedEffect(finding, app.provisioningPlan);
  const now = new Date();
  const grant = await tx.grant.create({
    data: {
      userId: user.id,
      entitlementId: entitlement.id,
      status: "PROVISIONED",
      provisionedAt: now,
      adoptedById: by.adoptedById,
      adoptionNote: by.note,
      targetState: "CONFIRMED",
      targetCheckedAt: now,
    },
  });
  await tx.provisionedEffect.create({ data: { grantId: grant.id, ...effect } });
  if (finding.connector.method === "SCIM") await linkScimAccount(tx, by.actorId, finding, user.id);
  await tx.reconcileFinding.update({
    where: { id: finding.id },
    data: { status: "ADOPTED", grantId: grant.id, resolvedAt: now, resolvedById: by.actorId, resolution: by.resolution },
  });
  await recordAudit(tx, {
    actorId: by.actorId,
    action: "grant.adopted",
    objectType: "grant",
    objectId: grant.id,
    after: { status: "PROVISIONED", userId: user.id, entitlementId: entitlement.id, findingId: finding.id, group: finding.groupName, account: finding.accountName },
    reason: by.note,
  });
  return grant.id;
}

/** Adopt unmanaged access: a Provisioned grant stands for it from now on (reviews, expiry, My access). */
export async function adoptFinding(db: Db, actor: Actor, input: AdoptFindingInput) {
  const { findingId, justification } = adoptFindingInput.parse(input);
  return db.$transaction(async (tx) => {
    const finding = await lockedFinding(tx, actor, findingId);
    assertOpen(finding);
    const grantId = await adoptTx(tx, actor, finding, justification);
    return { findingId, status: "ADOPTED" as const, grantId };
  });
}

/**
 * The finding locked, as lockedFinding loads it, for the portal itself: a review starting is not an
 * owner's decision, so there is nobody to authorize.
 */
async function lockedForReview(tx: Tx, findingId: string): Promise<LockedFinding | null> {
  await tx.$queryRaw`SELECT id FROM "ReconcileFinding" WHERE id = ${findingId} FOR UPDATE`;
  return tx.reconcileFinding.findUnique({
    where: { id: findingId },
    include: {
      app: { select: { id: true, slug: true, name: true, ownerId: true, portalAuthoritative: true, isSystem: true, provisioningPlan: true } },
      connector: { select: { id: true, name: true, method: true } },
      user: { select: { id: true, name: true, email: true } },
      entitlement: { select: { id: true, name: true, externalName: true, provisioningPlan: true } },
    },
  });
}

/**
 * An access review starting takes unmanaged access in its scope under review: adopted as a grant with no
 * adopter (the reviewer decides, not an owner), so Keep keeps it, now managed, and Revoke removes it from
 * the target through the engine. Returns the grant, or null when the finding was decided meanwhile or
 * cannot be adopted (the person got a grant since, the plan or the account changed): it then stays
 * open for the owner, and the review goes on without it.
 */
export async function adoptForReview(tx: Tx, findingId: string, review: { campaignName: string; actorId: string | null }): Promise<string | null> {
  const finding = await lockedForReview(tx, findingId);
  if (!finding || finding.status !== "OPEN" || finding.kind !== "UNMANAGED") return null;
  const by: Adoption = {
    actorId: review.actorId,
    adoptedById: null,
    note: `Found on ${finding.app.name} by reconciliation without a grant; put under review in “${review.campaignName}”`,
    resolution: `Under review in “${review.campaignName}”`,
  };
  // A savepoint, so a refusal found half-way (the account check) undoes only this finding's adoption.
  await tx.$executeRawUnsafe("SAVEPOINT adopt_for_review");
  try {
    const grantId = await adoptAs(tx, by, finding);
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT adopt_for_review");
    return grantId;
  } catch (e) {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT adopt_for_review");
    if (e instanceof AppError) return null;
    throw e;
  }
}

/** Leave a difference alone on purpose; later runs keep it ignored. */
export async function ignoreFinding(db: Db, actor: Actor, input: IgnoreFindingInput) {
  const { findingId, reason } = ignoreFindingInput.parse(input);
  return db.$transaction(async (tx) => {
    const finding = await lockedFinding(tx, actor, findingId);
    assertOpen(finding);
    await tx.reconcileFinding.update({ where: { id: findingId }, data: { status: "IGNORED", resolvedAt: new Date(), resolvedById: actor.id, resolution: reason } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "finding.ignored",
      objectType: "app",
      objectId: finding.appId,
      before: { findingId, kind: finding.kind, status: "OPEN" },
      after: { findingId, kind: finding.kind, status: "IGNORED", subject: finding.subjectKey, account: finding.accountName, group: finding.groupName },
      reason,
    });
    return { findingId, status: "IGNORED" as const };
  });
}

/** Remove an orphan account (or directory membership) from the target: the reconcile function does it. */
async function removeOrphanTx(tx: Tx, actor: Actor, finding: LockedFinding, reason: string) {
  await tx.reconcileFinding.update({ where: { id: finding.id }, data: { status: "REVOKING", resolvedById: actor.id, resolution: reason } });
  await recordAudit(tx, {
    actorId: actor.id,
    action: "finding.removal_requested",
    objectType: "app",
    objectId: finding.appId,
    before: { findingId: finding.id, kind: "ORPHAN", status: "OPEN" },
    after: { findingId: finding.id, kind: "ORPHAN", status: "REVOKING", account: finding.accountName, group: finding.groupName },
    reason,
  });
  await enqueueEvent(tx, orphanRemovalRequested, { findingId: finding.id });
  return { findingId: finding.id, status: "REVOKING" as const, grantId: null };
}

/**
 * Remove unmanaged access through the engine: adopted first (so the removal is a grant's deprovisioning,
 * with its retries, outage handling and manual fallback), then revoked with reason "reconcile".
 */
async function revokeUnmanagedTx(tx: Tx, actor: Actor, finding: LockedFinding, reason: string) {
  const grantId = await adoptTx(tx, actor, finding, `Adopted to be removed: ${reason}`);
  await startDeprovisioning(tx, { grantId, reason: "reconcile", actorId: actor.id, note: reason });
  await tx.reconcileFinding.update({ where: { id: finding.id }, data: { status: "REVOKING", resolution: reason } });
  return { findingId: finding.id, status: "REVOKING" as const, grantId };
}

/** Remove what the portal did not grant: unmanaged access or an orphan account, on authoritative apps only. */
export async function revokeFinding(db: Db, actor: Actor, input: RevokeFindingInput, only?: "ORPHAN") {
  const { findingId, reason } = revokeFindingInput.parse(input);
  return db.$transaction(async (tx) => {
    const finding = await lockedFinding(tx, actor, findingId);
    if (only && finding.kind !== only) throw new AppError("BAD_REQUEST", "This finding is not an orphan account.");
    assertOpen(finding);
    if (finding.kind !== "UNMANAGED" && finding.kind !== "ORPHAN") throw new AppError("BAD_REQUEST", "Only unmanaged access and orphan accounts can be removed; missing access and drift are repaired.");
    if (!finding.app.portalAuthoritative) throw new AppError("BAD_REQUEST", NOT_AUTHORITATIVE(finding.app.name));
    return finding.kind === "ORPHAN" ? removeOrphanTx(tx, actor, finding, reason) : revokeUnmanagedTx(tx, actor, finding, reason);
  });
}

/** "Remove" on an orphan account: the same as revoking its finding. */
export async function removeOrphan(db: Db, actor: Actor, input: RevokeFindingInput) {
  return revokeFinding(db, actor, input, "ORPHAN");
}
