import { describe, expect, it } from "vitest";
import { displayStatus } from "@/server/requests/status";

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
    expect(s).toEqual({ label: "Failed: SCIM target answered 503", tone: "bad" });
  });
});
