import "server-only";
import { accountUpdateRequested } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import { parseConnectorConfig } from "@/server/connectors/config";
import { ConnectorError } from "@/server/connectors/errors";
import * as scim from "@/server/connectors/scim";
import type { Db } from "@/server/db";
import { enqueueEvent } from "@/server/outbox/enqueue";

// Leave of absence on the targets: while a person is on leave the accounts the portal created for them
// are suspended (SCIM active=false, status Suspended); when they return the accounts are switched back
// on. Accounts that existed before the portal are never touched. The background function
// (inngest/functions/lifecycle.ts) calls these, one account per step, so each is retried on its own.

const LEAVE_REASON = "Leave of absence";
const RETURN_REASON = "Returned from leave";

/**
 * The accounts to bring in line with the person's lifecycle state as it is now: on leave, the live
 * accounts to suspend; active, the suspended ones to restore. Terminated: none — revoking their
 * grants retires the accounts.
 */
export async function accountsToAlign(db: Db, userId: string): Promise<{ state: string; accountIds: string[] }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { lifecycleState: true } });
  if (!user || user.lifecycleState === "TERMINATED") return { state: user?.lifecycleState ?? "GONE", accountIds: [] };
  const statuses = user.lifecycleState === "LEAVE" ? (["PROVISIONED", "MODIFYING"] as const) : (["SUSPENDED"] as const);
  const accounts = await db.appAccount.findMany({
    where: { userId, createdByPortal: true, status: { in: [...statuses] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return { state: user.lifecycleState, accountIds: accounts.map((a) => a.id) };
}

export type AlignResult = { changed: boolean; detail: string; failed?: boolean };

/**
 * Suspends or restores one account to match its owner's lifecycle state now (a leave and a return in
 * quick succession converge on the last). Throws a ConnectorError the caller may retry.
 */
export async function alignAccount(db: Db, accountId: string): Promise<AlignResult> {
  const account = await db.appAccount.findUnique({
    where: { id: accountId },
    include: { connector: { select: { name: true, method: true, config: true } }, user: { select: { lifecycleState: true } }, app: { select: { name: true } } },
  });
  if (!account) return { changed: false, detail: "account no longer exists" };
  const state = account.user.lifecycleState;
  if (state === "TERMINATED") return { changed: false, detail: "the person left: revoking their access retires the account" };
  if (!account.createdByPortal) return { changed: false, detail: "existed before the portal: left as it is" };
  const suspend = state === "LEAVE";
  if (suspend && account.status === "SUSPENDED") return { changed: false, detail: "already suspended" };
  if (!suspend && account.status !== "SUSPENDED") return { changed: false, detail: "not suspended" };
  if (suspend && account.status === "MODIFYING") {
    // The account is being updated right now; its update ends Provisioned, then this suspends it.
    throw new ConnectorError({ message: `${account.app.name} account is being updated: suspending it once that is done`, retryable: true });
  }
  if (suspend && account.status !== "PROVISIONED") return { changed: false, detail: `account is ${account.status.toLowerCase()}: nothing to suspend` };

  const parsed = account.connector.method === "SCIM" ? parseConnectorConfig("SCIM", account.connector.config) : null;
  if (!parsed?.success || parsed.data.method !== "SCIM" || !account.externalId) {
    // Nothing to switch off on this target: the account stays as it is, and the audit trail says so.
    const detail = `${account.connector.name} cannot suspend accounts: left active during the leave`;
    await db.$transaction((tx) =>
      recordAudit(tx, { actorId: null, action: "account.suspend_skipped", objectType: "account", objectId: account.id, after: { status: account.status }, reason: detail }),
    );
    return { changed: false, detail };
  }
  const { found } = await scim.setActive(parsed.data.config, account.externalId, !suspend);
  const to = suspend ? "SUSPENDED" : "PROVISIONED";
  await db.$transaction(async (tx) => {
    await tx.appAccount.update({ where: { id: account.id }, data: { status: to, failureReason: null } });
    await recordAudit(tx, {
      actorId: null,
      action: suspend ? "account.suspended" : "account.restored",
      objectType: "account",
      objectId: account.id,
      before: { status: account.status },
      after: { status: to, ...(found ? {} : { note: "the target no longer has this account" }) },
      reason: suspend ? LEAVE_REASON : RETURN_REASON,
    });
    // Back on: bring its attributes up to date with changes made while it was suspended.
    if (!suspend) await enqueueEvent(tx, accountUpdateRequested, { accountId: account.id });
  });
  return { changed: true, detail: `${account.app.name} account ${suspend ? "suspended" : "restored"}` };
}

/** One account could not be suspended or restored: say so on it (its status stays as it is) and in the audit trail. */
export async function markAccountAlignFailed(db: Db, accountId: string, reason: string): Promise<AlignResult> {
  const account = await db.appAccount.findUnique({ where: { id: accountId }, select: { status: true, user: { select: { lifecycleState: true } } } });
  if (!account) return { changed: false, detail: "account no longer exists" };
  const what = account.user.lifecycleState === "LEAVE" ? "Could not suspend for the leave of absence" : "Could not restore after the leave";
  await db.$transaction(async (tx) => {
    await tx.appAccount.update({ where: { id: accountId }, data: { failureReason: `${what}: ${reason}` } });
    await recordAudit(tx, { actorId: null, action: "account.failed", objectType: "account", objectId: accountId, after: { status: account.status }, reason: `${what}: ${reason}` });
  });
  return { changed: false, failed: true, detail: `${what}: ${reason}` };
}

/** The background function gave up altogether: every account still out of line says so. */
export async function markAlignFailed(db: Db, userId: string, reason: string): Promise<void> {
  const { accountIds } = await accountsToAlign(db, userId);
  for (const id of accountIds) await markAccountAlignFailed(db, id, reason);
}
