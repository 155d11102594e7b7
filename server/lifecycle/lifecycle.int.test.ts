import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { updateApp } from "@/server/catalog/configure-apps";
import { applyHrRecords } from "@/server/lifecycle/apply";
import { importHrCsv, setLifecycleState } from "@/server/lifecycle/admin";
import { createRequest } from "@/server/requests/create-request";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { approvedRequest, grantReaches, openTaskFor, startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// HR lifecycle end to end: rows applied through applyHrRecords (as the CSV upload and SCIM inbound do),
// with the real outbox relay, the local Inngest engine and a real SCIM target behind the demo apps.

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;
let adminId: string;

beforeAll(async () => {
  scim = await startScimServer();
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  harness = await startEngineHarness(demo);
  const admin = await demo.actor("admin");
  adminId = admin.id;
  // GitHub accounts carry the title and department, so a mover's account visibly follows them.
  const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
  await updateApp(demo.db, admin, {
    appId: github.id,
    accountTemplate: { userName: "{{email}}", attributes: { displayName: "{{name}}", title: "{{title}}", department: "{{department}}", manager: "{{managerEmail}}" }, rules: [] },
  });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
  await demo?.close();
  await scim?.stop();
});

const apply = (rows: Record<string, unknown>[]) => applyHrRecords(demo.db, rows, { actorId: adminId, source: "csv" });
const person = (email: string) => demo.db.user.findUniqueOrThrow({ where: { email }, include: { manager: true, department: true } });
const audits = (userId: string, action: string) => demo.db.auditEvent.findMany({ where: { objectId: userId, action }, orderBy: { seq: "asc" } });
async function outbox(name: string, userId: string) {
  const rows = await demo.db.outboxEvent.findMany({ where: { name }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => r.data as Record<string, unknown>).filter((d) => d.userId === userId);
}
const scimUser = (email: string) => scim.state.users().find((u) => u.userName === email);

describe("joiners", () => {
  it("creates people with their manager, even when the manager comes later in the batch", async () => {
    const { rows, counts } = await apply([
      { line: 2, email: "Dana.Fox@example.com", name: "Dana Fox", title: "Data Engineer", department: "Data", managerEmail: "quinn@example.com", location: "Lisbon", employeeId: "E-9001", status: "active" },
      { line: 3, email: "quinn@example.com", name: "Quinn Ortiz", title: "Head of Data", department: "Data", managerEmail: "admin@example.com", location: "Berlin", employeeId: "E-9000", status: "active" },
    ]);
    expect(counts).toMatchObject({ created: 2, error: 0 });
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, "created"],
      [3, "created"],
    ]);
    // Stored as the feed spelled it.
    const dana = await person("Dana.Fox@example.com");
    expect(dana).toMatchObject({ name: "Dana Fox", title: "Data Engineer", location: "Lisbon", employeeId: "E-9001", lifecycleState: "ACTIVE" });
    expect(dana.department?.name).toBe("Data");
    expect(dana.manager?.email).toBe("quinn@example.com");
    const [joined] = await audits(dana.id, "person.joined");
    expect(joined?.after).toMatchObject({ email: "Dana.Fox@example.com", manager: "quinn@example.com", department: "Data", state: "ACTIVE" });
    expect(joined?.actorId).toBe(adminId);
    expect(await outbox("lifecycle/person.changed", dana.id)).toEqual([{ userId: dana.id, change: "joiner" }]);
  });

  it("reports bad rows with their line and a reason, and still applies the others", async () => {
    const { rows, counts } = await apply([
      { line: 2, email: "not-an-email", name: "Nobody", status: "active" },
      { line: 3, email: "rhea@example.com", name: "Rhea", managerEmail: "ghost@example.com", status: "active" },
      { line: 4, email: "sol@example.com", name: "Sol", status: "retired" },
      { line: 5, email: "uma@example.com", name: "Uma Rao", managerEmail: "rhea@example.com", status: "active" },
      { line: 6, email: "quinn@example.com", name: "Quinn Ortiz", employeeId: "E-9001", status: "active" },
      { line: 7, email: "wen@example.com", name: "Wen Li", status: "active" },
    ]);
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, "error"],
      [3, "error"],
      [4, "error"],
      [5, "error"],
      [6, "error"],
      [7, "created"],
    ]);
    expect(rows[0]?.message).toMatch(/email is not a valid address/);
    expect(rows[1]?.message).toMatch(/manager ghost@example.com is not in the directory/);
    expect(rows[2]?.message).toMatch(/status must be active, leave or terminated/);
    expect(rows[3]?.message).toMatch(/manager rhea@example.com \(line 3\) could not be applied/);
    expect(rows[4]?.message).toBe("The employee id E-9001 belongs to Dana.Fox@example.com, but the email quinn@example.com belongs to quinn@example.com: fix one of them.");
    expect(counts).toMatchObject({ created: 1, error: 5 });
    // Nothing of the bad rows was written.
    expect(await demo.db.user.count({ where: { email: { in: ["rhea@example.com", "uma@example.com", "sol@example.com"] } } })).toBe(0);
    expect((await person("Dana.Fox@example.com")).employeeId).toBe("E-9001");
    // The same file again changes nothing.
    const again = await apply([{ line: 7, email: "wen@example.com", name: "Wen Li", status: "active" }]);
    expect(again.rows[0]).toMatchObject({ outcome: "unchanged", message: "No changes." });
  });

  it("refuses managers that loop within the upload", async () => {
    const { rows } = await apply([
      { line: 2, email: "loop.a@example.com", managerEmail: "loop.b@example.com", status: "active" },
      { line: 3, email: "loop.b@example.com", managerEmail: "loop.a@example.com", status: "active" },
    ]);
    expect(rows.map((r) => r.outcome)).toEqual(["error", "error"]);
    expect(rows[0]?.message).toMatch(/form a loop \(loop.a@example.com → loop.b@example.com → loop.a@example.com\)/);
  });

  it("knows people by employee id: a new email on a known employee id is the same person, renamed", async () => {
    const { rows } = await apply([{ email: "wen.li@example.com", employeeId: "E-7", status: "active" }]);
    expect(rows[0]?.outcome).toBe("created");
    const renamed = await apply([{ email: "wen.li-chen@example.com", name: "Wen Li-Chen", employeeId: "E-7", status: "active" }]);
    expect(renamed.rows[0]).toMatchObject({ outcome: "updated", userId: rows[0]?.userId });
    expect(renamed.rows[0]?.message).toMatch(/^Email wen.li@example.com → wen.li-chen@example.com, name set to Wen Li-Chen/);
  });

  it("imports a CSV with a header, naming unknown columns and short rows by line", async () => {
    const csv = [
      "Email,Name,Title,Department,Manager Email,Location,Employee ID,Status,Cost Center",
      "xia@example.com,Xia Chen,Analyst,Data,quinn@example.com,Lisbon,E-9100,active,CC-1",
      "yan@example.com,Yan,Analyst",
      '"zed@example.com","Zed, Jr.",Analyst,Data,,Porto,E-9102,leave,CC-1',
    ].join("\n");
    const report = await importHrCsv(demo.db, await demo.actor("admin"), { csv });
    expect(report.unknownColumns).toEqual(["Cost Center"]);
    expect(report.rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, "created"],
      [3, "error"],
      [4, "created"],
    ]);
    expect(report.rows[1]?.message).toMatch(/3 values but the header has 9 columns/);
    expect(await person("zed@example.com")).toMatchObject({ name: "Zed, Jr.", lifecycleState: "LEAVE", managerId: null });
    await expect(importHrCsv(demo.db, await demo.actor("admin"), { csv: "email,name\nq@example.com,Q" })).rejects.toThrow();
  });
});

describe("movers", () => {
  it("updates the person, audits before and after, updates their accounts, emails the new manager and emits personChanged", async () => {
    const { grantId } = await approvedRequest(demo, "erin", "github", "Developers");
    await grantReaches(demo, grantId, ["PROVISIONED"]);
    const erin = await person("erin@example.com");
    const { rows } = await apply([{ email: "erin@example.com", title: "Sales Engineer", department: "Sales", managerEmail: "sam@example.com", location: "Madrid", status: "active" }]);
    expect(rows[0]).toMatchObject({ outcome: "updated", events: ["person.moved"] });
    expect(rows[0]?.message).toMatch(/department Engineering → Sales/);

    const [moved] = await audits(erin.id, "person.moved");
    expect(moved?.before).toEqual({ title: "Software Engineer", department: "Engineering", location: null, manager: "maya@example.com" });
    expect(moved?.after).toEqual({ title: "Sales Engineer", department: "Sales", location: "Madrid", manager: "sam@example.com" });
    expect(await outbox("lifecycle/person.changed", erin.id)).toContainEqual({ userId: erin.id, change: "mover" });

    // The account the portal manages follows (the same path as an admin's correction).
    await vi.waitFor(() => expect(scimUser("erin@example.com")).toMatchObject({ title: "Sales Engineer", [ENTERPRISE]: { department: "Sales", manager: { value: "sam@example.com" } } }), {
      timeout: 15_000,
      interval: 100,
    });
    // The new manager hears that Erin's access will be recomputed.
    const mail = await vi.waitFor(
      async () => {
        const m = await demo.db.devMail.findFirst({ where: { to: "sam@example.com", subject: { contains: "Erin Walsh changed role" } } });
        if (!m) throw new Error("no mail yet");
        return m;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(mail.text).toContain("Department: Engineering → Sales");
    expect(mail.text).toContain("will be recomputed");
  });

  it("refuses a manager change that would make the org chart loop", async () => {
    const { rows } = await apply([{ email: "maya@example.com", managerEmail: "tom@example.com", status: "active" }]);
    expect(rows[0]).toMatchObject({ outcome: "error", errorKind: "invalid" });
    expect(rows[0]?.message).toMatch(/tom@example.com reports \(directly or not\) to maya@example.com/);
  });
});

describe("leavers", () => {
  it("revokes every live grant, withdraws their requests, hands their approvals to their manager and signs them out", async () => {
    // Tom holds GitHub access, has a request waiting, and approves Yuki's request (he is her manager now).
    const { grantId } = await approvedRequest(demo, "tom", "github", "Maintainers");
    await grantReaches(demo, grantId, ["PROVISIONED"]);
    const tom = await demo.actor("tom");
    const pendingOwn = await createRequest(demo.db, tom, { entitlementId: (await demo.entitlement("aws", "Billing Viewer")).id, justification: "Checking the staging costs." });
    expect((await apply([{ email: "yuki@example.com", managerEmail: "tom@example.com", status: "active" }])).rows[0]?.outcome).toBe("updated");
    const yuki = await demo.actor("yuki");
    const yukiRequest = await createRequest(demo.db, yuki, { entitlementId: (await demo.entitlement("aws", "Data Analyst")).id, justification: "Querying the test results lake." });
    const yukiStep = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: yukiRequest.id, status: "PENDING" } });
    expect(yukiStep.approverId).toBe(tom.id);
    await demo.db.session.create({ data: { sessionToken: "tom-session", userId: tom.id, expires: new Date(Date.now() + 3_600_000) } });

    const { rows } = await apply([{ email: "tom@example.com", status: "terminated" }]);
    expect(rows[0]).toMatchObject({ outcome: "terminated", events: ["person.terminated"] });
    expect(rows[0]?.message).toMatch(/1 grant revoked, 1 pending request withdrawn, 1 approval handed to maya@example.com, signed out, 1 report still names them as manager/);

    expect(await person("tom@example.com")).toMatchObject({ lifecycleState: "TERMINATED" });
    expect(await demo.db.session.count({ where: { userId: tom.id } })).toBe(0);
    expect((await demo.db.accessRequest.findUniqueOrThrow({ where: { id: pendingOwn.id } })).status).toBe("WITHDRAWN");
    const moved = await demo.db.approvalStep.findUniqueOrThrow({ where: { id: yukiStep.id }, include: { approver: true } });
    expect(moved).toMatchObject({ status: "PENDING", reassignedFromId: tom.id, reassignReason: "Approver left the organisation" });
    expect(moved.approver.email).toBe("maya@example.com");

    const grant = await grantReaches(demo, grantId, ["DEPROVISIONED"]);
    expect(grant.revokeReason).toBe("leaver");
    // Their last GitHub grant gone, the account the portal created is suspended (GitHub suspends).
    expect(scimUser("tom@example.com")?.active).toBe(false);
    expect(await audits(tom.id, "person.terminated")).toHaveLength(1);
    expect(await outbox("lifecycle/person.changed", tom.id)).toContainEqual({ userId: tom.id, change: "leaver" });
  });

  it("hands a leaving provisioner's open tasks to the app's owner", async () => {
    // Figma is provisioned by hand; Ivan is its only provisioner.
    const { grantId } = await approvedRequest(demo, "felix", "figma", "Viewer");
    const task = await openTaskFor(demo, grantId);
    const ivan = await demo.actor("ivan");
    expect(task.assigneeId).toBe(ivan.id);
    const { rows } = await apply([{ email: "ivan@example.com", status: "terminated" }]);
    expect(rows[0]?.message).toMatch(/1 open provisioning task handed over/);
    const after = await demo.db.provisioningTask.findUniqueOrThrow({ where: { id: task.id }, include: { assignee: true } });
    expect(after.assignee.email).toBe("jonas@example.com");
    expect(await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: task.id, action: "task.reassigned" } })).toMatchObject({ reason: "the assignee left the organisation" });
  });

  it("is what an admin's lifecycle action does too, with their reason", async () => {
    const zoe = await demo.actor("zoe");
    const admin = await demo.actor("admin");
    await expect(setLifecycleState(demo.db, await demo.actor("maya"), { userId: zoe.id, state: "TERMINATED", reason: "Left the company" })).rejects.toThrow("Only admins can change a person's lifecycle state.");
    const row = await setLifecycleState(demo.db, admin, { userId: zoe.id, state: "TERMINATED", reason: "Contract ended" });
    expect(row.outcome).toBe("terminated");
    const [audit] = await audits(zoe.id, "person.terminated");
    expect(audit).toMatchObject({ actorId: admin.id, reason: "admin action: Contract ended" });
    await expect(setLifecycleState(demo.db, admin, { userId: zoe.id, state: "TERMINATED", reason: "Contract ended" })).rejects.toThrow(/already terminated/);
  });
});

describe("leave of absence", () => {
  it("suspends the accounts the portal created while the person is away, and restores them on return", async () => {
    const { grantId } = await approvedRequest(demo, "lena", "github", "Developers");
    await grantReaches(demo, grantId, ["PROVISIONED"]);
    const lena = await person("lena@example.com");
    expect(scimUser("lena@example.com")?.active).toBe(true);

    const away = await apply([{ email: "lena@example.com", status: "leave" }]);
    expect(away.rows[0]).toMatchObject({ outcome: "updated", events: ["person.leave_started"] });
    const suspended = await vi.waitFor(
      async () => {
        const account = await demo.db.appAccount.findFirstOrThrow({ where: { userId: lena.id } });
        if (account.status !== "SUSPENDED") throw new Error(account.status);
        return account;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(suspended.status).toBe("SUSPENDED");
    expect(scimUser("lena@example.com")?.active).toBe(false);
    // The access itself is kept for their return.
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("PROVISIONED");
    expect(await outbox("lifecycle/person.changed", lena.id)).toContainEqual({ userId: lena.id, change: "leave" });

    const back = await apply([{ email: "lena@example.com", status: "active" }]);
    expect(back.rows[0]).toMatchObject({ outcome: "updated", events: ["person.returned"] });
    await vi.waitFor(
      async () => {
        const account = await demo.db.appAccount.findFirstOrThrow({ where: { userId: lena.id } });
        if (account.status !== "PROVISIONED") throw new Error(account.status);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(scimUser("lena@example.com")?.active).toBe(true);
    const accountAudit = await demo.db.auditEvent.findMany({ where: { objectId: suspended.id, action: { in: ["account.suspended", "account.restored"] } }, orderBy: { seq: "asc" } });
    expect(accountAudit.map((a) => [a.action, a.reason])).toEqual([
      ["account.suspended", "Leave of absence"],
      ["account.restored", "Returned from leave"],
    ]);
    expect((await audits(lena.id, "person.leave_started")).length).toBe(1);
    expect((await audits(lena.id, "person.returned")).length).toBe(1);
  });

  it("leaves an account on a target that cannot suspend, and says so", async () => {
    const { grantId } = await approvedRequest(demo, "ben", "salesforce", "Report Builder");
    await grantReaches(demo, grantId, ["PROVISIONED"]);
    const ben = await person("ben@example.com");
    const account = await demo.db.appAccount.findFirstOrThrow({ where: { userId: ben.id } });
    // The connector is switched to a method without accounts (as a misconfigured or non-SCIM target would be).
    await demo.db.connector.update({ where: { id: account.connectorId }, data: { method: "WEBHOOK" } });
    try {
      await apply([{ email: "ben@example.com", status: "leave" }]);
      const skipped = await vi.waitFor(
        async () => {
          const row = await demo.db.auditEvent.findFirst({ where: { objectId: account.id, action: "account.suspend_skipped" } });
          if (!row) throw new Error("not yet");
          return row;
        },
        { timeout: 15_000, interval: 100 },
      );
      expect(skipped.reason).toMatch(/cannot suspend accounts: left active during the leave/);
      expect((await demo.db.appAccount.findUniqueOrThrow({ where: { id: account.id } })).status).toBe("PROVISIONED");
    } finally {
      await demo.db.connector.update({ where: { id: account.connectorId }, data: { method: "SCIM" } });
    }
  });
});
