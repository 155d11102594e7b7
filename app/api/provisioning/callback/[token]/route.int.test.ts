import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { callbackToken as CallbackToken } from "@/server/provisioning/callback-token";
import { createDb, type Db } from "@/server/db";
import type { POST as RoutePost } from "./route";
import { createTestDatabase } from "@/test/db";

// The completion URL over its real route handler: the token is checked before the body is read, the
// body is capped, and the first signed call ends the wait whatever its body says.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let entitlementId: string;
let POST: typeof RoutePost;
let callbackToken: typeof CallbackToken;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
  db = createDb(database.url, 4);
  const owner = await db.user.create({ data: { email: "owner@example.com", name: "App Owner" } });
  const app = await db.app.create({ data: { slug: "aws", name: "AWS", ownerId: owner.id } });
  entitlementId = (await db.entitlement.create({ data: { appId: app.id, name: "Billing Viewer", externalName: "billing-viewer" } })).id;
  ({ POST } = await import("./route"));
  ({ callbackToken } = await import("@/server/provisioning/callback-token"));
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

/** A grant whose plan step 0 waits for the receiver's callback, as after a 202. */
async function waitingStep(person: string) {
  const user = await db.user.create({ data: { email: `${person}@example.com`, name: person } });
  const grant = await db.grant.create({ data: { userId: user.id, entitlementId, status: "PROVISIONING" } });
  await db.provisioningAttempt.create({ data: { grantId: grant.id, operation: "PROVISION", stepIndex: 0, method: "WEBHOOK", number: 1 } });
  return { grantId: grant.id, token: callbackToken({ grantId: grant.id, operation: "PROVISION", stepIndex: 0 }) };
}

const call = (token: string, body: BodyInit, headers: Record<string, string> = {}) =>
  POST(new Request(`http://portal/api/provisioning/callback/${token}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers }, duplex: "half" } as RequestInit), {
    params: Promise.resolve({ token }),
  });

/** A body that counts how much of it was read. */
function countingBody(bytes: number) {
  let read = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (read >= bytes) return controller.close();
      read += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, read: () => read };
}

describe("the webhook completion URL", () => {
  it("refuses a forged token without reading the body", async () => {
    const { token } = await waitingStep("hugo");
    const body = countingBody(30_000_000);
    const res = await call(token.replace(/\.[\w-]+$/, ".forged"), body.stream);
    expect(res.status).toBe(404);
    expect(body.read()).toBeLessThanOrEqual(64 * 1024);
  });

  it("refuses a 30 MB body with 413, reading no more than the cap", async () => {
    const { token } = await waitingStep("lara");
    const declared = await call(token.replace(/\.[\w-]+$/, ".forged"), "x", { "content-length": "30000000" });
    expect(declared.status).toBe(413);

    const body = countingBody(30_000_000);
    const res = await call(token, body.stream);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/larger than 64 kB/);
    expect(body.read()).toBeLessThan(200_000);
  });

  it("is single-attempt: an invalid body from a signed call fails the step, and a second call is refused", async () => {
    const { grantId, token } = await waitingStep("ben");
    const first = await call(token, JSON.stringify({ status: "maybe" }));
    expect(first.status).toBe(400);
    expect(((await first.json()) as { error: string }).error).toMatch(/status must be "succeeded" or "failed".*cannot be used again/);
    const attempt = await db.provisioningAttempt.findFirstOrThrow({ where: { grantId } });
    expect(attempt).toMatchObject({ outcome: "FAILED", error: expect.stringMatching(/^webhook receiver: invalid callback body/) });
    const events = await db.outboxEvent.findMany({ where: { name: "provisioning/webhook.callback" } });
    expect(events.filter((e) => (e.data as { grantId: string }).grantId === grantId).map((e) => (e.data as { succeeded: boolean }).succeeded)).toEqual([false]);

    // The receiver (or whoever learnt the URL) cannot have another go, even with a valid body.
    const second = await call(token, JSON.stringify({ status: "succeeded" }));
    expect(second.status).toBe(409);
    expect((await db.provisioningAttempt.findFirstOrThrow({ where: { grantId } })).outcome).toBe("FAILED");
  });

  it("ends the wait on a body that is not JSON too", async () => {
    const { grantId, token } = await waitingStep("zoe");
    expect((await call(token, "{not json")).status).toBe(400);
    expect((await db.provisioningAttempt.findFirstOrThrow({ where: { grantId } })).outcome).toBe("FAILED");
  });

  it("accepts a valid report once", async () => {
    const { grantId, token } = await waitingStep("omar");
    const res = await call(token, JSON.stringify({ status: "succeeded", message: "done" }));
    expect(res.status).toBe(200);
    expect((await db.provisioningAttempt.findFirstOrThrow({ where: { grantId } })).detail).toBe("webhook receiver: done");
  });
});
