import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import { isConnectorMethod, parseConnectorConfig } from "@/server/connectors/config";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, notFound } from "@/server/errors";
import { accountTemplateSchema } from "@/server/provisioning/account-template";
import { planSchema } from "@/server/provisioning/plan";

// Admins configure how each app is provisioned: connectors, the default plan and per-entitlement plans
// (including which directory group an entitlement is), deprovisioning, the account template, provisioners.

const SECRET_KEYS = ["token", "password", "apiToken", "bindPassword", "secret"];
const URL_KEYS = ["url", "baseUrl", "instanceUrl"];
/** Shown instead of a stored secret; saving it back keeps the stored value. */
export const SECRET_MASK = "••••••••";

function requireAdmin(actor: Actor) {
  if (!actor.isAdmin) throw forbidden("Only admins can configure apps.");
}

function maskSecrets(config: unknown): Record<string, unknown> {
  const object = (config && typeof config === "object" ? config : {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, SECRET_KEYS.includes(k) && v ? SECRET_MASK : v]));
}

export async function listAppsForAdmin(db: Db, actor: Actor) {
  requireAdmin(actor);
  return db.app.findMany({
    orderBy: { name: "asc" },
    select: { id: true, slug: true, name: true, owner: { select: { name: true } }, _count: { select: { entitlements: true, connectors: true } } },
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
      provisioningPlan: true,
      deprovisionAction: true,
      requireProvisioningApproval: true,
      accountTemplate: true,
      owner: { select: { id: true, name: true, email: true } },
      provisioners: { select: { user: { select: { id: true, name: true, email: true } } } },
      connectors: { orderBy: { name: "asc" } },
      entitlements: {
        orderBy: { name: "asc" },
        select: { id: true, name: true, externalName: true, requestable: true, provisioningPlan: true, provisioningNotes: true, importedFromId: true },
      },
    },
  });
  if (!app) throw notFound("That app");
  return {
    ...app,
    accountTemplate: accountTemplateSchema.parse(app.accountTemplate ?? {}),
    connectors: app.connectors.map((c) => ({ ...c, config: maskSecrets(c.config) })),
  };
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
  deprovisionAction: z.enum(["SUSPEND", "DELETE"]).optional(),
  requireProvisioningApproval: z.boolean().optional(),
  accountTemplate: accountTemplateSchema.optional(),
  provisioningPlan: planSchema.optional(),
});

export async function updateApp(db: Db, actor: Actor, input: z.input<typeof updateAppInput>) {
  requireAdmin(actor);
  const { appId, ...changes } = updateAppInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await tx.app.findUnique({ where: { id: appId } });
    if (!before) throw notFound("That app");
    if (changes.provisioningPlan) await checkPlanConnectors(tx, appId, changes.provisioningPlan);
    const data = changes as Prisma.AppUpdateInput;
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
    const app = await tx.app.findUnique({ where: { id: appId }, select: { provisioners: { select: { userId: true } } } });
    if (!app) throw notFound("That app");
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
    select: { id: true, name: true, email: true, title: true },
  });
}
