import { inngest } from "@/inngest/client";
import { personChanged, profileApplyContinued, profileSyncRequested } from "@/inngest/events";
import { processEnrollmentQueue, profilesWithRules, syncProfile } from "@/server/enrollment/jobs";
import { SYNC_LEASE_MS } from "@/server/enrollment/sync";
import { enqueueEventNow } from "@/server/outbox/jobs";
import { WAVE_LANE } from "./provision-in-bulk";

/** A queued run waits this long for the running sync to apply its request, taking over if that one dies. */
const WAIT_FOR_HOLDER_MS = SYNC_LEASE_MS + 5_000;

/**
 * Apply batches one run makes (a step each) before the rest goes on in a new run: Inngest allows 1,000
 * steps per run (https://www.inngest.com/docs/usage-limits/inngest). Read when used, so tests can shrink them.
 */
export function applySettings() {
  const num = (name: string, fallback: number) => {
    const value = Number(process.env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return { batchesPerRun: Math.min(num("ENROLLMENT_BATCHES_PER_RUN", 200), 900), batchSize: num("ENROLLMENT_BATCH_SIZE", 500) };
}

/**
 * Sync one access profile: apply its rules (set-based), then make the requests and revocations the
 * changes call for, a batch per step; past `batchesPerRun` batches the rest goes on in a new run of this
 * function (profileApplyContinued), under the same concurrency key. The engine should run one at a time
 * per profile, but correctness does not depend on it: a run that finds another sync running queues its
 * request for that sync, a retry of this run (after a crash) resumes its own sync, and the batches claim
 * their rows (server/enrollment/worker.ts).
 */
export const syncProfileFn = inngest.createFunction(
  { id: "sync-profile", triggers: [profileSyncRequested, profileApplyContinued], concurrency: [{ key: "event.data.profileId", limit: 1 }, WAVE_LANE], retries: 3 },
  async ({ event, step, runId }) => {
    const { profileId } = event.data;
    const part = event.name === profileApplyContinued.name ? event.data.part : 1;
    const result =
      event.name === profileSyncRequested.name
        ? await step.run("sync", () => syncProfile(profileId, { trigger: event.data.trigger, userId: event.data.userId ?? null, holder: `run:${runId}`, waitMs: WAIT_FOR_HOLDER_MS }))
        : { status: "continued" as const, part };
    const { batchesPerRun, batchSize } = applySettings();
    let total = { requested: 0, revoked: 0 };
    for (let i = 0; i < batchesPerRun; i++) {
      const batch = await step.run(`apply-${i}`, () => processEnrollmentQueue(profileId, batchSize));
      total = { requested: total.requested + batch.requested, revoked: total.revoked + batch.revoked };
      if (batch.remaining === 0 && batch.requested + batch.revoked === 0) return { ...result, ...total };
    }
    await step.run("continue", () => enqueueEventNow(profileApplyContinued, { profileId, part: part + 1 }));
    return { ...result, ...total, continuesInPart: part + 1 };
  },
);

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
