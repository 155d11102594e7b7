import "server-only";
import { accountUpdateRequested } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import { parseConnectorConfig } from "@/server/connectors/config";
import type { Db, Tx } from "@/server/db";
import { AppError, found } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { updateScimAccount } from "./methods/scim";

// When a person's attributes change, the accounts the portal created for them follow ("Modifying").
// Accounts that existed before the portal are not the portal's to change.

/** Queues an update of every live account the portal created for this person. Call it in the change's transaction. */
export async function requestAccountUpdates(tx: Tx, userId: string): Promise<number> {
  const accounts = await tx.appAccount.findMany({ where: { userId, createdByPortal: true, status: { in: ["PROVISIONED", "FAILED"] } }, select: { id: true } });
  for (const account of accounts) await enqueueEvent(tx, accountUpdateRequested, { accountId: account.id });
  return accounts.length;
}

/** The department with this name, created when new; null clears it, undefined leaves it as it is. */
export async function departmentIdFor(tx: Tx, department: string | null | undefined): Promise<string | null | undefined> {
  if (department === undefined || department === null) return department;
  return (await tx.department.upsert({ where: { name: department }, create: { name: department }, update: {} })).id;
}

/** Brings one account up to date on its target. Connector failures are thrown for the function to retry. */
export async function updateAccount(db: Db, accountId: string): Promise<{ changed: boolean; detail: string }> {
  const account = found(await db.appAccount.findUnique({ where: { id: accountId }, include: { connector: true } }), "That account");
  if (!account.createdByPortal || account.status === "DEPROVISIONED" || account.status === "DELETING") return { changed: false, detail: "not managed by the portal now" };
  // Switched off for a leave of absence: brought up to date when it is restored.
  if (account.status === "SUSPENDED") return { changed: false, detail: "suspended (leave of absence): updated when restored" };
  const parsed = parseConnectorConfig("SCIM", account.connector.config);
  if (account.connector.method !== "SCIM" || !parsed.success || parsed.data.method !== "SCIM") {
    throw new AppError("BAD_REQUEST", `${account.connector.name} cannot update accounts.`);
  }
  const user = await db.user.findUniqueOrThrow({
    where: { id: account.userId },
    select: { id: true, email: true, name: true, title: true, department: { select: { name: true } }, manager: { select: { email: true } } },
  });
  const app = await db.app.findUniqueOrThrow({ where: { id: account.appId }, select: { accountTemplate: true } });
  return updateScimAccount(db, account, { user, app }, parsed.data.config);
}

export async function markAccountFailed(db: Db, accountId: string, reason: string) {
  await db.$transaction(async (tx) => {
    await tx.appAccount.update({ where: { id: accountId }, data: { status: "FAILED", failureReason: reason } });
    await recordAudit(tx, { actorId: null, action: "account.failed", objectType: "account", objectId: accountId, after: { status: "FAILED" }, reason });
  });
}
