import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServiceNowServer, type ServiceNowServer } from "@/test/targets/servicenow-server";
import { createServiceNowTicket, getServiceNowTicketState, serviceNowConfigSchema, type ServiceNowConfig } from "./servicenow";
import { failure } from "@/test/connector-failure";

const account = { username: "portal.integration", password: "correct horse battery staple" };
const ticket = {
  shortDescription: "Grant Ada Lovelace access to GitHub admins",
  description: "Requested by Ada Lovelace, approved by Grace Hopper.",
  correlationId: "task_42",
};

let now: ServiceNowServer;
let config: ServiceNowConfig;
beforeEach(async () => {
  now = await startServiceNowServer(account);
  config = { instanceUrl: now.url, ...account, assignmentGroup: "Service Desk", timeoutMs: 1_000 };
});
afterEach(() => now.stop());


describe("createServiceNowTicket", () => {
  it("opens a catalog task carrying the correlation id", async () => {
    const created = await createServiceNowTicket(config, ticket);
    const [stored] = now.tickets();
    expect(created).toEqual({
      sysId: stored?.sys_id,
      number: "SCTASK0010001",
      url: `${now.url}/sc_task.do?sys_id=${stored?.sys_id}`,
      created: true,
    });
    expect(stored).toMatchObject({
      table: "sc_task",
      state: "1",
      short_description: ticket.shortDescription,
      description: ticket.description,
      correlation_id: "task_42",
      assignment_group: "Service Desk",
    });
  });

  it("returns the ticket an earlier attempt opened instead of opening another", async () => {
    const first = await createServiceNowTicket(config, ticket);
    expect(await createServiceNowTicket(config, ticket)).toEqual({ ...first, created: false });
    expect(now.tickets()).toHaveLength(1);
    const other = await createServiceNowTicket(config, { ...ticket, correlationId: "task_43" });
    expect(other).toMatchObject({ number: "SCTASK0010002", created: true });
  });

  it("opens incidents when configured to", async () => {
    const created = await createServiceNowTicket({ ...config, table: "incident" }, ticket);
    expect(created.number).toBe("INC0010001");
    expect(created.url).toBe(`${now.url}/incident.do?sys_id=${created.sysId}`);
    expect(now.tickets()[0]?.table).toBe("incident");
  });
});

describe("getServiceNowTicketState", () => {
  it("follows a catalog task to Closed Complete", async () => {
    const { sysId } = await createServiceNowTicket(config, ticket);
    expect(await getServiceNowTicketState(config, sysId)).toEqual({ state: "open", label: "Open", closeNotes: null });
    now.setState(sysId, "2");
    expect(await getServiceNowTicketState(config, sysId)).toMatchObject({ state: "open", label: "Work in Progress" });
    now.setState(sysId, "3", "Added to admins");
    expect(await getServiceNowTicketState(config, sysId)).toEqual({ state: "resolved", label: "Closed Complete", closeNotes: "Added to admins" });
  });

  it("treats a task closed incomplete or skipped as failed", async () => {
    const { sysId } = await createServiceNowTicket(config, ticket);
    now.setState(sysId, "4", "No licence left");
    expect(await getServiceNowTicketState(config, sysId)).toEqual({ state: "failed", label: "Closed Incomplete", closeNotes: "No licence left" });
    now.setState(sysId, "7");
    expect(await getServiceNowTicketState(config, sysId)).toMatchObject({ state: "failed", label: "Closed Skipped" });
  });

  it("reads incident states: resolved, closed, canceled", async () => {
    const incidents = { ...config, table: "incident" as const };
    const { sysId } = await createServiceNowTicket(incidents, ticket);
    expect(await getServiceNowTicketState(incidents, sysId)).toMatchObject({ state: "open", label: "New" });
    now.setState(sysId, "6");
    expect(await getServiceNowTicketState(incidents, sysId)).toMatchObject({ state: "resolved", label: "Resolved" });
    now.setState(sysId, "8");
    expect(await getServiceNowTicketState(incidents, sysId)).toMatchObject({ state: "failed", label: "Canceled" });
  });

  it("reports a missing ticket as not retryable", async () => {
    const error = await failure(getServiceNowTicketState(config, "0123456789abcdef0123456789abcdef"));
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toBe(
      "ServiceNow answered 404 Not Found on GET /api/now/table/sc_task/0123456789abcdef0123456789abcdef: " +
        "No Record found (Record doesn't exist or ACL restricts the record retrieval)",
    );
  });
});

describe("ServiceNow failures", () => {
  it("does not retry a wrong password", async () => {
    const error = await failure(createServiceNowTicket({ ...config, password: "wrong" }, ticket));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toBe(
      "ServiceNow answered 401 Unauthorized on GET /api/now/table/sc_task: User Not Authenticated (Required to provide Auth information)",
    );
  });

  it("retries a 503 on create and opens the ticket once", async () => {
    now.fail({ status: 503, method: "POST" });
    expect(await failure(createServiceNowTicket(config, ticket))).toMatchObject({ retryable: true, status: 503 });
    expect(now.tickets()).toHaveLength(0);
    expect((await createServiceNowTicket(config, ticket)).created).toBe(true);
    expect(now.tickets()).toHaveLength(1);
  });

  it("passes on Retry-After from a 429", async () => {
    now.fail({ status: 429, retryAfterSeconds: 5 });
    expect(await failure(createServiceNowTicket(config, ticket))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 5_000 });
  });

  it("reports the instance being unreachable as retryable", async () => {
    now.setDown(true);
    expect((await failure(createServiceNowTicket(config, ticket))).retryable).toBe(true);
  });
});

describe("serviceNowConfigSchema", () => {
  it("explains each bad setting", () => {
    const result = serviceNowConfigSchema.safeParse({ instanceUrl: "acme", username: "", password: "", table: "change_request" });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["instanceUrl", "username", "password", "table"]);
    expect(serviceNowConfigSchema.safeParse({ instanceUrl: "https://acme.service-now.com", ...account }).success).toBe(true);
  });
});
