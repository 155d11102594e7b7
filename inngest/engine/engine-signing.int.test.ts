import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, startLocalEngine } from "./index";
import { endedRun, freePort, serveTestApp, silentLogger, type TestApp } from "./test-app";

// With a signing key the app's serve handler runs in the SDK's cloud mode: it accepts only calls
// signed with that key. The engine signs its calls, so it can run the functions and nobody else can.

const signingKey = `signkey-test-${"ab12".repeat(16)}`;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: TestApp;
let engine: LocalEngine;
let inngest: Inngest;
const seen: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const port = await freePort();
  inngest = new Inngest({ id: "signed-test", isDev: false, signingKey, eventKey: "local", baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
  const fn = inngest.createFunction({ id: "greet", triggers: [{ event: "test/greet" }] }, async ({ event, step }) =>
    step.run("remember", () => {
      seen.push(String(event.data.name));
      return `hello ${String(event.data.name)}`;
    }),
  );
  app = await serveTestApp(inngest, [fn]);
  engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, signingKey, eventKey: "local", backoffBaseMs: 50, quiet: true });
  await engine.ready;
});

afterAll(async () => {
  await engine?.stop();
  await app?.close();
  await database?.drop();
});

describe("a signed app", () => {
  it("runs the engine's signed calls", async () => {
    const { ids } = await inngest.send({ name: "test/greet", data: { name: "Ada" } });
    const run = await endedRun(engine, "signed-test-greet", ids[0]);
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBe("hello Ada");
    expect(seen).toEqual(["Ada"]);
  });

  it("refuses a call without a valid signature", async () => {
    const body = JSON.stringify({ version: 2, event: { name: "test/greet", data: { name: "Mallory" } }, events: [], steps: {}, ctx: { run_id: "x", attempt: 0 } });
    const unsigned = await fetch(`${app.url}?fnId=signed-test-greet&stepId=step`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(unsigned.status).toBe(401);
    const forged = await fetch(`${app.url}?fnId=signed-test-greet&stepId=step`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-signature": `t=${Math.floor(Date.now() / 1000)}&s=${"0".repeat(64)}` },
      body,
    });
    expect(forged.status).toBe(401);
    expect(seen).not.toContain("Mallory");
  });

  it("cannot be synced by an engine with another key", async () => {
    const other = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port: 0, signingKey: `signkey-test-${"cd34".repeat(16)}`, eventKey: "local", quiet: true });
    try {
      await expect(other.sync()).rejects.toThrow(/401/);
    } finally {
      await other.stop();
    }
  });
});
