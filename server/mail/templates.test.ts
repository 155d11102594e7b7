import { describe, expect, it } from "vitest";
import { approvalRequestMail } from "@/server/mail/templates";

const base = {
  to: "maya@example.com",
  requester: "Erin Walsh",
  entitlement: "Developers",
  app: "GitHub",
  justification: "Need to review PRs",
  approveUrl: "http://localhost:3000/approve/aaa",
  denyUrl: "http://localhost:3000/approve/bbb",
  requestUrl: "http://localhost:3000/approvals",
  expiresAt: new Date("2026-11-25T12:00:00Z"),
};

describe("the approval email", () => {
  it("names the requester, the access and the justification, with both links", () => {
    const mail = approvalRequestMail(base);
    expect(mail.subject).toBe("Access request: Erin Walsh wants GitHub / Developers");
    for (const part of ["Erin Walsh", "GitHub / Developers", "Need to review PRs", base.approveUrl, base.denyUrl]) {
      expect(mail.text).toContain(part);
      expect(mail.html).toContain(part);
    }
  });

  it("cannot be used to inject markup through a justification", () => {
    const mail = approvalRequestMail({ ...base, justification: `<a href="https://evil.example">click</a>` });
    expect(mail.html).not.toContain(`<a href="https://evil.example">`);
    expect(mail.html).toContain("&lt;a href=&quot;https://evil.example&quot;&gt;");
  });
});
