import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/server/db";
import { notFound } from "@/server/errors";
import { ACTIVE, applyRound, enabledRules, gatherMatches, type RoundResult } from "./apply";
import { previewApprovals } from "./dry-run-approvals";
import { profileEntitlements } from "./profiles";
import { ruleInput, type RuleSpec } from "./rules";

export { matchQuery } from "./apply";

// Sync: a profile's enabled rules applied (to everyone, or to the people whose HR records changed).
// Every sync asked for is first queued (ProfileSyncRequest). One holder per profile applies the queue
// in rounds (server/enrollment/apply.ts) until it is empty, then lets go; a sync asked for while
// another runs is left to it ("queued"), never dropped. The holder's lock is a lease renewed every few
// seconds: a holder whose process died loses it in seconds, and the next sync (or the engine's retry
// of the same run, which resumes its own sync at once) takes over the queue.

/** How long a holder's lease lasts without a heartbeat. */
export const SYNC_LEASE_MS = 10_000;
const HEARTBEAT_MS = 2_000;
/** How often a queued caller that waits looks again. */
const POLL_MS = 200;

export type SyncResult =
  | { status: "done"; syncId: string; matched: number; enrolled: number; unenrolled: number; leaving: number; rounds: number }
  /** Another sync of the profile holds the lease and applies this request (`applied`: it already has). */
  | { status: "queued"; syncId: string; requestId: string; applied: boolean };

export type SyncOptions = {
  trigger: string;
  userId?: string | null;
  /** Who asks (the engine's run id): a retry of the same run resumes its own sync instead of waiting for it. */
  holder?: string | null;
  /**
   * When another sync holds the lease: how long to wait for it to apply this request, taking over
   * if its lease runs out meanwhile. 0 (the default) returns "queued" at once.
   */
  waitMs?: number;
};

type Claim = { kind: "hold"; syncId: string } | { kind: "queued"; syncId: string };

/**
 * Under the profile's lock (the one the holder lets go under): queues the request (unless given),
 * retires syncs whose lease ran out, and takes the lease when nobody live holds it.
 */
async function claim(db: Db, profileId: string, o: { trigger: string; userId: string | null; holder: string; queue: boolean }): Promise<{ claim: Claim; requestId: string | null }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sync:${profileId}`}))`;
    if (!(await tx.accessProfile.count({ where: { id: profileId } }))) throw notFound("That profile");
    const requestId = o.queue ? (await tx.profileSyncRequest.create({ data: { profileId, userId: o.userId, trigger: o.trigger }, select: { id: true } })).id : null;
    const now = new Date();
    const lease = new Date(now.getTime() + SYNC_LEASE_MS);
    const running = await tx.profileSync.findMany({ where: { profileId, status: "RUNNING" }, orderBy: { startedAt: "asc" } });
    let live: string | null = null;
    for (const r of running) {
      if (r.holder === o.holder) {
        // The engine retried this run (its process died mid-sync): it carries on with its own sync.
        await tx.profileSync.update({ where: { id: r.id }, data: { leaseUntil: lease, progress: "Resumed after an interruption" } });
        return { claim: { kind: "hold", syncId: r.id }, requestId };
      }
      if (r.leaseUntil && r.leaseUntil > now) live = r.id;
      else {
        const since = r.leaseUntil ?? r.startedAt;
        await tx.profileSync.update({
          where: { id: r.id },
          data: { status: "FAILED", finishedAt: now, leaseUntil: null, progress: "Stopped", error: `Its process stopped (no heartbeat since ${since.toISOString()}); the next sync took over its queue.` },
        });
      }
    }
    if (live) return { claim: { kind: "queued", syncId: live }, requestId };
    const sync = await tx.profileSync.create({ data: { profileId, trigger: o.trigger, progress: "Starting", holder: o.holder, leaseUntil: lease } });
    return { claim: { kind: "hold", syncId: sync.id }, requestId };
  });
}

/**
 * Applies a profile's enabled rules (to everyone, or to one person after an HR change). The request is
 * queued; whoever holds the profile's sync applies it before ending. Re-running changes nothing.
 */
export async function syncProfile(db: Db, profileId: string, opts: SyncOptions): Promise<SyncResult> {
  const base = { trigger: opts.trigger, userId: opts.userId ?? null, holder: opts.holder ?? `process:${randomUUID()}` };
  const first = await claim(db, profileId, { ...base, queue: true });
  const requestId = first.requestId!;
  let current = first.claim;
  const deadline = Date.now() + (opts.waitMs ?? 0);
  while (current.kind === "queued") {
    if (Date.now() >= deadline) return { status: "queued", syncId: current.syncId, requestId, applied: false };
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (!(await db.profileSyncRequest.count({ where: { id: requestId } }))) return { status: "queued", syncId: current.syncId, requestId, applied: true };
    // Still queued: if the holder's lease ran out (its process died), take over.
    current = (await claim(db, profileId, { ...base, queue: false })).claim;
  }
  return hold(db, profileId, current.syncId);
}

/** Holds the profile's lease, renewing it, and applies queued requests in rounds until none is left. */
async function hold(db: Db, profileId: string, syncId: string): Promise<SyncResult> {
  let lost = false;
  const beat = setInterval(() => {
    db.profileSync
      .updateMany({ where: { id: syncId, status: "RUNNING" }, data: { leaseUntil: new Date(Date.now() + SYNC_LEASE_MS) } })
      .then((r) => {
        if (r.count === 0) lost = true;
      })
      // The database is briefly away: the next beat tries again (and the lease may lapse; see `lost`).
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  beat.unref?.();
  const totals = { matched: 0, enrolled: 0, unenrolled: 0, leaving: 0, rounds: 0 };
  let wholeMatched: number | null = null;
  const add = (r: RoundResult) => {
    totals.rounds++;
    totals.enrolled += r.enrolled;
    totals.unenrolled += r.unenrolled;
    totals.leaving += r.leaving;
    if (r.whole) wholeMatched = r.matched;
    totals.matched = wholeMatched ?? totals.matched + r.matched;
  };
  const counts = () => ({ matched: totals.matched, enrolled: totals.enrolled, unenrolled: totals.unenrolled, rounds: totals.rounds });
  try {
    // A holder that lost its lease (it stalled and another took over) stops: the new holder applies the rest.
    while (!lost) {
      const round = await applyRound(db, profileId, syncId);
      if (round) {
        add(round);
        await db.profileSync.updateMany({ where: { id: syncId, status: "RUNNING" }, data: { ...counts(), progress: `Round ${totals.rounds} applied` } });
        continue;
      }
      // Nothing queued: let go, unless a request came in meanwhile (queued under this same lock).
      const released = await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sync:${profileId}`}))`;
        if (await tx.profileSyncRequest.count({ where: { profileId } })) return false;
        const progress = totals.leaving ? `Done; ${totals.leaving} leaving after their grace period` : "Done";
        await tx.profileSync.updateMany({ where: { id: syncId, status: "RUNNING" }, data: { ...counts(), status: "DONE", finishedAt: new Date(), leaseUntil: null, progress } });
        return true;
      });
      if (released) break;
    }
    return { status: "done", syncId, ...totals };
  } catch (e) {
    // Its requests stay queued (a round's transaction rolled back): the retry or the next sync applies them.
    await db.profileSync
      .updateMany({ where: { id: syncId, status: "RUNNING" }, data: { ...counts(), status: "FAILED", finishedAt: new Date(), leaseUntil: null, progress: "Failed", error: e instanceof Error ? e.message.split("\n")[0] : String(e) } })
      .catch(() => undefined);
    throw e;
  } finally {
    clearInterval(beat);
  }
}

/** What a profile's sync is doing: requests waiting, and whether a running sync's process still answers. */
export async function syncState(db: Db | Tx, profileId: string) {
  const [queued, running] = await Promise.all([
    db.profileSyncRequest.count({ where: { profileId } }),
    db.profileSync.findFirst({ where: { profileId, status: "RUNNING" }, orderBy: { startedAt: "desc" }, select: { id: true, leaseUntil: true } }),
  ]);
  return { queued, stalled: running ? !running.leaseUntil || running.leaseUntil < new Date() : false };
}

/** Before saving a rule change: who would be enrolled and who unenrolled if the profile's rules were so. */
export async function dryRunRule(db: Db, input: unknown) {
  const draft = ruleInput.parse(input);
  return db.$transaction(async (tx) => {
    const { excludedId, enrollmentId } = await profileEntitlements(tx, draft.profileId);
    const rules: RuleSpec[] = (await enabledRules(tx, draft.profileId)).filter((r) => r.id !== draft.id);
    if (draft.enabled) rules.push({ id: draft.id ?? null, entitlementIds: draft.entitlementIds, attributes: draft.attributes });
    await gatherMatches(tx, rules, excludedId, null);
    const people = (rows: { id: string; name: string | null; email: string }[]) => rows.map((r) => ({ id: r.id, name: r.name, email: r.email }));
    const enroll = await tx.$queryRaw<{ id: string; name: string | null; email: string; total: number }[]>`
      SELECT u.id, u.name, u.email, count(*) OVER ()::int AS total FROM (SELECT DISTINCT user_id FROM sync_match) m JOIN "User" u ON u.id = m.user_id
      WHERE NOT EXISTS (SELECT 1 FROM "ProfileEnrollment" e WHERE e."profileId" = ${draft.profileId} AND e."userId" = m.user_id AND e.status::text IN ${ACTIVE})
        AND u."lifecycleState" = 'ACTIVE'
      ORDER BY u.name LIMIT 100`;
    // Those enrolled by a rule with a grace period (movers) first enter it; the others leave at once.
    const gone = (grace: boolean) => tx.$queryRaw<{ id: string; name: string | null; email: string; total: number }[]>`
      SELECT u.id, u.name, u.email, count(*) OVER ()::int AS total FROM "ProfileEnrollment" e JOIN "User" u ON u.id = e."userId"
      LEFT JOIN "EnrollmentRule" r ON r.id = e."ruleId"
      WHERE e."profileId" = ${draft.profileId} AND e."ruleId" IS NOT NULL AND e.status::text IN ${ACTIVE}
        AND NOT EXISTS (SELECT 1 FROM sync_match m WHERE m.user_id = e."userId")
        AND ((e.status = 'ENROLLED' AND (CASE WHEN r.id = ${draft.id ?? ""} THEN ${draft.graceHours}::int > 0 ELSE r."graceHours" > 0 END) AND u."lifecycleState" <> 'TERMINATED') = ${grace})
      ORDER BY u.name LIMIT 100`;
    const unenroll = await gone(false);
    const leave = await gone(true);
    const matched = (await tx.$queryRaw<{ matched: number }[]>`SELECT count(DISTINCT user_id)::int AS matched FROM sync_match`)[0]?.matched ?? 0;
    const total = enroll[0]?.total ?? 0;
    return {
      matched,
      wouldEnroll: { total, people: people(enroll) },
      wouldUnenroll: { total: unenroll[0]?.total ?? 0, people: people(unenroll) },
      wouldStartGracePeriod: { total: leave[0]?.total ?? 0, people: people(leave) },
      /** The requests enrolling them would make, and how many wait for approvers (and whom). */
      approvals: await previewApprovals(tx, draft.profileId, enrollmentId, total),
    };
  }, { timeout: 60_000, maxWait: 10_000 });
}
