import { inngest } from "@/inngest/client";
import { grantApprovedInBulk, grantsProvisionedInBulk } from "@/inngest/events";
import { enrollMany, finishMany, handOffGrants, notifyProvisioned, provisionScimBatch, sortBulkGrants } from "@/server/provisioning/jobs";

/** Grants per run: one SCIM PATCH adds this many members (server/connectors/scim.ts MEMBERS_PER_PATCH). */
export const BULK_BATCH_SIZE = 500;

/**
 * The lane every step of a wave shares (asking for the access, provisioning it in batches, the mails
 * after): one such step at a time in the whole environment, so however large a wave, the processor is
 * never all its own and people's own requests keep going through at once (Inngest's concurrency with
 * scope "env" and a constant key: https://www.inngest.com/docs/guides/concurrency).
 */
export const WAVE_LANE = { scope: "env" as const, key: '"rule-driven-waves"', limit: 1 };

type Ref = { grantId: string; requestId: string | null };

/**
 * Provisions rule-driven grants (birthright rules, profile items; auto-approved) in batches of up to
 * 500 per entitlement: Inngest collects the events (batchEvents) and the run provisions them together
 * (server/provisioning/bulk.ts). Two batches run at once at most, so a wave of thousands never takes
 * the slots that people's own requests (provision-grant) need. What a batch cannot do (other methods,
 * several steps, a target failing) goes through provision-grant one by one, which retries, waits out
 * an outage and falls back to a manual task.
 */
export const provisionInBulk = inngest.createFunction(
  {
    id: "provision-in-bulk",
    triggers: [grantApprovedInBulk],
    // A few seconds' wait fills batches while a wave is being approved; a lone joiner's access waits as long.
    batchEvents: { maxSize: BULK_BATCH_SIZE, timeout: "3s", key: "event.data.entitlementId" },
    // One wave step at a time (WAVE_LANE), and one batch per app: a person's batches on one app (one
    // per entitlement) never race to create the same account.
    concurrency: [WAVE_LANE, { key: "event.data.appId", limit: 1 }],
    retries: 3,
    // Inngest hands onFailure only the batch's first event: every step below gives its grants to
    // provision-grant on its last try instead of failing, so this covers a failure outside them.
    onFailure: async ({ event, step }) => {
      const { grantId, requestId } = event.data.event.data as { grantId: string; requestId: string };
      await step.run("hand-off", () => handOffGrants([{ grantId, requestId }]));
    },
  },
  async ({ events, step, attempt, maxAttempts }) => {
    const lastTry = attempt + 1 >= (maxAttempts ?? 1);
    // A step that keeps failing hands its grants on instead of stranding them half-way.
    const orHandOff = async <T,>(refs: Ref[], work: () => Promise<T>): Promise<T | { handedOff: number }> => {
      try {
        return await work();
      } catch (error) {
        if (!lastTry) throw error;
        return { handedOff: await handOffGrants(refs) };
      }
    };
    const refs = [...new Map(events.map((e) => [e.data.grantId, { grantId: e.data.grantId, requestId: e.data.requestId }])).values()];
    const sorted = await step.run("sort", () => orHandOff(refs, () => sortBulkGrants(refs.map((r) => r.grantId))));
    if ("handedOff" in sorted) return { handedOff: sorted.handedOff };
    if (sorted.single.length) await step.run("hand-off", () => handOffGrants(sorted.single));
    const enrolled = sorted.profiles.length ? await step.run("enroll", () => orHandOff(sorted.profiles, () => enrollMany(sorted.profiles))) : null;
    let provisioned = 0;
    for (const [i, batch] of sorted.scim.entries()) {
      const mine = refs.filter((r) => batch.grantIds.includes(r.grantId));
      // The "ready" mails are queued with the grants' move to Provisioned (finishMany) and go out in their
      // own function: this batch's slot is free for the next one meanwhile, and no step is spent sending.
      const outcome = await step.run(`scim-${i}`, () =>
        orHandOff(mine, async () => {
          const done = await provisionScimBatch(batch.connectorId, batch.grantIds);
          if (done.handOff.length) await handOffGrants(done.handOff);
          const finished = done.done.length ? await finishMany(done.done.map((d) => d.grantId)) : { provisioned: 0, told: 0 };
          // Counts only: a step's output is sent back with every later call of the run.
          return { ...finished, handedOff: done.handOff.length, reason: done.reason ?? null };
        }),
      );
      if ("provisioned" in outcome) provisioned += outcome.provisioned;
    }
    return { grants: refs.length, provisioned, enrolled: enrolled && "enrolled" in enrolled ? enrolled.enrolled : 0, handedOff: sorted.single.length };
  },
);

/** "Your access is ready" for the grants a batch provisioned, once each (a retried step skips those told). */
export const notifyProvisionedInBulk = inngest.createFunction(
  { id: "notify-provisioned-in-bulk", triggers: [grantsProvisionedInBulk], concurrency: [WAVE_LANE], retries: 3 },
  async ({ event, step }) => ({ sent: await step.run("send", () => notifyProvisioned(event.data.grants)) }),
);
