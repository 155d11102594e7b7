import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { recordAudit } from "@/server/audit/record";
import { verifyAuditChain } from "@/server/audit/verify";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// A justification holding a lone surrogate was hashed as the JS string but stored as U+FFFD, so
// audit:verify reported the trail BROKEN from that row on, forever; a NUL gave a 500.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const why = "Reviewing the payments code";

describe("text the database cannot store as written", () => {
  it("is refused at the API with a 400 naming the field, for a NUL and for a lone surrogate", async () => {
    const caller = createCaller({ db: demo.db, actor: await demo.actor("erin") });
    const entitlementId = (await demo.entitlement("github", "Developers")).id;
    for (const justification of [`${why}\u0000.`, `${why} \ud800.`]) {
      const error = await caller.requests.create({ entitlementId, justification }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("justification contains characters that can't be stored") });
    }
    expect(await demo.db.accessRequest.count({ where: { justification: { startsWith: why } } })).toBe(0);
  });

  it("in a justification that reaches the trail below the API is hashed as stored, so the chain stays intact", async () => {
    const erin = await demo.actor("erin");
    // The domain function below the API edge, as a background job or script would call it.
    await createRequest(demo.db, erin, { entitlementId: (await demo.entitlement("github", "Developers")).id, justification: `${why} \ud800 poisoned.` });
    await demo.db.$transaction((tx) => recordAudit(tx, { actorId: null, action: "test.after", objectType: "app", objectId: "y", reason: "a later, honest row" }));
    const report = await verifyAuditChain(demo.db);
    expect(report.broken).toEqual([]);
    expect(report.ok).toBe(true);
    expect(await demo.db.auditEvent.findFirstOrThrow({ where: { action: "request.submitted" } })).toMatchObject({ reason: `${why} \ufffd poisoned.` });
  });

  it("in any audited field, JSON keys included, is stored as U+FFFD instead of failing, and verifies", async () => {
    await demo.db.$transaction((tx) =>
      recordAudit(tx, { actorId: null, action: "test.text", objectType: "app", objectId: "x\u0000", reason: "nul\u0000 and e\u0301", after: { "key\ud800": ["v\u0000", "\udc00"] } }),
    );
    expect((await verifyAuditChain(demo.db)).ok).toBe(true);
    const stored = await demo.db.auditEvent.findFirstOrThrow({ where: { action: "test.text" } });
    expect(stored).toMatchObject({ objectId: "x\ufffd", reason: "nul\ufffd and é", after: { "key\ufffd": ["v\ufffd", "\ufffd"] } });
  });
});
