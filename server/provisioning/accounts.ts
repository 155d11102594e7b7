import "server-only";
import { z } from "zod";
import { accountUpdateRequested } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import { parseConnectorConfig } from "@/server/connectors/config";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, notFound } from "@/server/errors";
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

export const updatePersonInput = z.object({
  userId: z.string().min(1, "Choose the person."),
  name: z.string().trim().min(1, "Enter a name.").max(200).optional(),
  title: z.string().trim().max(200).nullable().optional(),
  department: z.string().trim().min(1).max(200).nullable().optional(),
});

/**
 * An admin corrects a person's attributes (the joiner/mover feeds call the same path). The change and
 * the account updates it causes commit together.
 */
export async function updatePerson(db: Db, actor: Actor, input: z.input<typeof updatePersonInput>) {
  if (!actor.isAdmin) throw forbidden("Only an admin can change a person's attributes.");
  const { userId, name, title, department } = updatePersonInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { name: true, title: true, department: { select: { name: true } } } });
    if (!before) throw notFound("That person");
    const departmentId = await departmentIdFor(tx, department);
    await tx.user.update({ where: { id: userId }, data: { name, title, departmentId } });
    const accounts = await requestAccountUpdates(tx, userId);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "user.updated",
      objectType: "user",
      objectId: userId,
      before: { name: before.name, title: before.title, department: before.department?.name ?? null },
      after: { name: name ?? before.name, title: title === undefined ? before.title : title, department: department === undefined ? (before.department?.name ?? null) : department },
    });
    return { userId, accountsToUpdate: accounts };
  });
}

/** Brings one account up to date on its target. Connector failures are thrown for the function to retry. */
export async function updateAccount(db: Db, accountId: string): Promise<{ changed: boolean; detail: string }> {
  const account = await db.appAccount.findUnique({ where: { id: accountId }, include: { connector: true } });
  if (!account) throw notFound("That account");
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
