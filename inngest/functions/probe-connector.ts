import { inngest } from "@/inngest/client";
import { connectorUnreachable } from "@/inngest/events";
import { backoffMs, healthSettings } from "@/server/connectors/health";
import { mailOwnerAboutOutage, probeOnce } from "@/server/connectors/jobs";
import { enqueueEventNow } from "@/server/outbox/jobs";

// Inngest limits a run's steps; a long outage goes on in a fresh run.
const PROBES_PER_RUN = 200;

/**
 * While a connector is unreachable, probe it with backoff (seconds, doubling to minutes); the first
 * answer ends the outage and resumes its waiting grants (server/connectors/probe.ts). The app owner is
 * mailed when the outage has lasted 15 minutes, and again when it ends.
 */
export const probeConnector = inngest.createFunction(
  { id: "probe-connector", retries: 3, triggers: [connectorUnreachable] },
  async ({ event, step }) => {
    const { connectorId, since } = event.data;
    let alerted = event.data.alerted ?? false;
    for (let i = 0; i < PROBES_PER_RUN; i++) {
      await step.sleep(`wait-${i}`, `${backoffMs(i)}ms`);
      const probe = await step.run(`probe-${i}`, () => probeOnce(connectorId, since));
      if (probe.state === "gone") return { summary: "connector deleted" };
      if (probe.state === "recovered") {
        if (alerted) await step.run("mail-recovered", () => mailOwnerAboutOutage(connectorId, since, true));
        return { summary: `answered after ${i + 1} probe(s)` };
      }
      if (!alerted && probe.downForMs >= healthSettings().alertAfterMs) {
        alerted = (await step.run(`mail-unreachable-${i}`, () => mailOwnerAboutOutage(connectorId, since, false))).sent;
      }
    }
    await step.run("continue", () => enqueueEventNow(connectorUnreachable, { connectorId, since, alerted }));
    return { summary: "still unreachable; probing goes on in a new run" };
  },
);
