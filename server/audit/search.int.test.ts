import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { decideStep } from "@/server/approvals/decide";
import { auditCsv, auditFilterSchema, searchAudit } from "@/server/audit/search";
import { createRequest } from "@/server/requests/create-request";
import { withdrawRequest } from "@/server/requests/withdraw-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The audit page's filters and CSV export, over rows the domain really wrote.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
  const erin = await demo.actor("erin");
  const carla = await demo.actor("carla");
  const github = await createRequest(demo.db, erin, { entitlementId: (await demo.entitlement("github", "Developers")).id, justification: "=HYPERLINK(\"x\") payments work" });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: github.id } });
  await decideStep(demo.db, await demo.actor("maya"), { stepId: step.id, decision: "DENY", comment: "Use the sandbox." });
  const sf = await createRequest(demo.db, carla, { entitlementId: (await demo.entitlement("salesforce", "Report Builder")).id, justification: "Quarterly dashboards." });
  await withdrawRequest(demo.db, carla, { id: sf.id });
});
afterAll(async () => demo?.close());

const actions = (rows: Array<{ action: string }>) => rows.map((r) => r.action);

describe("the audit trail search", () => {
  it("filters by person: what they did and what was done to their requests", async () => {
    const admin = await demo.actor("admin");
    const erinRows = await searchAudit(demo.db, admin, { person: "erin@example.com" });
    expect(actions(erinRows)).toEqual(expect.arrayContaining(["request.submitted", "request.denied"]));
    expect(erinRows.some((r) => r.action === "request.withdrawn")).toBe(false);
    const denied = erinRows.find((r) => r.action === "request.denied");
    expect(denied).toMatchObject({ actor: "Maya Chen", reason: "Use the sandbox." });
  });

  it("filters by app, action and date range, newest first", async () => {
    const admin = await demo.actor("admin");
    const salesforce = await searchAudit(demo.db, admin, { app: "salesforce" });
    expect(actions(salesforce)).toEqual(["request.withdrawn", "request.submitted"]);
    expect(actions(await searchAudit(demo.db, admin, { action: "withdrawn" }))).toEqual(["request.withdrawn"]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await searchAudit(demo.db, admin, { from: today, to: today })).length).toBeGreaterThanOrEqual(4);
    expect(await searchAudit(demo.db, admin, { to: "2000-01-01" })).toEqual([]);
    await expect(searchAudit(demo.db, admin, { from: "2026-12-01", to: "2026-11-01" })).rejects.toThrow();
  });

  it("is for admins only", async () => {
    await expect(searchAudit(demo.db, await demo.actor("maya"), {})).rejects.toThrow(/Only admins/);
  });

  it("exports CSV with every cell quoted and formulas defused", async () => {
    const rows = await searchAudit(demo.db, await demo.actor("admin"), { person: "erin" });
    const csv = auditCsv(rows);
    const [header, ...lines] = csv.trimEnd().split("\r\n");
    expect(header).toBe("seq,at,actor,action,objectType,objectId,requestId,before,after,reason");
    expect(lines).toHaveLength(rows.length);
    expect(csv).toContain(`"Use the sandbox."`);
    // A reason someone typed that starts with "=" is not a formula once it reaches a spreadsheet.
    const typed = auditCsv([{ ...rows[0]!, reason: '=HYPERLINK("http://evil")', actor: 'Ann "the admin"' }]);
    expect(typed).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(typed).toContain(`"Ann ""the admin"""`);
  });

  it("refuses a day that does not exist as a bad filter (a 400), instead of failing in the query", async () => {
    const admin = await demo.actor("admin");
    for (const from of ["2026-13-45", "2026-02-30"]) {
      expect(auditFilterSchema.safeParse({ from }).error?.issues[0]?.message).toBe("That day does not exist: use a date like 2026-11-22.");
      await expect(searchAudit(demo.db, admin, { from })).rejects.toBeInstanceOf(ZodError);
    }
    expect(auditFilterSchema.safeParse({ from: "2024-02-29" }).success).toBe(true);
  });
});
