import { describe, expect, it } from "vitest";
import { ConnectorError } from "./errors";
import { describeTest } from "./test-outcome";

// The sentence an admin reads after "Test connection", for answers the SCIM integration test cannot produce.

const answered = (status: number, message = `Target answered ${status}`) => new ConnectorError({ message, retryable: status >= 500, status });

describe("a connection test's outcome", () => {
  it("counts any 4xx from a webhook endpoint as reached, since the test's HEAD carries no signature", () => {
    expect(describeTest("WEBHOOK", answered(405), 31, 10_000)).toEqual({
      connected: true,
      message: "Connected: the webhook endpoint answered in 31 ms (405; the test sends no message, so nothing was provisioned).",
      ms: 31,
    });
    expect(describeTest("WEBHOOK", answered(301, "Webhook endpoint answered 301 Moved Permanently on HEAD /hook"), 5, 10_000)).toMatchObject({
      connected: false,
      message: "Could not connect: Webhook endpoint answered 301 Moved Permanently on HEAD /hook.",
    });
  });

  it("counts Jira's 404 for the made-up issue as connected, and its 401 as refused credentials", () => {
    expect(describeTest("JIRA", answered(404), 120, 10_000)).toMatchObject({ connected: true, message: "Connected: Jira answered in 120 ms." });
    expect(describeTest("JIRA", answered(403), 120, 10_000)).toMatchObject({ connected: false, message: "Could not connect: Jira refused the credentials (403)." });
  });

  it("names a directory's refused bind and a timeout in seconds", () => {
    const bind = new ConnectorError({ message: "Directory at ldaps://d:636 refused the operation (invalidCredentials) on bind", retryable: false, cause: { code: 49 } });
    expect(describeTest("LDAP_GROUP", bind, 12, 10_000).message).toBe("Could not connect: the directory refused the credentials (invalid bind DN or password).");
    const slow = new ConnectorError({ message: "ServiceNow did not answer within 10000 ms on GET /api/now/table/sc_task/0", retryable: true });
    expect(describeTest("SERVICENOW", slow, 10_004, 10_000)).toMatchObject({ connected: false, message: "Timed out after 10 s: ServiceNow did not answer." });
  });
});
