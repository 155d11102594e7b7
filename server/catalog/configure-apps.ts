import "server-only";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import { checkedConnectorEdit } from "@/server/connectors/admin-edit";
import { connectorSettingsForAdmin, isConnectorMethod, maskConnectorConfig, sealConnectorConfig, SECRET_MASK } from "@/server/connectors/config";
import type { Db } from "@/server/db";
import { createAppInput, createEntitlementInput } from "@/universal/catalog/app-inputs";
import { checkNewEntitlement, checkOwner, checkPlanConnectors, configurableApp, createEntitlementTx, updateEntitlementInput, updateEntitlementTx } from "@/server/catalog/entitlement-writes";
import { PROFILES_APP_SLUG } from "@/server/enrollment/profiles";
import { AppError, found, notFound } from "@/server/errors";
import { effectiveAdminIds } from "@/server/policies/admin-access";
import { appUpdateBasis, connectorBasis, updateAppInput, updateAppTx } from "@/server/catalog/mapping-writes";
import { holdMappingChange } from "@/server/policies/changes";
import { reconcileAfterSettingsChange } from "@/server/reconciliation/actions-run";
import { accountTemplateSchema } from "@/universal/provisioning/account-template";

// Admins add apps and their entitlements, and configure how each app is provisioned: its owner,
// connectors, the default plan and per-entitlement plans (including which directory group an
// entitlement is), deprovisioning, the account template, provisioners. The system app "Access
// profiles" is not configured here: its entitlements belong to profiles (server/enrollment/profiles.ts).

export { createAppInput, createEntitlementInput, updateAppInput, updateEntitlementInput };

/** What the form showed for a stored secret before it became write-only; saving it back still keeps the stored value. */
export { SECRET_MASK };


const SYSTEM_APP_MESSAGE = "Access profiles are managed on the Profiles page, not here.";

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "P2002";

/** A connector's settings as the admin form gets them: `config` without secrets, `secretsSet` naming those stored. */
function connectorForAdmin(stored: unknown) {
  const { settings, secretsSet } = connectorSettingsForAdmin(stored);
  return { config: settings, secretsSet };
}

export async function listAppsForAdmin(db: Db, actor: Actor) {
  assertAdmin(actor, "configure apps");
  // Includes the system app of access profiles: the audit and grant filters list it; /admin/apps does not.
  return db.app.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      isSystem: true,
      owner: { select: { name: true, email: true } },
      _count: { select: { entitlements: true, connectors: true } },
    },
  });
}

export async function appForAdmin(db: Db, actor: Actor, slug: string) {
  assertAdmin(actor, "configure apps");
  const app = await db.app.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      isSystem: true,
      provisioningPlan: true,
      deprovisionAction: true,
      requireProvisioningApproval: true,
      revocationThreshold: true,
      accountTemplate: true,
      owner: { select: { id: true, name: true, email: true, lifecycleState: true } },
      requestPolicy: { select: { id: true, name: true } },
      provisioners: { select: { user: { select: { id: true, name: true, email: true } } } },
      connectors: { orderBy: { name: "asc" } },
      entitlements: {
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          kind: true,
          description: true,
          externalName: true,
          requestable: true,
          provisioningPlan: true,
          provisioningNotes: true,
          importedFromId: true,
          riskLevel: true,
          adminAccess: true,
          requestPolicy: { select: { id: true, name: true } },
          owner: { select: { id: true, name: true, email: true, lifecycleState: true } },
        },
      },
    },
  });
  if (!app) throw notFound("That app");
  if (app.isSystem) throw new AppError("BAD_REQUEST", SYSTEM_APP_MESSAGE);
  // Where requests go when neither the entitlement nor the app names a policy.
  const setting = await db.portalSetting.findUnique({ where: { id: 1 }, select: { globalPolicy: { select: { id: true, name: true } } } });
  const adminIds = new Set(await effectiveAdminIds(db));
  return {
    ...app,
    globalPolicy: setting?.globalPolicy ?? null,
    accountTemplate: accountTemplateSchema.parse(app.accountTemplate ?? {}),
    // Secrets never leave the server: the page shows that one is set, and can only replace it.
    connectors: app.connectors.map(({ config, ...c }) => ({ ...c, ...connectorForAdmin(config) })),
    // Admin access as requests and policy changes see it: flagged, or mapped to an admin group.
    entitlements: app.entitlements.map((e) => ({ ...e, adminAccess: adminIds.has(e.id), adminFlagged: e.adminAccess })),
  };
}

/**
 * A new app, with no connectors and an empty plan: until an admin sets them, its requests become
 * manual tasks for its owner (or its provisioners).
 */
export async function createApp(db: Db, actor: Actor, input: z.input<typeof createAppInput>) {
  assertAdmin(actor, "configure apps");
  const data = createAppInput.parse(input);
  if (data.slug === PROFILES_APP_SLUG) throw new AppError("CONFLICT", `The slug “${data.slug}” is kept for access profiles. Choose another.`);
  return db.$transaction(async (tx) => {
    await checkOwner(tx, data.ownerId);
    const clash = await tx.app.findUnique({ where: { slug: data.slug }, select: { name: true } });
    const taken = () => new AppError("CONFLICT", `The slug “${data.slug}” is already used by ${clash?.name ?? "another app"}. Choose another.`);
    if (clash) throw taken();
    const app = await tx.app.create({ data, select: { id: true, slug: true } }).catch((e: unknown) => {
      if (isUniqueViolation(e)) throw taken();
      throw e;
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "app.created",
      objectType: "app",
      objectId: app.id,
      after: data,
    });
    return app;
  });
}

/**
 * A new entitlement of an app, added by hand (imports add the target's groups on their own). One
 * mapped to an admin group waits for a second admin, like any change to who gets admin access.
 */
export async function createEntitlement(db: Db, actor: Actor, input: z.input<typeof createEntitlementInput>) {
  assertAdmin(actor, "configure apps");
  const data = createEntitlementInput.parse(input);
  return db.$transaction(async (tx) => {
    await checkNewEntitlement(tx, data);
    const held = await holdMappingChange(tx, actor, { kind: "entitlement.create", entitlement: data });
    if (held) return { id: null, ...held };
    const { id } = await createEntitlementTx(tx, actor.id, data);
    return { id, changeId: null, status: "APPLIED" as const, message: `Added ${data.name}.` };
  });
}

/**
 * An app's owner, plan, deprovisioning and account template. A new default plan can change which
 * target group the app's entitlements land in: one that puts an entitlement into an admin group (or
 * moves an admin entitlement's group) waits, whole, for a second admin; anything else applies at once.
 */
export async function updateApp(db: Db, actor: Actor, input: z.input<typeof updateAppInput>) {
  assertAdmin(actor, "configure apps");
  const update = updateAppInput.parse(input);
  return db.$transaction(async (tx) => {
    await configurableApp(tx, update.appId);
    if (update.ownerId) await checkOwner(tx, update.ownerId);
    if (update.provisioningPlan) await checkPlanConnectors(tx, update.appId, update.provisioningPlan);
    const held = await holdMappingChange(tx, actor, { kind: "app.update", update, basedOn: await appUpdateBasis(tx, update) });
    if (held) return { appId: update.appId, ...held };
    await updateAppTx(tx, actor.id, update);
    return { appId: update.appId, changeId: null, status: "APPLIED" as const, message: "Saved." };
  });
}

/** An entitlement's plan, group, notes and owner. Moving it onto (or off) an admin group waits for a second admin. */
export async function updateEntitlement(db: Db, actor: Actor, input: z.input<typeof updateEntitlementInput>) {
  assertAdmin(actor, "configure apps");
  const update = updateEntitlementInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = found(await tx.entitlement.findUnique({ where: { id: update.entitlementId }, select: { appId: true } }), "That entitlement");
    await configurableApp(tx, before.appId);
    if (update.provisioningPlan) await checkPlanConnectors(tx, before.appId, update.provisioningPlan);
    const held = await holdMappingChange(tx, actor, { kind: "entitlement.mapping", update });
    if (held) return { entitlementId: update.entitlementId, ...held };
    await updateEntitlementTx(tx, actor.id, update);
    return { entitlementId: update.entitlementId, changeId: null, status: "APPLIED" as const, message: "Saved." };
  });
}

export const saveConnectorInput = z.object({
  appId: z.string().min(1),
  id: z.string().min(1).optional(),
  method: z.enum(["SCIM", "LDAP_GROUP", "WEBHOOK", "JIRA", "SERVICENOW"]),
  name: z.string().trim().min(1, "Name the connector.").max(100),
  config: z.record(z.string(), z.unknown()),
  maxAttempts: z.number().int().min(1, "At least one try.").max(20, "At most 20 tries.").default(5),
  backoffMs: z.number().int().min(100, "At least 100 ms.").max(3_600_000, "At most an hour.").default(2000),
  retryableStatuses: z.array(z.number().int().min(400).max(599)).max(20).default([]),
  importGroups: z.boolean().default(false),
});

export async function saveConnector(db: Db, actor: Actor, input: z.input<typeof saveConnectorInput>) {
  assertAdmin(actor, "configure apps");
  const { id, appId, method, config, ...settings } = saveConnectorInput.parse(input);
  if (!isConnectorMethod(method)) throw new AppError("BAD_REQUEST", "Choose a connector method.");
  return db.$transaction(async (tx) => {
    await configurableApp(tx, appId);
    const existing = id ? await tx.connector.findUnique({ where: { id } }) : null;
    if (id && (!existing || existing.appId !== appId)) throw notFound("That connector");
    // Plans name the connector for its method; a webhook connector turning into SCIM would break them.
    if (existing && existing.method !== method) throw new AppError("BAD_REQUEST", "A connector's method cannot change; add a new connector instead.");
    // An empty secret keeps what is stored; each problem is sent back beside its setting.
    const checked = checkedConnectorEdit(method, existing?.config ?? null, config).config;
    // Stored with its secrets sealed: a fresh data key, wrapped by the key outside the database.
    const sealed = sealConnectorConfig(method, checked as unknown as Record<string, unknown>);
    const data = { ...settings, method, config: sealed };
    // A new address or directory base can put an entitlement's members into an admin group: such a
    // save waits, whole, for a second admin (server/policies/mapping-changes.ts).
    if (existing) {
      const update = { connectorId: existing.id, appId, basedOn: connectorBasis(existing), data };
      const held = await holdMappingChange(tx, actor, { kind: "connector.update", update });
      if (held) return { id: existing.id, ...held };
    }
    const saved = existing
      ? await tx.connector.update({ where: { id: existing.id }, data })
      : await tx.connector.create({ data: { ...data, appId } }).catch((e: unknown) => {
          if ((e as { code?: string }).code === "P2002") throw new AppError("CONFLICT", "This app already has a connector with that name.");
          throw e;
        });
    await recordAudit(tx, {
      actorId: actor.id,
      action: existing ? "connector.updated" : "connector.created",
      objectType: "connector",
      objectId: saved.id,
      after: { method, name: settings.name, config: maskConnectorConfig(checked) as Prisma.InputJsonValue },
    });
    // New settings can read a different target: compare it again, committed with the change.
    if (existing) await reconcileAfterSettingsChange(tx, saved, actor.id);
    return { id: saved.id, changeId: null, status: "APPLIED" as const, message: "Saved." };
  });
}

export const setProvisionersInput = z.object({ appId: z.string().min(1), userIds: z.array(z.string().min(1)).max(50) });

export async function setProvisioners(db: Db, actor: Actor, input: z.input<typeof setProvisionersInput>) {
  assertAdmin(actor, "configure apps");
  const { appId, userIds } = setProvisionersInput.parse(input);
  return db.$transaction(async (tx) => {
    await configurableApp(tx, appId);
    const app = await tx.app.findUniqueOrThrow({ where: { id: appId }, select: { provisioners: { select: { userId: true } } } });
    const found = await tx.user.count({ where: { id: { in: userIds } } });
    if (found !== new Set(userIds).size) throw new AppError("BAD_REQUEST", "Some of those people do not exist.");
    await tx.appProvisioner.deleteMany({ where: { appId } });
    await tx.appProvisioner.createMany({ data: [...new Set(userIds)].map((userId) => ({ appId, userId })) });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "app.provisioners_set",
      objectType: "app",
      objectId: appId,
      before: app.provisioners.map((p) => p.userId),
      after: userIds,
    });
    return { appId, provisioners: userIds.length };
  });
}

