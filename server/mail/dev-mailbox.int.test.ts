import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { PEER_HEADER } from "@/server/security/client-address";
import { createTestDatabase } from "@/test/db";
import { readDevMailbox } from "./dev-mailbox";

// Who may read the dev mailbox (the /dev/mailbox page's one way in): it holds everyone's sign-in
// links, so only a browser on the portal's own machine, talking to it directly.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: database.url, AUTH_SECRET: "dev-mailbox-test-secret-dev-mailbox-0123" });
  delete process.env.SMTP_URL;
  db = createDb(database.url, 2);
  await db.devMail.createMany({
    data: [
      { to: "erin@example.com", subject: "Sign in to Access Portal", text: "http://localhost:3000/api/auth/callback/nodemailer?token=erin" },
      { to: "maya@example.com", subject: "Sign in to Access Portal", text: "http://localhost:3000/api/auth/callback/nodemailer?token=maya" },
    ],
  });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const request = (headers: Record<string, string>) => new Headers(headers);
const local = { host: "localhost:3000", [PEER_HEADER]: "127.0.0.1" };

describe("the dev mailbox", () => {
  it("shows a browser on this machine the mail, to one recipient when asked", async () => {
    expect((await readDevMailbox(request(local)))?.map((m) => m.to).sort()).toEqual(["erin@example.com", "maya@example.com"]);
    expect((await readDevMailbox(request(local), "ERIN@example.com"))?.map((m) => m.text)).toEqual(["http://localhost:3000/api/auth/callback/nodemailer?token=erin"]);
  });

  it("shows nothing to anyone else, even through a reverse proxy on this machine", async () => {
    expect(await readDevMailbox(request({ ...local, [PEER_HEADER]: "203.0.113.9" }))).toBeNull();
    expect(await readDevMailbox(request({ ...local, "x-forwarded-for": "203.0.113.9" }))).toBeNull();
    expect(await readDevMailbox(request({ ...local, host: "portal.example.com" }))).toBeNull();
  });
});
