import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/targets/webhook-receiver";
import { deliverWebhook, generateWebhookSecret, signingSecrets, webhookConfigSchema, type WebhookConfig } from "./webhook";
import { failure } from "@/test/connector-failure";

const grant = { id: "msg_task_1", type: "access.grant", data: { email: "ada@example.com", entitlement: "github:admins" } };

let receiver: WebhookReceiver;
let config: WebhookConfig;
beforeEach(async () => {
  const secret = generateWebhookSecret();
  receiver = await startWebhookReceiver({ secret });
  config = { url: receiver.url, secret, timeoutMs: 1_000 };
});
afterEach(() => receiver.stop());


describe("deliverWebhook", () => {
  it("delivers a signed message the receiver verifies", async () => {
    expect(await deliverWebhook(config, grant)).toEqual({ outcome: "done", status: 200 });
    expect(receiver.deliveries).toEqual([{ id: "msg_task_1", type: "access.grant", data: grant.data, verified: true }]);
    expect(receiver.rejected).toBe(0);
  });

  it("fails for good when the receiver holds a different secret", async () => {
    const error = await failure(deliverWebhook({ ...config, secret: generateWebhookSecret() }, grant));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/^Webhook endpoint answered 401 Unauthorized on POST \/webhooks: Invalid webhook signature/);
    expect(receiver.rejected).toBe(1);
    expect(receiver.deliveries).toEqual([]);
  });

  it("reports 503 as retryable, and the retry gets through", async () => {
    receiver.respondWith({ status: 503 });
    const error = await failure(deliverWebhook(config, grant));
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect(error.message).toContain("answered 503 Service Unavailable on POST /webhooks");
    expect(await deliverWebhook(config, grant)).toEqual({ outcome: "done", status: 200 });
    expect(receiver.deliveries).toHaveLength(1);
  });

  it("passes on how long a rate-limited receiver asks us to wait", async () => {
    receiver.respondWith({ status: 429, retryAfterSeconds: 7 });
    expect(await failure(deliverWebhook(config, grant))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7_000 });
  });

  it("does not retry a 400, unless configured to", async () => {
    receiver.respondWith({ status: 400, times: 2 });
    expect(await failure(deliverWebhook(config, grant))).toMatchObject({ retryable: false, status: 400 });
    expect(await failure(deliverWebhook({ ...config, retryableStatuses: [400] }, grant))).toMatchObject({ retryable: true, status: 400 });
  });

  it("counts a delivery delivered twice once", async () => {
    await deliverWebhook(config, grant);
    expect(await deliverWebhook(config, { ...grant, data: { changed: true } })).toEqual({ outcome: "done", status: 200 });
    expect(receiver.deliveries.map((delivery) => delivery.data)).toEqual([grant.data]);
  });

  it("reports a receiver that is down as retryable", async () => {
    receiver.setDown(true);
    const error = await failure(deliverWebhook(config, grant));
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/^Webhook endpoint .* on POST \/webhooks/);
  });

  it("treats 202 as accepted, with the outcome called back later", async () => {
    const callbacks: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const portal = await listen(
      createServer((req, res) => {
        let body = "";
        req.on("data", (chunk: Buffer) => (body += chunk.toString()));
        req.on("end", () => {
          callbacks.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      }),
    );
    try {
      receiver.acceptLater();
      const message = { ...grant, data: { ...grant.data, callbackUrl: `${portal.url}/api/provisioning/callback/task_1` } };
      expect(await deliverWebhook(config, message)).toEqual({ outcome: "accepted", status: 202 });
      expect(callbacks).toEqual([]);

      expect(await receiver.callBack("msg_task_1", { status: "succeeded", message: "Added to admins" })).toBe(204);
      expect(callbacks).toHaveLength(1);
      const [callback] = callbacks;
      const signed = new Webhook(config.secret).verify(callback!.body, callback!.headers as Record<string, string>);
      expect(signed).toEqual({ status: "succeeded", message: "Added to admins" });
    } finally {
      await portal.stop();
    }
  });
});

describe("secret rotation (Standard Webhooks: several space-delimited v1 signatures)", () => {
  it("signs with the old and the new secret during the window, then with the new one only", async () => {
    const oldSecret = config.secret;
    const newSecret = generateWebhookSecret();
    const upgraded = await startWebhookReceiver({ secret: newSecret });
    const until = new Date(Date.now() + 24 * 3_600_000);
    const rotated: WebhookConfig = { ...config, secret: newSecret, previousSecret: oldSecret, previousSecretExpiresAt: until.toISOString() };
    try {
      // `receiver` still holds only the old secret; `upgraded` only the new one. Both verify with the official package.
      expect(await deliverWebhook(rotated, { ...grant, id: "msg_during_1" })).toEqual({ outcome: "done", status: 200 });
      expect(await deliverWebhook({ ...rotated, url: upgraded.url }, { ...grant, id: "msg_during_2" })).toEqual({ outcome: "done", status: 200 });
      expect([receiver.rejected, upgraded.rejected]).toEqual([0, 0]);

      // A day and a minute later (receivers check the timestamp against the same clock).
      vi.useFakeTimers({ toFake: ["Date"], now: until.getTime() + 60_000 });
      const error = await failure(deliverWebhook(rotated, { ...grant, id: "msg_after_1" }));
      expect(error).toMatchObject({ status: 401, retryable: false });
      expect(await deliverWebhook({ ...rotated, url: upgraded.url }, { ...grant, id: "msg_after_2" })).toEqual({ outcome: "done", status: 200 });
    } finally {
      vi.useRealTimers();
      await upgraded.stop();
    }
  });

  it("sends one v1 signature per signing secret in webhook-signature", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const portal = await listen(
      createServer((req, res) => {
        seen.push(req.headers);
        req.resume();
        res.writeHead(200).end();
      }),
    );
    try {
      const previousSecret = generateWebhookSecret();
      const rotated: WebhookConfig = { ...config, url: `${portal.url}/hook`, previousSecret, previousSecretExpiresAt: new Date(Date.now() + 60_000).toISOString() };
      await deliverWebhook(rotated, grant);
      const signatures = String(seen[0]?.["webhook-signature"]).split(" ");
      expect(signatures).toHaveLength(2);
      expect(signatures.every((signature) => /^v1,[A-Za-z0-9+/]+=*$/.test(signature))).toBe(true);
      expect(signingSecrets(rotated, new Date(Date.now() + 120_000))).toEqual([config.secret]);
    } finally {
      await portal.stop();
    }
  });
});

describe("webhookConfigSchema", () => {
  it("accepts a generated secret and explains a malformed one", () => {
    expect(webhookConfigSchema.safeParse({ url: "https://hooks.example.com/access", secret: generateWebhookSecret() }).success).toBe(true);
    const result = webhookConfigSchema.safeParse({ url: "ftp://example.com", secret: "hunter2" });
    expect(result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      "url: must be an http:// or https:// URL",
      "secret: must look like whsec_ followed by base64",
    ]);
  });

  it("wants the previous secret and the end of its window together", () => {
    const url = "https://hooks.example.com/access";
    const result = webhookConfigSchema.safeParse({ url, secret: generateWebhookSecret(), previousSecret: generateWebhookSecret() });
    expect(result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      "previousSecretExpiresAt: previousSecret and previousSecretExpiresAt go together (rotate the secret to set them)",
    ]);
    const until = "2026-12-05T09:00:00Z";
    expect(webhookConfigSchema.safeParse({ url, secret: generateWebhookSecret(), previousSecret: generateWebhookSecret(), previousSecretExpiresAt: until }).success).toBe(true);
  });
});

async function listen(server: Server): Promise<{ url: string; stop: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
