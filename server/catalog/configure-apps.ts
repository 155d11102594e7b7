import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import { isConnectorMethod, parseConnectorConfig } from "@/server/connectors/config";
import type { Db, Tx } from "@/server/db";
import { createAppInput, createEntitlementInput } from "@/server/catalog/app-inputs";
import { PROFILES_APP_SLUG } from "@/server/enrollment/profiles";
import { AppError, forbidden, notFound } from "@/server/errors";
import { accountTemplateSchema } from "@/server/provisioning/account-template";
import { planSchema } from "@/server/provisioning/plan";

// Admins add apps and their entitlements, and configure how each app is provisioned: its owner,
// connectors, the default plan and per-entitlement plans (including which directory group an
// entitlement is), deprovisioning, the account template, provisioners. The system app "Access
// profiles" is not configured here: its entitlements belong to profiles (server/enrollment/profiles.ts).

export { createAppInput, createEntitlementInput };

const SECRET_KEYS = ["token", "password", "apiToken", "bindPassword", "secret"];
const URL_KEYS = ["url", "baseUrl", "instanceUrl"];
/** Shown instead of a stored secret; saving it back keeps the stored value. */
export const SECRET_MASK = "••••••••";

function requireAdmin(actor: Actor) {
  if (!actor.isAdmin) throw forbidden("Only admins can configure apps.");
}

const SYSTEM_APP_MESSAGE = "Access profiles are managed on the Profiles page, not here.";

/** The app, refused when it is the system app of access profiles. */
async function configurableApp(tx: Tx, appId: string) {
  const app = await tx.app.findUnique({ where: { id: appId } });
  if (!app) throw notFound("That app");
  if (app.isSystem) throw new AppError("BAD_REQUEST", SYSTEM_APP_MESSAGE);
  return app;
}

/** An app's owner must be someone who is still here. */
async function checkOwner(tx: Tx, ownerId: string) {
  const owner = await tx.user.findUnique({ where: { id: ownerId }, select: { name: true, email: true, lifecycleState: true } });
  if (!owner) throw new AppError("BAD_REQUEST", "That person was not found. Search for the owner again.");
  if (owner.lifecycleState === "TERMINATED") throw new AppError("BAD_REQUEST", `${owner.name ?? owner.email} has left the organisation: choose someone else as the owner.`);
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "P2002";

function maskSecrets(config: unknown): Record<string, unknown> {
  const object = (config && typeof config === "object" ? config : {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, SECRET_KEYS.includes(k) && v ? SECRET_MASK : v]));
}

export async function listAppsForAdmin(db: Db, actor: Actor) {
  requireAdmin(actor);
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
  requireAdmin(actor);
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
        },
      },
    },
  });
  if (!app) throw notFound("That app");
  if (app.isSystem) throw new AppError("BAD_REQUEST", SYSTEM_APP_MESSAGE);
  // Where requests go when neither the entitlement nor the app names a policy.
  const setting = await db.portalSetting.findUnique({ where: { id: 1 }, select: { globalPolicy: { select: { id: true, name: true } } } });
  return {
    ...app,
    globalPolicy: setting?.globalPolicy ?? null,
    accountTemplate: accountTemplateSchema.parse(app.accountTemplate ?? {}),
    connectors: app.connectors.map((c) => ({ ...c, config: maskSecrets(c.config) })),
  };
}

/**
 * A new app, with no connectors and an empty plan: until an admin sets them, its requests become
 * manual tasks for its owner (or its provisioners).
 */
export async function createApp(db: Db, actor: Actor, input: z.input<typeof createAppInput>) {
  requireAdmin(actor);
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

/** A new entitlement of an app, added by hand (imports add the target's groups on their own). */
export async function createEntitlement(db: Db, actor: Actor, input: z.input<typeof createEntitlementInput>) {
  requireAdmin(actor);
  const { appId, ...data } = createEntitlementInput.parse(input);
  return db.$transaction(async (tx) => {
    const app = await configurableApp(tx, appId);
    const taken = () => new AppError("CONFLICT", `${app.name} already has an entitlement named “${data.name}”. Choose another name.`);
    const clash = await tx.entitlement.findFirst({ where: { appId, name: { equals: data.name, mode: "insensitive" } }, select: { id: true } });
    if (clash) throw taken();
    const entitlement = await tx.entitlement.create({ data: { ...data, appId }, select: { id: true } }).catch((e: unknown) => {
      if (isUniqueViolation(e)) throw taken();
      throw e;
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "entitlement.created",
      objectType: "entitlement",
      objectId: entitlement.id,
      after: { appId, ...data },
    });
    return { id: entitlement.id };
  });
}

async function checkPlanConnectors(tx: Tx, appId: string, plan: z.output<typeof planSchema>) {
  for (const [i, step] of plan.entries()) {
    if (!("connectorId" in step)) continue;
    const connector = await tx.connector.findUnique({ where: { id: step.connectorId }, select: { appId: true, method: true } });
    if (!connector || connector.appId !== appId) throw new AppError("BAD_REQUEST", `Step ${i + 1}: that connector does not belong to this app.`);
    if (connector.method !== step.method) throw new AppError("BAD_REQUEST", `Step ${i + 1}: the connector is a ${connector.method} connector, not ${step.method}.`);
  }
}

export const updateAppInput = z.object({
  appId: z.string().min(1),
  /** Who owns the app: approves when a policy asks for the owner, and works its manual tasks when it has no provisioners. */
  ownerId: z.string().min(1, "Choose the app's owner.").optional(),
  deprovisionAction: z.enum(["SUSPEND", "DELETE"]).optional(),
  requireProvisioningApproval: z.boolean().optional(),
  accountTemplate: accountTemplateSchema.optional(),
  provisioningPlan: planSchema.optional(),
});

export async function updateApp(db: Db, actor: Actor, input: z.input<typeof updateAppInput>) {
  requireAdmin(actor);
  const { appId, ...changes } = updateAppInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await configurableApp(tx, appId);
    if (changes.ownerId) await checkOwner(tx, changes.ownerId);
    if (changes.provisioningPlan) await checkPlanConnectors(tx, appId, changes.provisioningPlan);
    const data = changes as Prisma.AppUncheckedUpdateInput;
    await tx.app.update({ where: { id: appId }, data });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "app.configured",
      objectType: "app",
      objectId: appId,
      before: Object.fromEntries(Object.keys(changes).map((k) => [k, (before as Record<string, unknown>)[k] as Prisma.InputJsonValue])),
      after: changes as Prisma.InputJsonValue,
    });
    return { appId };
  });
}

export const updateEntitlementInput = z.object({
  entitlementId: z.string().min(1),
  /** null: follow the app's plan. */
  provisioningPlan: planSchema.nullable().optional(),
  /** The group on the target: a SCIM group name, or a directory group's cn or DN. */
  externalName: z.string().trim().min(1, "Enter the group on the target.").max(500).optional(),
  requestable: z.boolean().optional(),
  provisioningNotes: z.string().trim().max(5000).optional(),
});

export async function updateEntitlement(db: Db, actor: Actor, input: z.input<typeof updateEntitlementInput>) {
  requireAdmin(actor);
  const { entitlementId, ...changes } = updateEntitlementInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await tx.entitlement.findUnique({ where: { id: entitlementId } });
    if (!before) throw notFound("That entitlement");
    await configurableApp(tx, before.appId);
    if (changes.provisioningPlan) await checkPlanConnectors(tx, before.appId, changes.provisioningPlan);
    const { provisioningPlan, ...rest } = changes;
    await tx.entitlement.update({
      where: { id: entitlementId },
      data: { ...rest, ...(provisioningPlan === undefined ? {} : { provisioningPlan: provisioningPlan === null ? Prisma.DbNull : provisioningPlan }) },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "entitlement.configured",
      objectType: "entitlement",
      objectId: entitlementId,
      before: Object.fromEntries(Object.keys(changes).map((k) => [k, ((before as Record<string, unknown>)[k] ?? null) as Prisma.InputJsonValue])),
      after: changes as Prisma.InputJsonValue,
    });
    return { entitlementId };
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
  requireAdmin(actor);
  const { id, appId, method, config, ...settings } = saveConnectorInput.parse(input);
  if (!isConnectorMethod(method)) throw new AppError("BAD_REQUEST", "Choose a connector method.");
  return db.$transaction(async (tx) => {
    await configurableApp(tx, appId);
    const existing = id ? await tx.connector.findUnique({ where: { id } }) : null;
    if (id && (!existing || existing.appId !== appId)) throw notFound("That connector");
    // Plans name the connector for its method; a webhook connector turning into SCIM would break them.
    if (existing && existing.method !== method) throw new AppError("BAD_REQUEST", "A connector's method cannot change; add a new connector instead.");
    // A masked secret means "keep what is stored".
    const stored = (existing?.config ?? {}) as Record<string, unknown>;
    const merged = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v === SECRET_MASK ? stored[k] : v]));
    // A kept secret must not follow the connector to a new address: whoever runs that host would receive it.
    const keepsSecret = Object.values(config).includes(SECRET_MASK);
    const moved = URL_KEYS.some((k) => k in stored && merged[k] !== stored[k]);
    if (keepsSecret && moved) throw new AppError("BAD_REQUEST", "The address changed: enter the secret again.");
    const parsed = parseConnectorConfig(method, merged);
    if (!parsed.success) throw new AppError("BAD_REQUEST", parsed.problems.join("; "));
    const data = { ...settings, method, config: parsed.data.config as unknown as Prisma.InputJsonValue };
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
      after: { method, name: settings.name, config: maskSecrets(parsed.data.config) as Prisma.InputJsonValue },
    });
    return { id: saved.id };
  });
}

export const setProvisionersInput = z.object({ appId: z.string().min(1), userIds: z.array(z.string().min(1)).max(50) });

export async function setProvisioners(db: Db, actor: Actor, input: z.input<typeof setProvisionersInput>) {
  requireAdmin(actor);
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

export const findPeopleInput = z.object({ q: z.string().trim().max(200).default("") });

/** People an admin can pick (as provisioners, say), matched by name or email. */
export async function findPeople(db: Db, actor: Actor, input: z.input<typeof findPeopleInput>) {
  requireAdmin(actor);
  const { q } = findPeopleInput.parse(input);
  return db.user.findMany({
    where: q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }] } : {},
    orderBy: { name: "asc" },
    take: 20,
    select: { id: true, name: true, email: true, title: true, lifecycleState: true },
  });
}
