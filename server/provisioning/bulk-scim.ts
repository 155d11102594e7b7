import "server-only";
import { parseConnectorConfig } from "@/server/connectors/config";
import { ConnectorError } from "@/server/connectors/errors";
import { openBreaker, recordAnswer, recordFailure } from "@/server/connectors/health";
import * as scim from "@/server/connectors/scim";
import type { Db } from "@/server/db";
import { log } from "@/server/observability/log";
import { recordStepAttempt } from "@/server/observability/metrics";
import { loadGrantContexts, type GrantContext } from "./grant-context";
import { batchAccounts } from "./bulk-accounts";

// One-step SCIM grants provisioned together: each person's account as the single path makes it, then
// per group one read of its members and one PATCH adding everyone missing (RFC 7644 §3.5.2.1 allows
// many values in one "add"). Every grant still gets its attempt, its recorded effect (whether the
// membership was there before) and its audit rows. A target failure leaves the grants to the single
// path, whose retries, outage waits and manual fallback take over from the same attempt numbers.

export type BulkScimOutcome = {
  done: Array<{ grantId: string; requestId: string | null }>;
  /** Not provisioned here: each goes through provision-grant. */
  handOff: Array<{ grantId: string; requestId: string | null }>;
  reason?: string;
};

/** The grants' attempts, numbered on from earlier tries, recorded as running. */
async function startAttempts(db: Db, grantIds: string[]): Promise<Map<string, number>> {
  const earlier = await db.provisioningAttempt.groupBy({ by: ["grantId"], where: { grantId: { in: grantIds }, operation: "PROVISION", stepIndex: 0 }, _max: { number: true } });
  const base = new Map(earlier.map((e) => [e.grantId, e._max.number ?? 0]));
  // A retried batch finds its own running attempt and reuses it.
  const running = await db.provisioningAttempt.findMany({ where: { grantId: { in: grantIds }, operation: "PROVISION", stepIndex: 0, outcome: "RUNNING" }, select: { grantId: true, number: true } });
  const numbers = new Map(grantIds.map((id) => [id, (base.get(id) ?? 0) + 1]));
  for (const r of running) numbers.set(r.grantId, r.number);
  await db.$executeRaw`
    INSERT INTO "ProvisioningAttempt" (id, "grantId", operation, "stepIndex", method, number)
    SELECT gen_random_uuid()::text, g, 'PROVISION', 0, 'SCIM', n FROM unnest(${grantIds}::text[], ${grantIds.map((id) => numbers.get(id)!)}::int[]) AS a(g, n)
    ON CONFLICT DO NOTHING`;
  return numbers;
}

/** Adds everyone missing from one group, given who was there before (read once: a group of a wave grows large). */
async function fillGroup(config: scim.ScimConfig, groupId: string, externalIds: string[], before: Set<string>): Promise<void> {
  const missing = [...new Set(externalIds)].filter((id) => !before.has(id));
  try {
    await scim.addMembers(config, groupId, missing);
  } catch (error) {
    // 409: someone added one of them since our read; add the rest again.
    if (!(error instanceof ConnectorError && error.status === 409)) throw error;
    const now = await scim.memberIds(config, groupId);
    await scim.addMembers(config, groupId, missing.filter((id) => !now.has(id)));
  }
}

export async function provisionScimBatch(db: Db, connectorId: string, grantIds: string[]): Promise<BulkScimOutcome> {
  const started = performance.now();
  const grants = (await loadGrantContexts(db, grantIds)).filter((g) => g.status === "PROVISIONING");
  const refs = grants.map((g) => ({ grantId: g.id, requestId: g.requestId }));
  const connector = await db.connector.findUnique({ where: { id: connectorId } });
  const parsed = connector && parseConnectorConfig("SCIM", connector.config);
  // Unreachable, gone or misconfigured: the single path waits for it, or says why it cannot.
  if (!connector || !parsed?.success || parsed.data.method !== "SCIM" || (await openBreaker(db, connectorId))) {
    return { done: [], handOff: refs, reason: "the connector is unreachable or not usable for a batch" };
  }
  const config = parsed.data.config;
  const numbers = await startAttempts(db, refs.map((r) => r.grantId));
  let details: Map<string, string>;
  try {
    details = await provisionGrants(db, connectorId, config, grants);
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    const message = error.message.split("\n")[0]!.slice(0, 500);
    await db.provisioningAttempt.updateMany({ where: { grantId: { in: refs.map((r) => r.grantId) }, operation: "PROVISION", stepIndex: 0, outcome: "RUNNING" }, data: { outcome: "FAILED", error: message, finishedAt: new Date() } });
    await recordFailure(db, connectorId, error);
    log().warn({ connectorId, grants: refs.length, error: message }, "a provisioning batch failed; its grants go one by one");
    return { done: [], handOff: refs, reason: message };
  }
  await recordAnswer(db, connectorId, true);
  await finishAttempts(db, grants, numbers, details);
  const ms = performance.now() - started;
  for (const g of grants) {
    recordStepAttempt({ grantId: g.id, accessRequestId: g.requestId, operation: "PROVISION", step: 0, attempt: numbers.get(g.id)!, method: "SCIM", outcome: "succeeded", ms: ms / grants.length });
  }
  return { done: refs, handOff: [] };
}

/** Accounts, effects and memberships for the batch; the detail each grant's attempt shows. */
async function provisionGrants(db: Db, connectorId: string, config: scim.ScimConfig, grants: GrantContext[]): Promise<Map<string, string>> {
  const people = await batchAccounts(db, connectorId, config, grants);
  const details = new Map<string, string>();
  const byGroup = new Map<string, GrantContext[]>();
  for (const g of grants) byGroup.set(g.entitlement.externalName, [...(byGroup.get(g.entitlement.externalName) ?? []), g]);
  for (const [groupName, members] of byGroup) {
    const group = await scim.ensureGroup(config, groupName);
    const before = await scim.memberIds(config, group.id);
    // Recorded before the PATCH, as the single path does: a retry then still knows the membership was ours.
    await db.$executeRaw`
      INSERT INTO "ProvisionedEffect" (id, "grantId", "stepIndex", method, target, "connectorId", "groupName", reference, "createdByPortal")
      SELECT gen_random_uuid()::text, g, 0, 'SCIM', ${`SCIM group ${groupName}`}, ${connectorId}, ${groupName}, ${group.id}, ours
      FROM unnest(${members.map((g) => g.id)}::text[], ${members.map((g) => !before.has(people.get(g.userId)!.externalId))}::boolean[]) AS e(g, ours)
      ON CONFLICT DO NOTHING`;
    await fillGroup(config, group.id, members.map((g) => people.get(g.userId)!.externalId), before);
    const effects = new Map((await db.provisionedEffect.findMany({ where: { grantId: { in: members.map((g) => g.id) }, stepIndex: 0 }, select: { grantId: true, createdByPortal: true } })).map((e) => [e.grantId, e.createdByPortal]));
    for (const g of members) {
      const membership = effects.get(g.id) ? `added to ${groupName}` : `already in ${groupName} before the request (left in place on revoke)`;
      details.set(g.id, [people.get(g.userId)!.note, membership, `in a batch of ${grants.length}`].join(", "));
    }
  }
  // Groups the account template's rules add, one PATCH per group for everyone in the batch.
  const ruleGroups = new Map<string, string[]>();
  for (const [, person] of people) for (const name of person.groups) ruleGroups.set(name, [...(ruleGroups.get(name) ?? []), person.externalId]);
  for (const [name, ids] of ruleGroups) {
    const own = byGroup.has(name);
    if (own) continue;
    const group = await scim.ensureGroup(config, name);
    await fillGroup(config, group.id, ids, await scim.memberIds(config, group.id));
  }
  return details;
}

/** The batch's attempts succeeded, each with what it did. */
async function finishAttempts(db: Db, grants: GrantContext[], numbers: Map<string, number>, details: Map<string, string>) {
  const ids = grants.map((g) => g.id);
  await db.$executeRaw`
    UPDATE "ProvisioningAttempt" a SET outcome = 'SUCCEEDED', detail = d.detail, "finishedAt" = now()
    FROM unnest(${ids}::text[], ${ids.map((id) => numbers.get(id)!)}::int[], ${ids.map((id) => details.get(id) ?? "done in a batch")}::text[]) AS d(grant_id, number, detail)
    WHERE a."grantId" = d.grant_id AND a.operation = 'PROVISION' AND a."stepIndex" = 0 AND a.number = d.number`;
}
