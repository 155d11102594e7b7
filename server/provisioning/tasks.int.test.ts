import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTasks, taskDetail } from "@/server/provisioning/task-queries";
import { bulkCompleteTasks, commentOnTask, completeTask, openTask, reassignTask } from "@/server/provisioning/tasks";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The provisioner task queue's rules, on the demo org: Figma's tasks go to its provisioner Ivan; its
// owner is Jonas.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

async function figmaTask(key: string, entitlement = "Editor", kind: "PROVISION" | "DEPROVISION" = "PROVISION") {
  const user = await demo.actor(key);
  const e = await demo.entitlement("figma", entitlement);
  const grant = await demo.db.grant.create({ data: { userId: user.id, entitlementId: e.id, status: kind === "PROVISION" ? "PROVISIONING" : "DELETING" } });
  return openTask(demo.db, { grantId: grant.id, kind, stepIndex: 0, reason: "Manual provisioning step", assignTo: "provisioners" });
}

describe("provisioning tasks", () => {
  it("opens one task per step, assigned to the app's provisioner, and tells them by email (via an event)", async () => {
    const task = await figmaTask("ana");
    const again = await openTask(demo.db, {
      grantId: (await demo.db.provisioningTask.findUniqueOrThrow({ where: { id: task.id } })).grantId,
      kind: "PROVISION",
      stepIndex: 0,
      reason: "Manual provisioning step",
      assignTo: "provisioners",
    });
    expect(again.id).toBe(task.id);
    const row = await demo.db.provisioningTask.findUniqueOrThrow({ where: { id: task.id } });
    expect(row.assigneeId).toBe((await demo.actor("ivan")).id);
    expect(await demo.db.outboxEvent.count({ where: { name: "provisioning/task.assigned", data: { equals: { taskId: task.id } } } })).toBe(1);
  });

  it("sorts tasks into the three tabs, and shows each person only the tasks they may work", async () => {
    const open = await figmaTask("felix", "Viewer");
    const removal = await figmaTask("grace", "Viewer", "DEPROVISION");
    const ivan = await demo.actor("ivan");
    const queue = await listTasks(demo.db, ivan, { tab: "provision" });
    expect(queue.tasks.map((t) => t.id)).toContain(open.id);
    expect((await listTasks(demo.db, ivan, { tab: "deprovision" })).tasks.map((t) => t.id)).toEqual([removal.id]);
    expect((await listTasks(demo.db, await demo.actor("erin"), { tab: "provision" })).tasks).toEqual([]);
    await expect(taskDetail(demo.db, await demo.actor("erin"), open.id)).rejects.toThrow(/Only the task's assignee/);
    const detail = await taskDetail(demo.db, await demo.actor("jonas"), open.id);
    expect(detail).toMatchObject({ workflow: "1. Manual task", reason: "Manual provisioning step", person: { email: "felix@example.com" } });
  });

  it("needs a reason to mark a task errored, and a task completes only once", async () => {
    const task = await figmaTask("ivan", "Design System Admin");
    const ivan = await demo.actor("ivan");
    await expect(completeTask(demo.db, ivan, { id: task.id, outcome: "ERRORED" })).rejects.toThrow(/Say what went wrong/);
    await completeTask(demo.db, ivan, { id: task.id, outcome: "ERRORED", note: "No licence left." });
    await expect(completeTask(demo.db, ivan, { id: task.id, outcome: "DONE" })).rejects.toThrow(/already completed/);
    const detail = await taskDetail(demo.db, ivan, task.id);
    expect(detail).toMatchObject({ status: "ERRORED", outcomeNote: "No licence left.", completedBy: { email: "ivan@example.com" } });
    expect(detail.comments.map((c) => c.body)).toEqual(["No licence left."]);
    expect(await demo.db.outboxEvent.count({ where: { name: "provisioning/task.completed", data: { path: ["taskId"], equals: task.id } } })).toBe(1);
  });

  it("completes tasks in bulk with one comment on each, or none at all when one cannot be completed", async () => {
    const a = await figmaTask("ana", "Viewer");
    const b = await figmaTask("jade", "Viewer");
    const ivan = await demo.actor("ivan");
    await completeTask(demo.db, ivan, { id: b.id, outcome: "DONE" });
    await expect(bulkCompleteTasks(demo.db, ivan, { ids: [a.id, b.id], outcome: "DONE", comment: "Done in the admin console." })).rejects.toThrow(/already completed/);
    expect((await demo.db.provisioningTask.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("OPEN");
    const c = await figmaTask("jade", "Editor");
    await bulkCompleteTasks(demo.db, ivan, { ids: [a.id, c.id], outcome: "DONE", comment: "Done in the admin console." });
    for (const id of [a.id, c.id]) {
      const detail = await taskDetail(demo.db, ivan, id);
      expect(detail.status).toBe("DONE");
      expect(detail.comments.map((x) => x.body)).toEqual(["Done in the admin console."]);
    }
  });

  it("reassigns with a reason, only to someone who may work the app's tasks", async () => {
    const task = await figmaTask("felix", "Design System Admin");
    const ivan = await demo.actor("ivan");
    const jonas = await demo.actor("jonas");
    await expect(reassignTask(demo.db, ivan, { id: task.id, assigneeId: (await demo.actor("erin")).id, reason: "Out of office" })).rejects.toThrow(
      /provisioners, its owner or an admin/,
    );
    await reassignTask(demo.db, ivan, { id: task.id, assigneeId: jonas.id, reason: "Out of office this week" });
    const detail = await taskDetail(demo.db, jonas, task.id);
    expect(detail.assignee.id).toBe(jonas.id);
    expect(detail.comments.map((c) => c.body)).toEqual(["Reassigned: Out of office this week"]);
    await commentOnTask(demo.db, jonas, { id: task.id, body: "On it." });
    await expect(commentOnTask(demo.db, await demo.actor("erin"), { id: task.id, body: "hi" })).rejects.toThrow(/Only the task's assignee/);
  });
});

describe("connector secrets", () => {
  it("are masked when an admin reads them, kept when saved back, and must be entered again when the address changes", async () => {
    const { appForAdmin, saveConnector, SECRET_MASK } = await import("@/server/catalog/configure-apps");
    const admin = await demo.actor("admin");
    const github = await appForAdmin(demo.db, admin, "github");
    const connector = github.connectors[0]!;
    expect(connector.secretsSet).toEqual(["token"]);
    expect(connector.config).not.toHaveProperty("token");
    // Stored sealed (server/security/secrets.ts): opened here to compare the token itself.
    const { openConnectorConfig } = await import("@/server/connectors/config");
    const storedConfig = async () => openConnectorConfig("SCIM", (await demo.db.connector.findUniqueOrThrow({ where: { id: connector.id } })).config).config as { baseUrl: string; token: string };
    const stored = await storedConfig();
    expect(stored.token).toEqual(expect.any(String));
    await saveConnector(demo.db, admin, { appId: github.id, id: connector.id, method: "SCIM", name: connector.name, config: { baseUrl: stored.baseUrl, token: SECRET_MASK } });
    expect(await storedConfig()).toMatchObject({ token: stored.token });
    await expect(
      saveConnector(demo.db, admin, { appId: github.id, id: connector.id, method: "SCIM", name: connector.name, config: { baseUrl: "https://evil.example.com/scim/v2", token: SECRET_MASK } }),
    ).rejects.toThrow(/enter the secret again/);
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: connector.id, action: "connector.updated" } });
    expect(JSON.stringify(audit.after)).not.toContain(stored.token);
  });
});
