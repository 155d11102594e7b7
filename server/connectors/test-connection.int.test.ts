import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// "Test connection" on an app's connector, against a real SCIM target: with the saved settings or the ones
// in the form before saving, told in a sentence an admin can act on, and recorded without the secret.

let scim: ScimServer;
let demo: DemoDatabase;
let admin: ReturnType<typeof createCaller>;
let appId: string;
let connectorId: string;
/** Accepts connections and never answers. */
let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  scim = await startScimServer();
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  admin = createCaller({ db: demo.db, actor: await demo.actor("admin") });
  const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" }, select: { id: true, connectors: { select: { id: true } } } });
  appId = github.id;
  connectorId = github.connectors[0]!.id;
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await demo?.close();
  await scim?.stop();
});

/** A port nobody listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
const silentUrl = () => `http://127.0.0.1:${(silent.address() as { port: number }).port}/scim/v2`;

describe("testing a connector's connection", () => {
  it("says the saved settings connect, and how fast the target answered", async () => {
    const result = await admin.admin.testConnector({ appId, connectorId, method: "SCIM" });
    expect(result).toMatchObject({ connected: true });
    expect(result.message).toMatch(/^Connected: the SCIM server answered in \d+ ms\.$/);
  });

  it("tests the form's settings before they are saved, keeping the saved token when the field is empty", async () => {
    expect(await admin.admin.testConnector({ appId, connectorId, method: "SCIM", config: { baseUrl: scim.baseUrl, token: "" } })).toMatchObject({ connected: true });
  });

  it("reports a wrong token as refused credentials, not as a target that is up", async () => {
    const result = await admin.admin.testConnector({ appId, connectorId, method: "SCIM", config: { baseUrl: scim.baseUrl, token: "wrong-token" } });
    expect(result).toEqual({ connected: false, message: "Could not connect: the SCIM server refused the credentials (401).", ms: expect.any(Number) });
  });

  it("reports a port nobody listens on, and a target that never answers", async () => {
    const refused = await admin.admin.testConnector({ appId, method: "SCIM", config: { baseUrl: `http://127.0.0.1:${await closedPort()}/scim/v2`, token: "t" } });
    expect(refused.connected).toBe(false);
    expect(refused.message).toMatch(/^Could not connect: SCIM target refused the connection on GET \/Users\.$/);
    const slow = await admin.admin.testConnector({ appId, method: "SCIM", config: { baseUrl: silentUrl(), token: "t", timeoutMs: 300 } });
    expect(slow).toMatchObject({ connected: false, message: "Timed out after 0.3 s: the SCIM server did not answer." });
  });

  it("never sends the saved token to an address other than the saved one, nor to one saving would refuse", async () => {
    const connectionsBefore = sockets.length;
    await expect(admin.admin.testConnector({ appId, connectorId, method: "SCIM", config: { baseUrl: silentUrl(), token: "" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: expect.objectContaining({ issues: [expect.objectContaining({ path: ["config.token"], message: expect.stringMatching(/address changed: enter the secret again/) })] }),
    });
    await expect(admin.admin.testConnector({ appId, method: "SCIM", config: { baseUrl: "file:///etc/passwd", token: "t" } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sockets).toHaveLength(connectionsBefore); // the silent server was never called
  });

  it("is recorded in the audit log without the token", async () => {
    const rows = await demo.db.auditEvent.findMany({ where: { action: "connector.tested" }, orderBy: { seq: "asc" }, select: { objectType: true, objectId: true, after: true } });
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows[0]).toMatchObject({ objectType: "connector", objectId: connectorId, after: expect.objectContaining({ method: "SCIM", connected: true, unsavedSettings: false }) });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(scim.token);
    expect(text).not.toContain("wrong-token");
  });

  it("is refused to someone who is not an admin", async () => {
    const erin = createCaller({ db: demo.db, actor: await demo.actor("erin") });
    await expect(erin.admin.testConnector({ appId, connectorId, method: "SCIM" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
