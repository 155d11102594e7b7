import { describe, expect, it } from "vitest";
import { displayStatus } from "@/universal/requests/status";

describe("the status a requester reads", () => {
  it("follows the request through approval and provisioning", () => {
    expect(displayStatus({ status: "PENDING_APPROVAL" }, null).label).toBe("Pending approval");
    expect(displayStatus({ status: "APPROVED" }, { status: "PENDING", failureReason: null }).label).toBe("Approved");
    expect(displayStatus({ status: "APPROVED" }, { status: "PROVISIONING", failureReason: null }).label).toBe("Provisioning");
    expect(displayStatus({ status: "APPROVED" }, { status: "PROVISIONED", failureReason: null })).toEqual({ label: "Provisioned", tone: "good" });
    expect(displayStatus({ status: "DENIED" }, null)).toEqual({ label: "Denied", tone: "bad" });
  });

  it("says why provisioning failed", () => {
    const s = displayStatus({ status: "APPROVED" }, { status: "FAILED", failureReason: "SCIM target answered 503" });
    expect(s).toEqual({ label: "Failed", tone: "bad" });
  });

  it("says when the work waits for an unreachable target or sits with a person, not just \"Provisioning\"", () => {
    const since = new Date();
    const hhmm = since.toISOString().slice(11, 16);
    expect(displayStatus({ status: "APPROVED" }, { status: "PROVISIONING", failureReason: null, waitingFor: { connector: "GitHub", since }, openTasks: 0 })).toEqual({
      label: `Waiting for GitHub, unreachable since ${hhmm} UTC`,
      tone: "waiting",
    });
    expect(displayStatus({ status: "APPROVED" }, { status: "PROVISIONING", failureReason: null, openTasks: 1 })).toEqual({ label: "Needs manual provisioning", tone: "waiting" });
    expect(displayStatus({ status: "APPROVED" }, { status: "DELETING", failureReason: null, openTasks: 1 }).label).toBe("Needs manual deprovisioning");
  });
});
