import "server-only";
import { z } from "zod";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { found } from "@/server/errors";
import { sendMail } from "@/server/mail/send";
import { oneLine } from "@/server/mail/templates";
import { describeWindow } from "./health";
import { probeOnce, type ProbeResult } from "./probe";

// The admins' view of connector health (/admin/connectors), "Retry now", and the app owner's mails
// about an outage: one when it has lasted CONNECTOR_ALERT_AFTER_MS (15 min), one when it ends.


export async function listConnectorHealth(db: Db, actor: Actor) {
  assertAdmin(actor, "see connector health");
  const [connectors, waiting] = await Promise.all([
    db.connector.findMany({
      orderBy: [{ app: { name: "asc" } }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        method: true,
        unreachableSince: true,
        consecutiveFailures: true,
        lastSuccessAt: true,
        lastErrorAt: true,
        lastError: true,
        outageWindowSeconds: true,
        app: { select: { name: true, slug: true } },
      },
    }),
    db.connectorWait.groupBy({ by: ["connectorId"], _count: true }),
  ]);
  return connectors.map(({ outageWindowSeconds, ...c }) => ({
    ...c,
    outageWindow: describeWindow(outageWindowSeconds),
    grantsWaiting: waiting.find((w) => w.connectorId === c.id)?._count ?? 0,
  }));
}

export const retryConnectorInput = z.object({ connectorId: z.string().trim().min(1).max(100) });

/** "Retry now": probe at once; an answer resumes the waiting grants (audited as the admin's). */
export async function retryConnectorNow(db: Db, actor: Actor, input: z.input<typeof retryConnectorInput>): Promise<ProbeResult> {
  assertAdmin(actor, "retry a connector");
  const { connectorId } = retryConnectorInput.parse(input);
  found(await db.connector.findUnique({ where: { id: connectorId }, select: { id: true } }), "That connector");
  return probeOnce(db, connectorId, undefined, actor.id);
}

/** Mails the app owner about the connector's outage; `recovered` tells them it answers again. */
export async function mailOwnerAboutOutage(db: Db, connectorId: string, since: string, recovered: boolean): Promise<{ sent: boolean }> {
  const connector = await db.connector.findUnique({
    where: { id: connectorId },
    select: { name: true, lastError: true, app: { select: { name: true, owner: { select: { email: true, name: true } } } } },
  });
  if (!connector) return { sent: false };
  if (!recovered) {
    // Claimed once per outage: a retried step does not mail twice.
    const claimed = await db.connector.updateMany({ where: { id: connectorId, unreachableSince: new Date(since), outageAlertedAt: null }, data: { outageAlertedAt: new Date() } });
    if (claimed.count === 0) return { sent: false };
  }
  const app = oneLine(connector.app.name);
  const at = new Date(since).toISOString().replace("T", " ").slice(0, 16);
  const page = `${env().APP_URL}/admin/connectors`;
  const text = recovered
    ? `${app} (${oneLine(connector.name)}) answers again. It was unreachable since ${at} UTC; the grants that waited for it are being provisioned now.\n\nConnector health: ${page}\n`
    : `${app} (${oneLine(connector.name)}) has been unreachable since ${at} UTC. Last error: ${oneLine(connector.lastError ?? "none recorded")}\n\n` +
      `Grants for ${app} wait and resume on their own when it answers; the portal keeps probing it. Connector health and "Retry now": ${page}\n`;
  try {
    await sendMail(db, { to: connector.app.owner.email, subject: recovered ? `${app} is reachable again` : `${app} is unreachable since ${at} UTC`, text });
  } catch (error) {
    if (!recovered) await db.connector.updateMany({ where: { id: connectorId }, data: { outageAlertedAt: null } });
    throw error;
  }
  return { sent: true };
}
