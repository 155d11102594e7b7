import { describe, expect, it } from "vitest";
import { approvalRequestMail, requestOutcomeMail, taskAssignedMail } from "@/server/mail/templates";

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

  it("says which rule of which access profile asked, and lists what the approver needs to decide", () => {
    const mail = approvalRequestMail({
      ...base,
      asker: "The rule “Sales department” of the access profile “Sales starter kit”",
      context: ["Duration: for 7 days", "Risk: High risk · admin access", "Peers: 4 of 12 other people in Engineering have it", "Nothing yet in GitHub"],
    });
    expect(mail.subject).toBe("Access request: The rule “Sales department” of the access profile “Sales starter kit” asks for Erin Walsh to get GitHub / Developers");
    expect(mail.text.split("\n")[0]).toBe("The rule “Sales department” of the access profile “Sales starter kit” asks for Erin Walsh to get GitHub / Developers.");
    expect(mail.text).toContain("- Duration: for 7 days\n- Risk: High risk · admin access\n- Peers: 4 of 12 other people in Engineering have it\n- Nothing yet in GitHub");
    expect(mail.html).toContain("<li>Peers: 4 of 12 other people in Engineering have it</li>");
    expect(mail.text).not.toContain("Erin Walsh wants");
  });

  it("keeps each fact of the context on its own line, escaped", () => {
    const { text, html } = approvalRequestMail({ ...base, context: ["What it gives: <b>all</b>\nApprove: http://evil.example/a"] });
    expect(text.split("\n").filter((l) => /^(Approve|Deny):/.test(l))).toEqual([`Approve: ${base.approveUrl}`, `Deny: ${base.denyUrl}`]);
    expect(html).toContain("&lt;b&gt;all&lt;/b&gt;");
  });

  it("cannot be used to inject markup through a justification", () => {
    const mail = approvalRequestMail({ ...base, justification: `<a href="https://evil.example">click</a>` });
    expect(mail.html).not.toContain(`<a href="https://evil.example">`);
    expect(mail.html).toContain("&lt;a href=&quot;https://evil.example&quot;&gt;");
  });
});

// A justification, comment or reason is typed by someone who may want the approver to click their link.
const ATTACKS = [
  "Need it\nApprove: http://evil.example/approve/x\nDeny: http://evil.example/deny/x",
  "Need it\r\n\r\nApprove: http://evil.example/approve/x",
  "Need it\rApprove: http://evil.example/approve/x",
  "Need it\u2028Approve: http://evil.example/approve/x\u2029Deny: http://evil.example/deny/x",
  "Need it\u0085Approve: http://evil.example/approve/x\u000bhttp://evil.example/also\u000chttp://evil.example/too",
  "\nApprove: http://evil.example/approve/x\n",
];

/** Lines that are not part of a quote ("> …" or a bare ">"), split wherever a mail client may break one. */
// eslint-disable-next-line no-control-regex
const unquoted = (text: string) => text.split(/\r\n|[\r\n\u000b\u000c\u0085\u2028\u2029]/).filter((l) => !/^>( |$)/.test(l));

describe("typed text in plain-text mails", () => {
  it.each(ATTACKS)("cannot add an Approve line or a link outside the quote (%j)", (justification) => {
    const { text } = approvalRequestMail({ ...base, justification });
    const lines = unquoted(text);
    expect(lines.filter((l) => l.startsWith("Approve:"))).toEqual([`Approve: ${base.approveUrl}`]);
    expect(lines.filter((l) => l.startsWith("Deny:"))).toEqual([`Deny: ${base.denyUrl}`]);
    expect(lines.join("\n")).not.toContain("evil.example");
    // The approver still reads what was written, quoted.
    expect(text).toContain("> Approve: http://evil.example/approve/x");
  });

  it("keeps names on one line, so a name cannot start a line of its own", () => {
    const { text, subject } = approvalRequestMail({ ...base, requester: "Erin\nApprove: http://evil.example/a", entitlement: "Dev\r\nDeny: http://evil.example/d", step: "Step 1\nof 1" });
    expect(text.split("\n").filter((l) => /^(Approve|Deny):/.test(l))).toEqual([`Approve: ${base.approveUrl}`, `Deny: ${base.denyUrl}`]);
    expect(text.split("\n")[0]).toBe("Erin Approve: http://evil.example/a requests access to GitHub / Dev Deny: http://evil.example/d.");
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it("strips bidi overrides and invisible characters that could disguise a link or a name", () => {
    const { text, html } = approvalRequestMail({ ...base, requester: "Erin\u202EnoskcaJ\u202C", justification: "see\u200B http://ok.example\u2066x\u2069\u0007" });
    // eslint-disable-next-line no-control-regex
    for (const part of [text, html!]) expect(part).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B\u0007]/);
    expect(text).toContain("ErinnoskcaJ requests access");
    expect(text).toContain("> see http://ok.examplex");
  });

  it("quotes approvers' comments and failure reasons in the requester's mail", () => {
    const { text, html } = requestOutcomeMail({
      to: "erin@example.com",
      app: "GitHub",
      entitlement: "Developers",
      outcome: "denied",
      detail: 'Maya Chen denied it: "no\nDetails: http://evil.example/reset"',
      requestUrl: "http://localhost:3000/requests/r1",
    });
    expect(unquoted(text).filter((l) => l.includes("http"))).toEqual(["Details: http://localhost:3000/requests/r1"]);
    expect(text).toContain('> Maya Chen denied it: "no');
    expect(html).not.toContain('"no');
  });

  it("quotes a task's reason and keeps the person's name on one line", () => {
    const { text, subject } = taskAssignedMail({
      to: "lena@example.com",
      kind: "PROVISION",
      person: "Erin\nOpen the task: http://evil.example/t",
      app: "AWS",
      entitlement: "Billing",
      reason: "Reassigned: please\nOpen the task: http://evil.example/t",
      taskUrl: "http://localhost:3000/tasks/t1",
    });
    expect(unquoted(text).filter((l) => l.startsWith("Open the task:"))).toEqual(["Open the task: http://localhost:3000/tasks/t1"]);
    expect(subject).not.toContain("\n");
  });
});
