import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { grantApproved, grantApprovedInBulk } from "@/inngest/events";
import { enqueueEvent, enqueueEvents } from "@/server/outbox/enqueue";
import { type OutboxRow, relayOutbox } from "@/server/outbox/relay";
import { startOutboxRelay } from "@/server/outbox/relay-loop";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

type Sent = OutboxRow;

describe("the outbox", () => {
  it("never sends the event of a change that rolled back", async () => {
    await expect(
      demo.db.$transaction(async (tx) => {
        await enqueueEvent(tx, grantApproved, { grantId: "rolled-back", requestId: "r" });
        throw new Error("the change failed half-way");
      }),
    ).rejects.toThrow("half-way");
    const sent: Sent[] = [];
    await relayOutbox(demo.db, async (events) => void sent.push(...events));
    expect(sent.map((e) => e.data.grantId)).not.toContain("rolled-back");
  });

  it("keeps an event whose delivery failed, with the error, and delivers it on the next pass", async () => {
    const id = await demo.db.$transaction((tx) => enqueueEvent(tx, grantApproved, { grantId: "g-retry", requestId: "r" }));
    await relayOutbox(demo.db, async () => {
      throw new Error("Inngest unreachable");
    });
    const failed = await demo.db.outboxEvent.findUniqueOrThrow({ where: { id } });
    expect(failed).toMatchObject({ sentAt: null, attempts: 1, lastError: "Inngest unreachable" });

    const sent: Sent[] = [];
    await relayOutbox(demo.db, async (events) => void sent.push(...events));
    expect(sent.find((e) => e.data.grantId === "g-retry")).toMatchObject({ id, name: "access/grant.approved" });
    expect((await demo.db.outboxEvent.findUniqueOrThrow({ where: { id } })).sentAt).not.toBeNull();
  });

  it("delivers a committed event at once through LISTEN/NOTIFY, each event once", async () => {
    const sent: Sent[] = [];
    const loop = startOutboxRelay({ db: demo.db, connectionString: demo.url, send: async (e) => void sent.push(...e), sweepMs: 60_000 });
    try {
      // Let the first pass drain what earlier tests left.
      await vi.waitFor(async () => expect(await demo.db.outboxEvent.count({ where: { sentAt: null } })).toBe(0), { timeout: 5_000 });
      sent.length = 0;
      await demo.db.$transaction((tx) => enqueueEvent(tx, grantApproved, { grantId: "g-notify", requestId: "r" }));
      await vi.waitFor(() => expect(sent.map((e) => e.data.grantId)).toEqual(["g-notify"]), { timeout: 3_000 });
      // Another pass finds nothing left to send.
      await relayOutbox(demo.db, async (e) => void sent.push(...e));
      expect(sent.map((e) => e.data.grantId)).toEqual(["g-notify"]);
    } finally {
      await loop.stop();
    }
  });
});

describe("a refused event", () => {
  it("does not hold back the events queued with it", async () => {
    const [bad, good] = await demo.db.$transaction(async (tx) => [
      await enqueueEvent(tx, grantApproved, { grantId: "g-poison", requestId: "r" }),
      await enqueueEvent(tx, grantApproved, { grantId: "g-fine", requestId: "r" }),
    ]);
    const sent: Sent[] = [];
    await relayOutbox(demo.db, async (events) => {
      if (events.some((e) => e.data.grantId === "g-poison")) throw new Error("event rejected");
      sent.push(...events);
    });
    expect(sent.map((e) => e.id)).toEqual([good]);
    expect(await demo.db.outboxEvent.findUniqueOrThrow({ where: { id: bad } })).toMatchObject({ sentAt: null, lastError: "event rejected" });
  });
});

describe("a wave of bulk events", () => {
  it("does not delay a person's own event queued after it", async () => {
    await relayOutbox(demo.db, async () => {});
    await demo.db.$transaction((tx) => enqueueEvents(tx, grantApprovedInBulk, Array.from({ length: 500 }, (_, i) => ({ grantId: `wave-${i}`, requestId: `r-${i}`, entitlementId: "e", appId: "a" }))));
    await demo.db.$transaction((tx) => enqueueEvent(tx, grantApproved, { grantId: "g-mine", requestId: "r-mine" }));
    const batches: string[][] = [];
    await relayOutbox(demo.db, async (events) => void batches.push(events.map((e) => String(e.data.grantId))));
    expect(batches[0]?.[0]).toBe("g-mine");
    // The wave follows, a few hundred events a batch.
    expect(batches[0]).toHaveLength(200);
    expect(batches[0]!.slice(1).every((id) => id.startsWith("wave-"))).toBe(true);
  });
});
