import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startJiraServer, type JiraServer } from "@/test/targets/jira-server";
import { createJiraIssue, getJiraIssueState, jiraConfigSchema, type JiraConfig } from "./jira";
import { failure } from "@/test/connector-failure";

const account = { email: "portal-bot@example.com", apiToken: "ATATT3x-test-token", projectKey: "OPS" };
const ticket = {
  summary: "Grant Ada Lovelace access to GitHub admins",
  description: "Requested by Ada Lovelace.\nApproved by Grace Hopper.\n\nAdd ada@example.com to the admins team.",
  correlationId: "task_42",
};

let jira: JiraServer;
let config: JiraConfig;
beforeEach(async () => {
  jira = await startJiraServer(account);
  config = { baseUrl: jira.url, ...account, timeoutMs: 1_000 };
});
afterEach(() => jira.stop());


describe("createJiraIssue", () => {
  it("opens a labelled Task whose description holds the text", async () => {
    const issue = await createJiraIssue(config, ticket);
    expect(issue).toEqual({ key: "OPS-1", url: `${jira.url}/browse/OPS-1`, created: true });
    const [stored] = jira.issues();
    expect(stored).toMatchObject({ key: "OPS-1", summary: ticket.summary, issueType: "Task", labels: ["portal-task_42"] });
    expect(stored?.description).toEqual({
      type: "doc",
      version: 1,
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "Requested by Ada Lovelace." },
            { type: "hardBreak" },
            { type: "text", text: "Approved by Grace Hopper." },
          ],
        },
        { type: "paragraph", content: [{ type: "text", text: "Add ada@example.com to the admins team." }] },
      ],
    });
  });

  it("returns the issue an earlier attempt opened instead of opening another", async () => {
    const first = await createJiraIssue(config, ticket);
    const second = await createJiraIssue(config, ticket);
    expect(second).toEqual({ ...first, created: false });
    expect(jira.issues()).toHaveLength(1);
    expect((await createJiraIssue(config, { ...ticket, correlationId: "task 43" })).key).toBe("OPS-2");
    expect(jira.issues()[1]?.labels).toEqual(["portal-task_43"]);
  });

  it("explains what Jira rejected", async () => {
    const error = await failure(createJiraIssue({ ...config, issueType: "Access" }, ticket));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toBe("Jira answered 400 Bad Request on POST /rest/api/3/issue: issuetype: Specify a valid issue type");
  });
});

describe("getJiraIssueState", () => {
  it("follows the issue through the workflow to resolved", async () => {
    const { key } = await createJiraIssue(config, ticket);
    expect(await getJiraIssueState(config, key)).toEqual({ state: "open", status: "To Do", resolution: null });
    jira.transition(key, { status: "In Progress", category: "indeterminate" });
    expect(await getJiraIssueState(config, key)).toEqual({ state: "open", status: "In Progress", resolution: null });
    jira.transition(key, { status: "Done", category: "done", resolution: "Done" });
    expect(await getJiraIssueState(config, key)).toEqual({ state: "resolved", status: "Done", resolution: "Done" });
    jira.transition(key, { status: "Closed", category: "done", resolution: null });
    expect(await getJiraIssueState(config, key)).toMatchObject({ state: "resolved", resolution: null });
  });

  it("treats an issue closed as Won't Do or Duplicate as failed", async () => {
    const { key } = await createJiraIssue(config, ticket);
    jira.transition(key, { status: "Closed", category: "done", resolution: "Won’t Do" });
    expect(await getJiraIssueState(config, key)).toEqual({ state: "failed", status: "Closed", resolution: "Won’t Do" });
    jira.transition(key, { status: "Closed", category: "done", resolution: "Duplicate" });
    expect((await getJiraIssueState(config, key)).state).toBe("failed");
  });

  it("reports a missing issue as not retryable", async () => {
    const error = await failure(getJiraIssueState(config, "OPS-99"));
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toContain("on GET /rest/api/3/issue/OPS-99: Issue does not exist");
  });
});

describe("Jira failures", () => {
  it("does not retry a bad API token", async () => {
    const error = await failure(createJiraIssue({ ...config, apiToken: "revoked" }, ticket));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toBe(
      "Jira answered 401 Unauthorized on POST /rest/api/3/search/jql: Client must be authenticated to access this resource.",
    );
  });

  it("retries a 503 and opens the issue once", async () => {
    jira.fail({ status: 503, method: "POST" });
    expect(await failure(createJiraIssue(config, ticket))).toMatchObject({ retryable: true, status: 503 });
    expect((await createJiraIssue(config, ticket)).created).toBe(true);
    expect(jira.issues()).toHaveLength(1);
  });

  it("passes on Retry-After from a 429", async () => {
    const { key } = await createJiraIssue(config, ticket);
    jira.fail({ status: 429, retryAfterSeconds: 30, method: "GET" });
    expect(await failure(getJiraIssueState(config, key))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 30_000 });
  });

  it("reports Jira being unreachable as retryable", async () => {
    jira.setDown(true);
    expect((await failure(createJiraIssue(config, ticket))).retryable).toBe(true);
  });
});

describe("jiraConfigSchema", () => {
  it("explains each bad setting", () => {
    const result = jiraConfigSchema.safeParse({ baseUrl: "team.atlassian.net", email: "bot", apiToken: " ", projectKey: "ops" });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["baseUrl", "email", "apiToken", "projectKey"]);
    expect(jiraConfigSchema.safeParse({ baseUrl: "https://team.atlassian.net", ...account }).success).toBe(true);
  });
});
