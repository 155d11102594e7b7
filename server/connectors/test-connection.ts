import "server-only";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import { configurableApp } from "@/server/catalog/entitlement-writes";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { checkedConnectorEdit, settingsProblems } from "./admin-edit";
import { parseConnectorConfig, type ConnectorConfig } from "./config";
import { ConnectorError } from "./errors";
import { probeCall } from "./probe";
import { describeTest, type ConnectionTest } from "./test-outcome";

// "Test connection": the probe's one cheap call that writes nothing (probe.ts), with the saved settings or
// those in the form before saving, told as a plain sentence. Unlike a probe, which only asks "is it up?",
// a refused credential here is a failure: the admin wants to know the settings work. Unsaved settings pass
// the same checks as a save (URL schemes, a kept secret never sent to a new address), so a test can reach
// no host that saving could not.

export const testConnectorInput = z.object({
  appId: z.string().min(1),
  /** The saved connector: its settings, or the base the form's settings are merged into. */
  connectorId: z.string().min(1).optional(),
  method: z.enum(["SCIM", "LDAP_GROUP", "WEBHOOK", "JIRA", "SERVICENOW"]),
  /** The settings in the form, not saved yet; an empty secret means the saved one. */
  config: z.record(z.string(), z.unknown()).optional(),
});

const DEFAULT_TIMEOUT_MS = 10_000;

async function settingsToTest(db: Db, input: z.output<typeof testConnectorInput>): Promise<{ target: ConnectorConfig; name: string | null }> {
  await configurableApp(db, input.appId);
  const saved = input.connectorId ? await db.connector.findUnique({ where: { id: input.connectorId }, select: { appId: true, method: true, name: true, config: true } }) : null;
  if (input.connectorId && (!saved || saved.appId !== input.appId)) throw notFound("That connector");
  if (saved && saved.method !== input.method) throw new AppError("BAD_REQUEST", "A connector's method cannot change; add a new connector instead.");
  if (!saved && !input.config) throw new AppError("BAD_REQUEST", "Fill in the settings to test.");
  const name = saved?.name ?? null;
  if (input.config) return { target: checkedConnectorEdit(input.method, saved?.config ?? null, input.config), name };
  const stored = parseConnectorConfig(input.method, saved!.config);
  if (!stored.success) throw settingsProblems(stored.issues);
  return { target: stored.data, name };
}

/** Tests a connector's settings with one read-only call, and records that an admin did (never the settings). */
export async function testConnector(db: Db, actor: Actor, input: z.input<typeof testConnectorInput>): Promise<ConnectionTest> {
  assertAdmin(actor, "configure apps");
  const parsed = testConnectorInput.parse(input);
  const { target, name } = await settingsToTest(db, parsed);
  const timeoutMs = target.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  let error: ConnectorError | null = null;
  try {
    await probeCall(target);
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    error = e;
  }
  const result = describeTest(parsed.method, error, Math.round(performance.now() - started), timeoutMs);
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actorId: actor.id,
      action: "connector.tested",
      objectType: parsed.connectorId ? "connector" : "app",
      objectId: parsed.connectorId ?? parsed.appId,
      after: { method: parsed.method, name, unsavedSettings: Boolean(parsed.config), connected: result.connected, message: result.message },
    }),
  );
  return result;
}
