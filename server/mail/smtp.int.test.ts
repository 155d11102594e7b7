import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// With SMTP_URL set, mail leaves through a real SMTP conversation instead of the dev mailbox.

const received: { to: string[]; raw: string }[] = [];
let smtp: SMTPServer;
let demo: DemoDatabase;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, done) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  demo = await demoDatabase();
});
afterAll(async () => {
  await demo?.close();
  await new Promise<void>((resolve) => smtp.close(resolve));
});

it("delivers the approval email over SMTP and keeps nothing in the dev mailbox", async () => {
  const { notifyApprover } = await import("@/server/approvals/notify-approver");
  const { createRequest } = await import("@/server/requests/create-request");
  const e = await demo.entitlement("figma", "Editor");
  const { id } = await createRequest(demo.db, await demo.actor("ana"), { entitlementId: e.id, justification: "Owning the new checkout flow designs." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });

  expect(await notifyApprover(demo.db, step.id)).toMatchObject({ sent: true });

  expect(received).toHaveLength(1);
  expect(received[0]?.to).toEqual(["jonas@example.com"]);
  expect(received[0]?.raw).toContain("Subject: Access request: Ana Costa wants Figma / Editor");
  expect(received[0]?.raw).toContain("/approve/");
  expect(await demo.db.devMail.count()).toBe(0);
});
