import { inngest } from "@/inngest/client";
import { checkpointSettings } from "@/server/audit/checkpoint";
import { mailCheckpoint, writeCheckpoint } from "@/server/audit/jobs";
import { env } from "@/server/env";

/**
 * Every hour, sign the audit trail's head and row count into the checkpoint file and the log, and
 * mail it to the auditors (AUDIT_EMAIL): copies the database cannot rewrite, which
 * `npm run audit:verify` checks the trail against. A trail that no longer checks out is not signed;
 * the auditors are told instead and the run fails, so it shows in the engine.
 */
export const auditCheckpointHourly = inngest.createFunction(
  { id: "audit-checkpoint-hourly", retries: 1, triggers: [{ cron: "30 * * * *" }] },
  async ({ step }) => {
    const settings = checkpointSettings(env().DATABASE_URL);
    const result = await step.run("sign-head", () => writeCheckpoint(settings));
    if (settings.email) await step.run("mail-auditors", () => mailCheckpoint(settings.email!, result));
    if (!result.ok) throw new Error(`audit trail no longer checks out; no checkpoint signed:\n${result.problems.join("\n")}`);
    return result;
  },
);
