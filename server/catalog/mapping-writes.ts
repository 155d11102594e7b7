import "server-only";
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/server/audit/record";
import { maskConnectorConfig } from "@/server/connectors/config";
import { checkOwner, checkPlanConnectors, configurableApp } from "@/server/catalog/entitlement-writes";
import type { Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { reconcileAfterSettingsChange } from "@/server/reconciliation/actions-run";
import { accountTemplateSchema } from "@/universal/provisioning/account-template";
import { planSchema } from "@/universal/provisioning/plan";

// Writing an app's settings and a connector's, inside a transaction. An app's default plan and a
// connector's address decide which target group entitlements land in, so a change to them that puts
// people into an admin group waits for a second admin and is applied later by
// server/policies/changes.ts; like entitlement-writes.ts, this must not depend on configure-apps.ts.
// A held change records what it was based on: approving it after the app or connector changed in
// between is refused, so the second admin never overwrites something they did not see.

const fingerprint = (value: unknown) =>
  createHash("sha256")
    .update(canonicalize(value ?? null) ?? "")
    .digest("hex");

/** An app's owner must be someone who is still here. */
export const updateAppInput = z.object({
  appId: z.string().min(1),
  /** Who owns the app: approves when a policy asks for the owner, and works its manual tasks when it has no provisioners. */
  ownerId: z.string().min(1, "Choose the app's owner.").optional(),
  deprovisionAction: z.enum(["SUSPEND", "DELETE"]).optional(),
  requireProvisioningApproval: z.boolean().optional(),
  /** More people than this losing the app's access at once waits for an admin; null: 10 people or 10 %, whichever is larger. */
  revocationThreshold: z.number().int("Enter a whole number of people.").min(1, "Hold at 1 person or more.").max(1_000_000, "Enter at most 1,000,000.").nullable().optional(),
  accountTemplate: accountTemplateSchema.optional(),
  provisioningPlan: planSchema.optional(),
});
export type AppUpdate = z.output<typeof updateAppInput>;

/** The app's values of the fields an update changes: what the update is based on. */
async function appBefore(tx: Tx, update: AppUpdate) {
  const { appId, ...changes } = update;
  const app = await configurableApp(tx, appId);
  return { app, before: Object.fromEntries(Object.keys(changes).map((k) => [k, ((app as Record<string, unknown>)[k] ?? null) as Prisma.InputJsonValue])) };
}

export async function appUpdateBasis(tx: Tx, update: AppUpdate): Promise<string> {
  return fingerprint((await appBefore(tx, update)).before);
}

/** Applies an app update (checked again: its owner and plan connectors), audited with before and after. */
export async function updateAppTx(tx: Tx, actorId: string, update: AppUpdate, held?: { changeId: string; basedOn: string }) {
  const { appId, ...changes } = update;
  const { before } = await appBefore(tx, update);
  if (held && fingerprint(before) !== held.basedOn) throw new AppError("CONFLICT", "The app's settings changed since this was proposed; reject this change and propose it again.");
  if (changes.ownerId) await checkOwner(tx, changes.ownerId);
  if (changes.provisioningPlan) await checkPlanConnectors(tx, appId, changes.provisioningPlan);
  await tx.app.update({ where: { id: appId }, data: changes as Prisma.AppUncheckedUpdateInput });
  await recordAudit(tx, {
    actorId,
    action: "app.configured",
    objectType: "app",
    objectId: appId,
    before,
    after: { ...changes, ...(held ? { changeId: held.changeId } : {}) } as Prisma.InputJsonValue,
  });
  return { appId };
}

/** A connector save as it will be stored: its config with secrets already sealed. */
export const connectorUpdate = z.object({
  connectorId: z.string().min(1),
  appId: z.string().min(1),
  /** Fingerprint of the connector as it was when the change was proposed. */
  basedOn: z.string(),
  data: z.object({
    method: z.enum(["SCIM", "LDAP_GROUP", "WEBHOOK", "JIRA", "SERVICENOW"]),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    maxAttempts: z.number().int(),
    backoffMs: z.number().int(),
    retryableStatuses: z.array(z.number().int()),
    importGroups: z.boolean(),
  }),
});
export type ConnectorUpdate = z.output<typeof connectorUpdate>;

type ConnectorState = { method: string; name: string; config: unknown; maxAttempts: number; backoffMs: number; retryableStatuses: number[]; importGroups: boolean };
export const connectorBasis = (c: ConnectorState) =>
  fingerprint({ method: c.method, name: c.name, config: c.config, maxAttempts: c.maxAttempts, backoffMs: c.backoffMs, retryableStatuses: c.retryableStatuses, importGroups: c.importGroups });

/** The same connector save with its sealed secrets left out, for the audit log and the approval screen. */
export const shownConnectorUpdate = (u: ConnectorUpdate) => ({ ...u, data: { ...u.data, config: maskConnectorConfig(u.data.config) } });

/** Applies a connector save a second admin approved, unless the connector changed since it was proposed. */
export async function applyConnectorUpdateTx(tx: Tx, actorId: string, update: ConnectorUpdate, changeId: string) {
  const existing = await tx.connector.findUnique({ where: { id: update.connectorId } });
  if (!existing || existing.appId !== update.appId) throw notFound("That connector");
  if (connectorBasis(existing) !== update.basedOn) {
    throw new AppError("CONFLICT", `Connector “${existing.name}” changed since this was proposed; reject this change and propose it again.`);
  }
  const clash = await tx.connector.findFirst({ where: { appId: update.appId, name: update.data.name, NOT: { id: existing.id } }, select: { id: true } });
  if (clash) throw new AppError("CONFLICT", "This app already has a connector with that name.");
  await tx.connector.update({ where: { id: existing.id }, data: { ...update.data, config: update.data.config as Prisma.InputJsonObject } });
  await recordAudit(tx, {
    actorId,
    action: "connector.updated",
    objectType: "connector",
    objectId: existing.id,
    after: { method: update.data.method, name: update.data.name, config: maskConnectorConfig(update.data.config) as Prisma.InputJsonValue, changeId },
  });
  await reconcileAfterSettingsChange(tx, { ...existing, ...update.data }, actorId);
  return { id: existing.id };
}
