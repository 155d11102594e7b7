import "server-only";
import { Attribute, Change } from "ldapts";
import { recordAudit } from "@/server/audit/record";
import { parseConnectorConfig } from "@/server/connectors/config";
import { ConnectorError } from "@/server/connectors/errors";
import { connectDirectory, memberAttributeOf, readError, type LdapConfig } from "@/server/connectors/ldap";
import * as scim from "@/server/connectors/scim";
import type { Db } from "@/server/db";
import { loadGrantContext } from "@/server/provisioning/grant-context";
import { plannedSteps, type PlannedStep } from "@/server/provisioning/run-step";

// What a reconciliation queues: missing access put back by walking the grant's plan steps through the
// connector again (idempotent steps: they look before they write, so only what is missing is done), and
// orphan accounts removed from targets where the portal is authoritative.

export type RepairPlan = { go: true; steps: PlannedStep[] } | { go: false; reason: string };

export async function repairPlan(db: Db, grantId: string, findingId: string): Promise<RepairPlan> {
  const finding = await db.reconcileFinding.findUnique({ where: { id: findingId } });
  const grant = await db.grant.findUnique({ where: { id: grantId }, select: { status: true } });
  if (!finding || finding.status !== "REPAIRING") return { go: false, reason: "nothing to repair any more" };
  if (grant?.status !== "PROVISIONED") {
    await db.reconcileFinding.update({ where: { id: findingId }, data: { status: "RESOLVED", resolvedAt: new Date(), resolution: "The grant ended before it was put back." } });
    return { go: false, reason: `grant is ${grant?.status.toLowerCase() ?? "gone"}` };
  }
  const context = await loadGrantContext(db, grantId);
  const mine = new Set(context.plan.flatMap((s, i) => ("connectorId" in s && s.connectorId === finding.connectorId ? [i] : [])));
  const steps = (await plannedSteps(db, grantId, "PROVISION", context)).filter((s) => mine.has(s.stepIndex));
  return steps.length ? { go: true, steps } : { go: false, reason: "its plan no longer uses this connector" };
}

/** Records how the repair ended: put back (audited grant.drift_repaired), or open again with the reason. */
export async function finishRepair(db: Db, grantId: string, findingId: string, outcome: { ok: true; summary: string } | { ok: false; reason: string }) {
  await db.$transaction(async (tx) => {
    await tx.reconcileFinding.update({
      where: { id: findingId },
      data: outcome.ok
        ? { status: "REPAIRED", resolvedAt: new Date(), resolution: `Put back: ${outcome.summary}` }
        : { status: "OPEN", resolution: `Could not put it back: ${outcome.reason}` },
    });
    if (outcome.ok) {
      await tx.grant.update({ where: { id: grantId }, data: { targetState: "CONFIRMED", targetNote: null, targetCheckedAt: new Date() } });
      await recordAudit(tx, { actorId: null, action: "grant.drift_repaired", objectType: "grant", objectId: grantId, after: { finding: findingId }, reason: outcome.summary });
    }
  });
}

/** Removes an orphan (a SCIM account, or a directory membership) from a target where the portal is authoritative. */
export async function removeOrphan(db: Db, findingId: string): Promise<{ summary: string }> {
  const finding = await db.reconcileFinding.findUnique({ where: { id: findingId }, include: { connector: true, app: { select: { portalAuthoritative: true, deprovisionAction: true } } } });
  if (!finding || finding.kind !== "ORPHAN" || finding.status !== "REVOKING") return { summary: "nothing to remove any more" };
  if (!finding.app.portalAuthoritative) {
    await db.reconcileFinding.update({ where: { id: findingId }, data: { status: "OPEN", resolution: "Not removed: the portal is no longer authoritative for this app." } });
    return { summary: "app not authoritative" };
  }
  const parsed = finding.connector.method === "SCIM" || finding.connector.method === "LDAP_GROUP" ? parseConnectorConfig(finding.connector.method, finding.connector.config) : null;
  if (!parsed?.success) throw new ConnectorError({ message: `${finding.connector.name} has settings that cannot be used`, retryable: false });
  let done: string;
  try {
    done = parsed.data.method === "SCIM" ? await removeScimAccount(parsed.data.config, finding.accountId ?? "", finding.app.deprovisionAction) : await removeDirectoryMember(parsed.data.config as LdapConfig, finding.groupId ?? "", finding.subjectKey);
  } catch (e) {
    if (e instanceof ConnectorError && e.retryable) throw e;
    const why = e instanceof Error ? e.message : String(e);
    await db.reconcileFinding.update({ where: { id: findingId }, data: { status: "OPEN", resolution: `Could not remove it: ${why}` } });
    return { summary: `failed: ${why}` };
  }
  await db.$transaction(async (tx) => {
    await tx.reconcileFinding.update({ where: { id: findingId }, data: { status: "REVOKED", resolvedAt: new Date(), resolution: done } });
    await recordAudit(tx, { actorId: null, action: "account.orphan_removed", objectType: "connector", objectId: finding.connectorId, after: { account: finding.accountName, group: finding.groupName }, reason: done });
  });
  return { summary: done };
}

async function removeScimAccount(config: scim.ScimConfig, id: string, action: "SUSPEND" | "DELETE"): Promise<string> {
  if (action === "DELETE") return (await scim.deleteUser(config, id)).deleted ? "Account deleted on the target" : "Account was already gone";
  return (await scim.setActive(config, id, false)).found ? "Account suspended on the target" : "Account was already gone";
}

/** Deletes one member value ("member:<groupDn>:<value>") from a directory group; already gone counts as done. */
async function removeDirectoryMember(config: LdapConfig, groupDn: string, subjectKey: string): Promise<string> {
  const value = subjectKey.slice(`member:${groupDn}:`.length);
  const operation = { action: "remove member from", subject: groupDn };
  const client = await connectDirectory(config, operation);
  try {
    const { searchEntries } = await client.search(groupDn, { scope: "base", attributes: ["objectClass"] });
    const type = searchEntries[0] ? memberAttributeOf(searchEntries[0]) : null;
    if (!type) return `${groupDn} is no longer a group the portal manages: nothing removed`;
    await client.modify(groupDn, new Change({ operation: "delete", modification: new Attribute({ type, values: [value] }) }));
    return `Removed ${value} from ${groupDn}`;
  } catch (e) {
    // 16 noSuchAttribute: not a member any more.
    if ((e as { code?: number }).code === 16) return `${value} was no longer in ${groupDn}`;
    throw readError(config, operation, e);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
