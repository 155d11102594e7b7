import { z } from "zod";
import type { Db } from "@/server/db";
import { ConnectorError } from "@/server/connectors/errors";
import * as scim from "@/server/connectors/scim";
import { notFound } from "@/server/errors";

const scimConfig = z.object({ baseUrl: z.string().url(), token: z.string(), timeoutMs: z.number().optional() });

type Target = {
  app: { name: string; provisioningMethod: "SCIM"; connectorConfig: unknown };
  entitlement: { externalName: string };
  user: { email: string; name: string | null; title: string | null; department: { name: string } | null };
};

/** Create the account if missing and add the membership, through the app's connector. */
async function provisionAccess(t: Target): Promise<string> {
  const config = scimConfig.safeParse(t.app.connectorConfig);
  if (!config.success) {
    throw new ConnectorError({ retryable: false, message: `${t.app.name} has no valid SCIM connection configured.` });
  }
  const [givenName, ...rest] = (t.user.name ?? "").split(" ");
  const account = await scim.ensureUser(config.data, {
    email: t.user.email,
    displayName: t.user.name ?? t.user.email,
    givenName: givenName || undefined,
    familyName: rest.join(" ") || undefined,
    department: t.user.department?.name,
    title: t.user.title ?? undefined,
  });
  const group = await scim.ensureGroup(config.data, t.entitlement.externalName);
  const membership = await scim.addMember(config.data, group.id, account.id);
  return [
    account.created ? "account created" : "account existed",
    membership.added ? `added to ${t.entitlement.externalName}` : `already in ${t.entitlement.externalName}`,
  ].join(", ");
}

/**
 * One provisioning attempt, recorded whatever happens, so the request page shows every try and its
 * error. Throws the connector's error (retryable or not) for the caller to retry or give up on.
 */
export async function provisionOnTarget(db: Db, grantId: string, attempt: number): Promise<{ summary: string }> {
  const grant = await db.grant.findUnique({
    where: { id: grantId },
    select: {
      user: { select: { email: true, name: true, title: true, department: { select: { name: true } } } },
      entitlement: { select: { externalName: true, app: { select: { name: true, provisioningMethod: true, connectorConfig: true } } } },
    },
  });
  if (!grant) throw notFound("That grant");
  // An earlier attempt still "running" was cut off (its worker died): say so instead of leaving it open.
  await db.provisioningAttempt.updateMany({
    where: { grantId, number: { lt: attempt }, outcome: "RUNNING" },
    data: { outcome: "FAILED", error: "interrupted before it finished", finishedAt: new Date() },
  });
  await db.provisioningAttempt.upsert({
    where: { grantId_number: { grantId, number: attempt } },
    create: { grantId, number: attempt },
    update: { outcome: "RUNNING", error: null, startedAt: new Date(), finishedAt: null },
  });
  try {
    const summary = await provisionAccess({ app: grant.entitlement.app, entitlement: grant.entitlement, user: grant.user });
    await db.provisioningAttempt.update({
      where: { grantId_number: { grantId, number: attempt } },
      data: { outcome: "SUCCEEDED", finishedAt: new Date() },
    });
    return { summary };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.provisioningAttempt.update({
      where: { grantId_number: { grantId, number: attempt } },
      data: { outcome: "FAILED", error: message, finishedAt: new Date() },
    });
    throw error;
  }
}
