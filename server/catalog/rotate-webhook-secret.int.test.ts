import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createCaller } from "@/server/api/root";
import { maskConnectorConfig, parseConnectorConfig, SECRET_MASK } from "@/server/connectors/config";
import { deliverWebhook, generateWebhookSecret, type WebhookConfig } from "@/server/connectors/webhook";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/targets/webhook-receiver";
import { failure } from "@/test/connector-failure";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// An admin rotates a webhook connector's secret. For the overlap both secrets sign each delivery, so a
// receiver verifying (with the official standardwebhooks package) with only the old secret and one with
// only the new secret both accept it; afterwards only the new one does.

let demo: DemoDatabase;
let admin: ReturnType<typeof createCaller>;
let oldSecret: string;
let oldReceiver: WebhookReceiver;
let newReceiver: WebhookReceiver | undefined;
let appId: string;

beforeAll(async () => {
  demo = await demoDatabase();
  admin = createCaller({ db: demo.db, actor: await demo.actor("admin") });
  appId = (await demo.db.app.findUniqueOrThrow({ where: { slug: "figma" } })).id;
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all([oldReceiver?.stop(), newReceiver?.stop()]);
  newReceiver = undefined;
});
afterAll(async () => demo?.close());

let connectors = 0;
async function webhookConnector(): Promise<string> {
  oldSecret = generateWebhookSecret();
  oldReceiver = await startWebhookReceiver({ secret: oldSecret });
  const saved = await admin.admin.saveConnector({ appId, method: "WEBHOOK", name: `Hook ${++connectors}`, config: { url: oldReceiver.url, secret: oldSecret } });
  return saved.id;
}

/** The connector's settings as a plan step reads them. */
async function stored(connectorId: string): Promise<WebhookConfig> {
  const row = await demo.db.connector.findUniqueOrThrow({ where: { id: connectorId } });
  const parsed = parseConnectorConfig("WEBHOOK", row.config);
  if (!parsed.success || parsed.data.method !== "WEBHOOK") throw new Error(`unreadable config: ${JSON.stringify(parsed)}`);
  return parsed.data.config;
}

let messages = 0;
const send = (config: WebhookConfig, url: string) => deliverWebhook({ ...config, url }, { id: `msg_${++messages}`, type: "access.grant", data: { email: "erin@example.com" } });

describe("rotating a webhook secret", () => {
  it("signs with both secrets for the overlap, then with the new one only", async () => {
    const connectorId = await webhookConnector();
    const before = Date.now();
    const rotated = await admin.admin.rotateWebhookSecret({ connectorId, overlapHours: 24 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.previousSecretSignsUntil!.getTime()).toBeGreaterThanOrEqual(before + 24 * 3_600_000);
    newReceiver = await startWebhookReceiver({ secret: rotated.secret });

    const config = await stored(connectorId);
    expect(await send(config, oldReceiver.url)).toMatchObject({ status: 200 });
    expect(await send(config, newReceiver.url)).toMatchObject({ status: 200 });
    expect(oldReceiver.deliveries).toHaveLength(1);
    expect(newReceiver.deliveries).toHaveLength(1);

    vi.useFakeTimers({ toFake: ["Date"], now: rotated.previousSecretSignsUntil!.getTime() + 1_000 });
    expect(await failure(send(config, oldReceiver.url))).toMatchObject({ status: 401, retryable: false });
    expect(await send(config, newReceiver.url)).toMatchObject({ status: 200 });

    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: connectorId, action: "connector.secret_rotated" } });
    expect(audit.after).toEqual({ previousSecretSignsUntil: rotated.previousSecretSignsUntil!.toISOString() });
    expect(JSON.stringify([audit.before, audit.after, audit.reason])).not.toContain(rotated.secret);
  });

  it("keeps both secrets sealed and masked, and an admin saving the form keeps the window", async () => {
    const connectorId = await webhookConnector();
    const rotated = await admin.admin.rotateWebhookSecret({ connectorId, overlapHours: 2 });
    const row = await demo.db.connector.findUniqueOrThrow({ where: { id: connectorId } });
    expect(JSON.stringify(row.config)).not.toContain(oldSecret);
    expect(JSON.stringify(row.config)).not.toContain(rotated.secret);
    const shown = maskConnectorConfig(row.config);
    expect(shown).toMatchObject({ secret: SECRET_MASK, previousSecret: SECRET_MASK, previousSecretExpiresAt: rotated.previousSecretSignsUntil!.toISOString() });

    // The edit form sends the masked settings back with another timeout.
    await admin.admin.saveConnector({ appId, id: connectorId, method: "WEBHOOK", name: `Hook ${connectors}`, config: { ...shown, timeoutMs: 5_000 } });
    const config = await stored(connectorId);
    expect(config).toMatchObject({ secret: rotated.secret, previousSecret: oldSecret, timeoutMs: 5_000 });
    expect(await send(config, oldReceiver.url)).toMatchObject({ status: 200 });
  });

  it("with no overlap, the old secret stops signing at once; a chosen secret is used as given", async () => {
    const connectorId = await webhookConnector();
    const chosen = generateWebhookSecret();
    const rotated = await admin.admin.rotateWebhookSecret({ connectorId, overlapHours: 0, secret: chosen });
    expect(rotated).toMatchObject({ secret: chosen, previousSecretSignsUntil: null });
    newReceiver = await startWebhookReceiver({ secret: chosen });
    const config = await stored(connectorId);
    expect(await failure(send(config, oldReceiver.url))).toMatchObject({ status: 401 });
    expect(await send(config, newReceiver.url)).toMatchObject({ status: 200 });
  });

  it("rotating again within the window keeps two secrets: the one just replaced and the new one", async () => {
    const connectorId = await webhookConnector();
    const first = await admin.admin.rotateWebhookSecret({ connectorId });
    const second = await admin.admin.rotateWebhookSecret({ connectorId });
    expect(await stored(connectorId)).toMatchObject({ secret: second.secret, previousSecret: first.secret });
    expect(await failure(send(await stored(connectorId), oldReceiver.url))).toMatchObject({ status: 401 });
  });

  it("explains what it cannot do", async () => {
    const connectorId = await webhookConnector();
    const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" }, include: { connectors: true } });
    await expect(admin.admin.rotateWebhookSecret({ connectorId: github.connectors[0]!.id })).rejects.toThrow("Only a webhook connector has a signing secret to rotate.");
    type Invalid = { message: string; cause?: { issues?: Array<{ message: string }> } };
    const tooLong = await admin.admin.rotateWebhookSecret({ connectorId, overlapHours: 1_000 }).then(() => null, (e: unknown) => e as Invalid);
    expect(tooLong?.message).toBe("Some fields need fixing.");
    expect(tooLong?.cause?.issues?.map((i) => i.message)).toEqual([
      "At most 720 hours (30 days): a receiver should switch well within that.",
    ]);
    await expect(admin.admin.rotateWebhookSecret({ connectorId, secret: oldSecret })).rejects.toThrow("The new secret must differ from the current one.");
    await expect(admin.admin.rotateWebhookSecret({ connectorId: "nope" })).rejects.toThrow(/connector/i);
  });
});
