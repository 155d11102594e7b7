import "server-only";
import { z } from "zod";
import { profileSyncRequested } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit, recordAudits } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, found, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { resolvePolicy } from "@/server/policies/evaluate";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import { submitRequest } from "@/server/requests/create-request";
import { submitPortalRequests } from "@/server/requests/submit-many";
import { withdrawPendingRequest } from "@/server/requests/withdraw-request";
import { profileEntitlements } from "./profiles";
import { LIVE } from "./unenroll";

// Enrollment in an access profile (ConductorOne's model): a request for the profile's enrollment
// entitlement first; once that is granted the person is enrolled, and each item they do not already
// hold is requested under the item's own policy. Unenrolling revokes what came only through the profile
// (server/enrollment/unenroll.ts).

/** Runs `fn` in a savepoint: an item that cannot be requested (a conflict, a block) is skipped, not fatal. */
async function attempt<T>(tx: Tx, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  await tx.$executeRawUnsafe("SAVEPOINT enrollment_item");
  try {
    const value = await fn();
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT enrollment_item");
    return { ok: true, value };
  } catch (e) {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT enrollment_item");
    if (e instanceof AppError) return { ok: false, reason: e.message };
    throw e;
  }
}

/**
 * The enrollment entitlement was granted: the person is enrolled, and each item they do not hold or
 * have not asked for yet is requested under its own policy (capped policies get their longest duration).
 */
export async function enrollFromGrant(db: Db, grantId: string): Promise<{ requested: number; skipped: string[] }> {
  return enrollFromGrants(db, [grantId]);
}

/**
 * Enrollment grants granted together (a wave), in one transaction: each person is enrolled and asked for
 * the profile's items they neither hold nor have asked for. Items whose policy approves by itself are
 * asked for everyone in a few statements (submitPortalRequests); the rest person by person, each in a
 * savepoint, so one refusal (a block, someone on leave) skips that item for that person only.
 */
export async function enrollFromGrants(db: Db, grantIds: string[]): Promise<{ requested: number; skipped: string[] }> {
  return db.$transaction(async (tx) => {
    const grants = await tx.grant.findMany({
      where: { id: { in: grantIds }, entitlement: { profileRole: "ENROLLMENT", profileId: { not: null } } },
      select: { userId: true, entitlement: { select: { profileId: true } } },
    });
    const byProfile = new Map<string, Set<string>>();
    for (const g of grants) byProfile.set(g.entitlement.profileId!, (byProfile.get(g.entitlement.profileId!) ?? new Set()).add(g.userId));
    let requested = 0;
    const skipped: string[] = [];
    for (const [profileId, people] of byProfile) {
      const userIds = [...people];
      const profile = await tx.accessProfile.findUniqueOrThrow({ where: { id: profileId }, include: { items: { include: { entitlement: { select: { id: true, name: true, app: { select: { name: true } } } } } } } });
      const before = new Map((await tx.profileEnrollment.findMany({ where: { profileId, userId: { in: userIds } }, select: { userId: true, status: true } })).map((e) => [e.userId, e.status]));
      await tx.profileEnrollment.createMany({ data: userIds.filter((u) => !before.has(u)).map((userId) => ({ profileId, userId, status: "ENROLLED" as const })), skipDuplicates: true });
      await tx.profileEnrollment.updateMany({ where: { profileId, userId: { in: userIds.filter((u) => before.has(u)) } }, data: { status: "ENROLLED", leaveAt: null } });
      const enrollments = await tx.profileEnrollment.findMany({ where: { profileId, userId: { in: userIds } }, select: { id: true, userId: true, ruleId: true } });
      await recordAudits(
        tx,
        enrollments
          .filter((e) => before.get(e.userId) !== "ENROLLED")
          .map((e) => ({ actorId: null, action: "enrollment.enrolled", objectType: "enrollment" as const, objectId: e.id, before: { status: before.get(e.userId) ?? null }, after: { status: "ENROLLED", profile: profile.name, userId: e.userId, ruleId: e.ruleId } })),
      );
      for (const { entitlement } of profile.items) {
        const label = `${entitlement.app.name} / ${entitlement.name}`;
        const [held, asked] = await Promise.all([
          tx.grant.findMany({ where: { userId: { in: userIds }, entitlementId: entitlement.id, status: { in: [...LIVE] } }, select: { userId: true } }),
          tx.accessRequest.findMany({ where: { requesterId: { in: userIds }, entitlementId: entitlement.id, status: "PENDING_APPROVAL" }, select: { requesterId: true } }),
        ]);
        const busy = new Set([...held.map((g) => g.userId), ...asked.map((r) => r.requesterId)]);
        const { definition } = await resolvePolicy(tx, entitlement.id);
        const durationDays = definition.maxDurationDays ?? undefined;
        const justification = `Enrolled in the “${profile.name}” access profile.`;
        const asks = enrollments.filter((e) => !busy.has(e.userId)).map((e) => ({ personId: e.userId, justification, profileEnrollmentId: e.id }));
        const { submitted, rest } = await submitPortalRequests(tx, entitlement.id, asks, durationDays);
        requested += submitted.size;
        for (const ask of rest) {
          const result = await attempt(tx, () => submitRequest(tx, { ...ask, askedById: null, entitlementId: entitlement.id, durationDays }));
          if (result.ok) requested++;
          else {
            skipped.push(`${label}: ${result.reason}`);
            await recordAudit(tx, { actorId: null, action: "enrollment.item_skipped", objectType: "enrollment", objectId: ask.profileEnrollmentId, after: { entitlement: label }, reason: result.reason });
          }
        }
      }
    }
    return { requested, skipped };
  }, WAVE_TRANSACTION);
}

/**
 * Rule-driven enrollment runs thousands of these at once (a birthright wave) on a busy machine: give each
 * transaction time instead of Prisma's 5 s, after which it would fail and be done again from the start.
 */
export const WAVE_TRANSACTION = { timeout: 30_000, maxWait: 10_000 };

export const enrollPeopleInput = z.object({
  profileId: z.string().min(1),
  userIds: z.array(z.string().min(1)).min(1, "Choose at least one person.").max(500, "At most 500 people at a time."),
});

/** "Enroll users": an admin enrolls people by hand. Each gets an enrollment request under the profile's policy. */
export async function enrollPeople(db: Db, actor: Actor, input: z.input<typeof enrollPeopleInput>) {
  const { profileId, userIds } = enrollPeopleInput.parse(input);
  const results: { userId: string; outcome: string }[] = [];
  for (const userId of [...new Set(userIds)]) {
    const outcome = await db.$transaction(async (tx) => {
      const { enrollmentId } = await profileEntitlements(tx, profileId);
      const person = found(await tx.user.findUnique({ where: { id: userId }, select: { name: true, lifecycleState: true } }), "That person");
      if (person.lifecycleState !== "ACTIVE") return `${person.name ?? "They"} are not active (${person.lifecycleState.toLowerCase()}).`;
      const current = await tx.profileEnrollment.findUnique({ where: { profileId_userId: { profileId, userId } } });
      if (current && (current.status === "ENROLLED" || current.status === "PENDING")) return current.status === "ENROLLED" ? "Already enrolled." : "Enrollment already pending.";
      const enrollment = await tx.profileEnrollment.upsert({
        where: { profileId_userId: { profileId, userId } },
        create: { profileId, userId, status: "PENDING" },
        update: { status: "PENDING", ruleId: null, leaveAt: null, requestId: null },
      });
      const result = await attempt(tx, () => submitRequest(tx, { personId: userId, askedById: actor.id, entitlementId: enrollmentId, justification: `Enrolled by ${actor.name ?? actor.email}.` }));
      if (!result.ok) {
        await tx.profileEnrollment.update({ where: { id: enrollment.id }, data: { status: "UNENROLLED" } });
        return result.reason;
      }
      await tx.profileEnrollment.update({ where: { id: enrollment.id }, data: { requestId: result.value.id } });
      await recordAudit(tx, { actorId: actor.id, action: "enrollment.requested", objectType: "enrollment", objectId: enrollment.id, after: { userId, requestId: result.value.id, status: result.value.status } });
      return result.value.status === "APPROVED" ? "Enrolled (approved automatically)." : "Enrollment requested: waiting for approval.";
    });
    results.push({ userId, outcome });
  }
  return { results };
}

export const exclusionInput = z.object({
  profileId: z.string().min(1),
  userId: z.string().min(1, "Choose a person."),
  reason: z.string().trim().min(5, "Say why they are excluded (at least 5 characters).").max(300, "Keep the reason under 300 characters."),
});

/** Keeps a person out of the profile's rules: they hold its "excluded from rule" entitlement. */
export async function excludePerson(db: Db, actor: Actor, input: z.input<typeof exclusionInput>) {
  const { profileId, userId, reason } = exclusionInput.parse(input);
  return db.$transaction(async (tx) => {
    const { excludedId } = await profileEntitlements(tx, profileId);
    if (!(await tx.user.count({ where: { id: userId } }))) throw notFound("That person");
    if (await tx.grant.count({ where: { userId, entitlementId: excludedId, status: { in: [...LIVE] } } })) throw new AppError("CONFLICT", "They are already excluded.");
    const grant = await tx.grant.create({ data: { userId, entitlementId: excludedId, status: "PROVISIONED", provisionedAt: new Date() } });
    await recordAudit(tx, { actorId: actor.id, action: "enrollment.excluded", objectType: "grant", objectId: grant.id, after: { profileId, userId }, reason });
    // Applied at once: a rule's enrollment of this person ends now, not at the next hourly sync.
    await enqueueEvent(tx, profileSyncRequested, { profileId, trigger: "exclusion", userId });
    return { grantId: grant.id };
  });
}

/** Lets an excluded person be matched by the profile's rules again. */
export async function includePerson(db: Db, actor: Actor, input: { profileId: string; userId: string }) {
  return db.$transaction(async (tx) => {
    const { excludedId } = await profileEntitlements(tx, input.profileId);
    const grants = await tx.grant.findMany({ where: { userId: input.userId, entitlementId: excludedId, status: { in: [...LIVE] } }, select: { id: true } });
    if (!grants.length) throw notFound("That exclusion");
    for (const g of grants) await startDeprovisioning(tx, { grantId: g.id, reason: "admin", actorId: actor.id, note: "no longer excluded from the profile's rules" });
    await enqueueEvent(tx, profileSyncRequested, { profileId: input.profileId, trigger: "exclusion removed", userId: input.userId });
    return { removed: grants.length };
  });
}

export const unenrollInput = z.object({
  profileId: z.string().min(1),
  userId: z.string().min(1, "Choose a person."),
  reason: z.string().trim().min(5, "Say why they leave the profile (at least 5 characters).").max(300, "Keep the reason under 300 characters."),
});

/**
 * An admin removes a person from a profile: the enrollment grant is revoked (which revokes the items
 * held only through the profile) and a pending enrollment request withdrawn. A rule that still matches
 * them would enroll them again: exclude them to keep them out.
 */
export async function unenrollPerson(db: Db, actor: Actor, input: z.input<typeof unenrollInput>) {
  const { profileId, userId, reason } = unenrollInput.parse(input);
  return db.$transaction(async (tx) => {
    const { enrollmentId } = await profileEntitlements(tx, profileId);
    const grants = await tx.grant.findMany({ where: { userId, entitlementId: enrollmentId, status: { in: [...LIVE] } }, select: { id: true } });
    const pending = await tx.accessRequest.findMany({ where: { requesterId: userId, entitlementId: enrollmentId, status: "PENDING_APPROVAL" }, select: { id: true } });
    if (!grants.length && !pending.length) throw notFound("That person's enrollment");
    for (const g of grants) await startDeprovisioning(tx, { grantId: g.id, reason: "admin", actorId: actor.id, note: reason });
    for (const r of pending) await withdrawPendingRequest(tx, r.id, actor.id, reason);
    await tx.profileEnrollment.updateMany({ where: { profileId, userId }, data: { status: "UNENROLLED", leaveAt: null } });
    return { revoked: grants.length, withdrawn: pending.length };
  });
}
