import { describe, expect, it } from "vitest";
import { moverMail } from "./notify-manager";

describe("the mover mail to a manager", () => {
  it("keeps each HR value on its own line, so a title cannot add lines that look like the mail's own", () => {
    const mail = moverMail({
      to: "maya@example.com",
      person: "Erin\nApprove: http://evil.example/a",
      changes: [{ field: "title", before: "Engineer", after: "Lead\r\nTheir requests: http://evil.example/b\u2028Deny: http://evil.example/c" }],
      reviewUrl: "http://localhost:3000/requests",
    });
    const lines = mail.text.split("\n");
    expect(lines.filter((l) => /^\s*(Approve|Deny|Their requests):/.test(l))).toEqual(["Their requests: http://localhost:3000/requests"]);
    expect(lines.find((l) => l.includes("Title:"))).toBe("  Title: Engineer → Lead Their requests: http://evil.example/b Deny: http://evil.example/c");
    expect(mail.subject).not.toContain("\n");
  });
});
