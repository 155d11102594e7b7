import "server-only";
import type { Db } from "@/server/db";
import { isConnectorMethod, parseConnectorConfig, type ConnectorConfig } from "./config";
import { ConnectorError, isOutageError } from "./errors";
import { markRecovered, recordAnswer, recordFailure } from "./health";
import { callTarget } from "./http";
import { getJiraIssueState } from "./jira";
import { findPersonDn } from "./ldap";
import { findUser } from "./scim";
import { getServiceNowTicketState } from "./servicenow";

// A probe: one cheap, authenticated call that writes nothing, to learn whether an unreachable connector
// answers again. Any answer counts (a 404 or even a 401 comes from a target that is up: the grants then
// resume and fail for good, with that reason, where a person can see it); only no answer, a timeout or a
// 5xx means it is still down.

const PROBE_USER = "portal-health-probe@invalid";

/** The probe's one call (Test connection makes it too, and judges the answer more strictly). */
export async function probeCall(target: ConnectorConfig): Promise<void> {
  switch (target.method) {
    case "SCIM":
      await findUser(target.config, PROBE_USER); // GET /Users?filter=userName eq "…"
      return;
    case "LDAP_GROUP":
      await findPersonDn(target.config, PROBE_USER); // bind, then one search
      return;
    case "WEBHOOK": {
      // A receiver has no read call: any HTTP answer to HEAD shows it is up.
      const url = new URL(target.config.url);
      await callTarget({ target: "Webhook endpoint", baseUrl: url.origin, method: "HEAD", path: url.pathname + url.search, timeoutMs: target.config.timeoutMs ?? 10_000 });
      return;
    }
    case "JIRA":
      await getJiraIssueState(target.config, `${target.config.projectKey}-0`);
      return;
    case "SERVICENOW":
      await getServiceNowTicketState(target.config, "00000000000000000000000000000000");
      return;
  }
}

export type ProbeResult = { state: "gone" } | { state: "recovered" } | { state: "down"; message: string; downForMs: number };

/**
 * Probes the connector once, if the outage that started `since` still goes on (without `since`: any
 * outage, as "Retry now" does). An answer ends the outage and resumes its waiting grants.
 */
export async function probeOnce(db: Db, connectorId: string, since?: string, actorId: string | null = null): Promise<ProbeResult> {
  const connector = await db.connector.findUnique({ where: { id: connectorId }, select: { method: true, config: true, unreachableSince: true } });
  if (!connector || !isConnectorMethod(connector.method)) return { state: "gone" };
  const down = connector.unreachableSince;
  // A scheduled probe of an outage that has ended has nothing to do. "Retry now" (an admin) on a
  // connector that answers still calls it, so the health page shows what the target says now.
  if (!actorId && (!down || (since && down.toISOString() !== since))) return { state: "recovered" };
  const parsed = parseConnectorConfig(connector.method, connector.config);
  const how = actorId ? "an admin's retry was answered" : "a probe was answered";
  if (!parsed.success) {
    // Misconfigured: probing cannot succeed; let the grants go on and fail for good with the reason.
    await markRecovered(db, connectorId, `the configuration is invalid (${parsed.problems.join("; ")}): waiting grants resume and fail`, actorId);
    return { state: "recovered" };
  }
  try {
    await probeCall(parsed.data);
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (isOutageError(error)) {
      await recordFailure(db, connectorId, error);
      return { state: "down", message: error.message, downForMs: down ? Date.now() - down.getTime() : 0 };
    }
  }
  if (down) await markRecovered(db, connectorId, how, actorId);
  else await recordAnswer(db, connectorId, true);
  return { state: "recovered" };
}
