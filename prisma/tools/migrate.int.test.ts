import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "../../test/db";
import { dropDatabase, ensureDatabase } from "./databases";
import { diffSchema, migrateDatabase, migrationsDir } from "./migrate";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  client.on("error", () => {});
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe("migrateDatabase", () => {
  it("creates a table for every model in the schema", async () => {
    const { rows } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(rows.map((row) => row.name).sort()).toEqual([...(await modelTables()), "_prisma_migrations"].sort());
  });

  it("applies nothing the second time", async () => {
    expect(await migrateDatabase(database.url)).toEqual({ applied: [] });
  });

  it("records each migration with the sha256 of its migration.sql, as prisma migrate does", async () => {
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    const names = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const expected = await Promise.all(
      names.map(async (name) => ({
        migration_name: name,
        checksum: createHash("sha256")
          .update(await readFile(path.join(migrationsDir, name, "migration.sql")))
          .digest("hex"),
      })),
    );
    expect(rows).toEqual(expected);
  });

  it("applies each migration once when two runs race", async () => {
    const server = inject("databaseServerUrl");
    const name = `portal_t_${randomBytes(6).toString("hex")}`;
    const url = await ensureDatabase(server, name);
    try {
      const runs = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
      const applied = runs.flatMap((run) => run.applied).sort();
      const all = (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
      expect(applied).toEqual(all.map((entry) => entry.name).sort());
    } finally {
      await dropDatabase(server, name);
    }
  });

  it("lets the process exit as soon as it is done", async () => {
    // The engine leaves a 10 s timer behind (see loadEngineWasm); `npm run db:migrate` must not wait for it.
    const started = performance.now();
    await promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const { migrateDatabase } = await import(${JSON.stringify(path.join(import.meta.dirname, "migrate.ts"))});
       await migrateDatabase(${JSON.stringify(database.url)});`,
    ]);
    expect(performance.now() - started).toBeLessThan(8_000);
  });
});

describe("diffSchema", () => {
  it("finds prisma/migrations up to date with prisma/schema (else run npm run db:diff -- <name>)", async () => {
    expect(await diffSchema(inject("databaseServerUrl"))).toBeNull();
  });
});

/** Table names of the models in prisma/schema: the model name, or its @@map. */
async function modelTables(): Promise<string[]> {
  const schemaDir = path.resolve(import.meta.dirname, "../schema");
  const files = (await readdir(schemaDir)).filter((file) => file.endsWith(".prisma"));
  const tables: string[] = [];
  for (const file of files) {
    let model: string | undefined;
    for (const line of (await readFile(path.join(schemaDir, file), "utf8")).split("\n")) {
      model = /^model\s+(\w+)/.exec(line)?.[1] ?? model;
      const mapped = /^\s*@@map\("([^"]+)"\)/.exec(line)?.[1];
      if (model && (mapped || line.startsWith("}"))) {
        tables.push(mapped ?? model);
        model = undefined;
      }
    }
  }
  return tables;
}
