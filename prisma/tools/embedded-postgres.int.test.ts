import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres } from "./embedded-postgres";

// One throwaway cluster for the whole file (initialising one takes about a second).
const dataDir = path.resolve(import.meta.dirname, `../../.data/tmp/pg-${randomBytes(4).toString("hex")}`);

afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("startEmbeddedPostgres", () => {
  it("starts with its data inside a private folder (mode 700, as mktemp -d makes them)", async () => {
    const privateDir = await mkdtemp(path.join(tmpdir(), "portal-private-"));
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    const server = await startEmbeddedPostgres({ dataDir: path.join(privateDir, "pg"), port: await freePort() });
    try {
      const client = new pg.Client({ connectionString: server.baseUrl });
      await client.connect();
      expect((await client.query("SELECT 1 AS one")).rows[0]).toEqual({ one: 1 });
      await client.end();
    } finally {
      await server.stop();
      await rm(privateDir, { recursive: true, force: true });
    }
  });

  it("keeps data across a stop and a start", async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    await query(first.baseUrl, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(await query(second.baseUrl, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
    } finally {
      await second.stop();
    }
  });

  it("reuses the server left running by a SIGKILLed process, and can stop it", async () => {
    const port = await freePort();
    // A separate node process starts the server and is killed without a chance to stop it.
    const child = execFile(process.execPath, [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const { startEmbeddedPostgres } = await import(${JSON.stringify(path.join(import.meta.dirname, "embedded-postgres.ts"))});
       await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} });
       console.log("started");`,
    ]);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("started") && resolve());
      child.on("exit", (code) => reject(new Error(`starter exited with ${code}`)));
    });
    child.kill("SIGKILL");

    const adopted = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    expect(new URL(adopted.baseUrl).port).toBe(String(port));
    expect(await query(adopted.baseUrl, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
    await adopted.stop();
    await expect(query(adopted.baseUrl, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("starts despite a stale postmaster.pid (dead pid, or a pid now used by another program)", async () => {
    for (const pid of [4_194_305 /* above any pid_max */, process.pid]) {
      await writeFile(path.join(dataDir, "postmaster.pid"), `${pid}\n${dataDir}\n0\n54399\n\n127.0.0.1\n`);
      const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
      try {
        expect(await query(server.baseUrl, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
      } finally {
        await server.stop();
      }
    }
  });
});

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    const results = await client.query(sql);
    return (Array.isArray(results) ? results.at(-1) : results).rows;
  } finally {
    await client.end();
  }
}
