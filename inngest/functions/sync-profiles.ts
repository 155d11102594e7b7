import { inngest } from "@/inngest/client";
import { personChanged, profileSyncRequested } from "@/inngest/events";
import { db } from "@/server/db";
import { SYNC_LEASE_MS, syncProfile } from "@/server/enrollment/sync";
import { processEnrollmentQueue } from "@/server/enrollment/worker";

/** A queued run waits this long for the running sync to apply its request, taking over if that one dies. */
const WAIT_FOR_HOLDER_MS = SYNC_LEASE_MS + 5_000;

/**
 * Sync one access profile: apply its rules (set-based), then make the requests and revocations the
 * changes call for, a batch per step. The engine should run one at a time per profile, but correctness
 * does not depend on it: a run that finds another sync running queues its request for that sync, and
 * a retry of this run (after a crash) resumes its own sync.
 */
export const syncProfileFn = inngest.createFunction(
  { id: "sync-profile", triggers: [profileSyncRequested], concurrency: { key: "event.data.profileId", limit: 1 }, retries: 3 },
  async ({ event, step, runId }) => {
    const { profileId, trigger, userId } = event.data;
    const result = await step.run("sync", () => syncProfile(db(), profileId, { trigger, userId: userId ?? null, holder: `run:${runId}`, waitMs: WAIT_FOR_HOLDER_MS }));
    let total = { requested: 0, revoked: 0 };
    for (let i = 0; i < 1000; i++) {
      const batch = await step.run(`apply-${i}`, () => processEnrollmentQueue(db(), profileId));
      total = { requested: total.requested + batch.requested, revoked: total.revoked + batch.revoked };
      if (batch.remaining === 0 && batch.requested + batch.revoked === 0) break;
    }
    return { ...result, ...total };
  },
);

/** Profiles with an enabled rule, each synced in its own run. */
async function profilesWithRules() {
  const rows = await db().accessProfile.findMany({ where: { rules: { some: { enabled: true } } }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** Every hour, every profile with enabled rules is synced. */
export const syncProfilesHourly = inngest.createFunction({ id: "sync-profiles-hourly", triggers: [{ cron: "0 * * * *" }] }, async ({ step }) => {
  const ids = await step.run("profiles", profilesWithRules);
  if (ids.length) await step.sendEvent("fan-out", ids.map((profileId) => profileSyncRequested.create({ profileId, trigger: "hourly" })));
  return { profiles: ids.length };
});

/** A person joined or moved (or left): their birthright enrollments are recomputed at once. */
export const syncPersonProfiles = inngest.createFunction({ id: "sync-person-profiles", triggers: [personChanged] }, async ({ event, step }) => {
  const ids = await step.run("profiles", profilesWithRules);
  if (ids.length) await step.sendEvent("fan-out", ids.map((profileId) => profileSyncRequested.create({ profileId, trigger: `lifecycle: ${event.data.change}`, userId: event.data.userId })));
  return { profiles: ids.length };
});
