import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
} from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaContainer, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { dropDatabase, ensureDatabase } from "./databases";

// The project's migration runner. Prisma's native schema engine cannot be installed on our machines,
// so `prisma migrate` is replaced by Prisma's own engine compiled to WebAssembly, talking to Postgres
// through @prisma/adapter-pg. It reads and writes the same files and `_prisma_migrations` table.

const prismaDir = path.resolve(import.meta.dirname, "..");
export const migrationsDir = path.join(prismaDir, "migrations");
const schemaDir = path.join(prismaDir, "schema");
export const lockfileName = "migration_lock.toml";

const noFilters = { externalTables: [], externalEnums: [] };

/** Applies the migrations in prisma/migrations that the database has not run yet. */
export async function migrateDatabase(connectionString: string): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrations();
  return withEngine(connectionString, async (engine) => {
    // The engine holds a Postgres advisory lock until its connections close, so concurrent runs queue.
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return { applied: appliedMigrationNames };
  });
}

/**
 * The SQL that takes a database from the migrations folder to the schema folder, or null when they match.
 * Replaying the migrations needs a scratch ("shadow") database on a server: `serverUrl` names any database
 * there; the shadow is created beside it and dropped afterwards.
 */
export async function diffSchema(serverUrl = process.env.DATABASE_URL): Promise<string | null> {
  if (!serverUrl) throw new Error("diffSchema needs a Postgres server: pass its URL or set DATABASE_URL.");
  const [migrationsList, files] = await Promise.all([readMigrations(), readSchemaFiles()]);
  return withEngine(serverUrl, async (engine) => {
    const { exitCode, stdout } = await engine.diff({
      // The engine needs migration_lock.toml to read a migrations folder, which a new project lacks.
      from: migrationsList.migrationDirectories.length ? { tag: "migrations", ...migrationsList } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    // With `exitCode: true` the engine answers 2 when there is a difference, 0 when there is none.
    return exitCode === 2 ? stdout : null;
  });
}

async function readMigrations(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(ifMissing([]));
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const value = await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8");
      return { path: name, migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value } } };
    }),
  );
  const lockfile = await readFile(path.join(migrationsDir, lockfileName), "utf8").catch(ifMissing(null));
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockfileName, content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

async function readSchemaFiles(): Promise<SchemaContainer[]> {
  const names = (await readdir(schemaDir, { recursive: true })).filter((name) => name.endsWith(".prisma")).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(schemaDir, name);
      return { path: file, content: await readFile(file, "utf8") };
    }),
  );
}

function ifMissing<T>(fallback: T) {
  return (error: unknown): T => {
    if ((error as { code?: string }).code === "ENOENT") return fallback;
    throw error;
  };
}

async function withEngine<T>(connectionString: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const [files] = await Promise.all([readSchemaFiles(), loadEngineWasm()]);
  const adapters = new EngineAdapters(connectionString);
  try {
    const engine = await engineBindings.SchemaEngine.new(
      { datamodels: files.map((file): [string, string] => [file.path, file.content]) },
      logEngineProblems,
      bindMigrationAwareSqlAdapterFactory(adapters),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    await adapters.dispose();
  }
}

// The engine logs one JSON object per line; INFO chatter stays quiet, problems are shown.
function logEngineProblems(line: string): void {
  const entry = JSON.parse(line) as { level?: string; fields?: { message?: string } };
  if (entry.level === "WARN" || entry.level === "ERROR") {
    console.warn(`schema engine ${entry.level.toLowerCase()}: ${entry.fields?.message ?? line}`);
  }
}

// One WebAssembly instance per process, shared by every engine: wasm-bindgen's glue module keeps it in a
// module variable. Compiling and instantiating take ~40 ms.
let engineWasm: Promise<void> | undefined;

declare global {
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

function loadEngineWasm(): Promise<void> {
  // The engine reports a Rust panic here right before it traps (which ends the process); without a
  // registry the message is lost behind "Cannot read properties of undefined (reading 'set_message')".
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message) => console.error(`Prisma schema engine panicked: ${message}`),
  };
  engineWasm ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const module = await WebAssembly.compile(await readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm")));
    // The engine never cancels a timer (its glue imports no clearTimeout), so e.g. the 10 s timeout it
    // sets around taking the migration lock would keep the process alive for 10 s after the work is done.
    const glueImports: Record<string, unknown> = { ...engineBindings };
    for (const name of Object.keys(glueImports).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
      glueImports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const imports = { "./schema_engine_bg.js": glueImports } as WebAssembly.Imports;
    const instance = await WebAssembly.instantiate(module, imports);
    // wasm-bindgen's glue: hand it the instance, then run the module's start function.
    (engineBindings as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm(
      instance.exports,
    );
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  })();
  engineWasm.catch(() => (engineWasm = undefined));
  return engineWasm;
}

/**
 * The driver adapters handed to the engine: PrismaPg over pools we own, with fixes for
 * @prisma/adapter-pg 7.10 bugs the engine runs into.
 */
class EngineAdapters implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly pools: pg.Pool[] = [];
  private readonly shadowDatabases: string[] = [];

  constructor(private readonly connectionString: string) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.adapterFor(this.connectionString);
  }

  // adapter-pg's own version spreads `{ ...config, database }`, but a connection string wins over
  // `database`, so its "shadow" would be the real database. Create and connect to a real one instead.
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    this.shadowDatabases.push(name);
    return this.adapterFor(await ensureDatabase(this.connectionString, name));
  }

  async dispose(): Promise<void> {
    // Our connections go first, so dropping a shadow database cuts off no one mid-query.
    await Promise.all(this.pools.splice(0).map((pool) => pool.end()));
    await Promise.all(this.shadowDatabases.splice(0).map((name) => dropDatabase(this.connectionString, name)));
  }

  private async adapterFor(connectionString: string): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString });
    this.pools.push(pool);
    // A connection dropped while idle (e.g. the server restarting) is not worth crashing the process.
    pool.on("error", () => {});
    const adapter = await new PrismaPg(pool).connect();
    readCharColumns(adapter);
    // adapter-pg splits scripts on every ";" (breaking semicolons in strings, comments and function
    // bodies) and sends the pieces separately. One simple-protocol query runs the whole migration
    // as a single implicit transaction instead, as the native engine does.
    // Errors go through adapter-pg's own conversion, so the engine can word them (it shows a bare
    // "External error id#0" for anything else).
    const { onError } = adapter as unknown as { onError(error: unknown): never };
    adapter.executeScript = async (script) => {
      await pool.query(script).catch((error: unknown) => onError.call(adapter, error));
    };
    return adapter;
  }
}

const charOid = 18;
const textOid = 25;

/**
 * The engine's catalog queries return Postgres' internal "char" type (e.g. pg_constraint.contype, which
 * on Postgres 18 also lists NOT NULL constraints) and read it as a character. adapter-pg 7.10 rejects
 * the type ("could not be deserialized"), and reporting it as text makes the engine panic instead.
 * So: let adapter-pg read it as text, then label those columns Character. The two steps meet through
 * the rows array, which adapter-pg passes on unchanged.
 */
function readCharColumns(queryable: SqlQueryable & Partial<Pick<SqlDriverAdapter, "startTransaction">>): void {
  // performIO is adapter-pg's (private) single place where pg results come in.
  const internals = queryable as unknown as { performIO(query: SqlQuery): Promise<pg.QueryArrayResult> };
  const performIO = internals.performIO.bind(queryable);
  const charColumns = new WeakMap<unknown[], number[]>();
  internals.performIO = async (query) => {
    const result = await performIO(query);
    const indexes = result.fields.flatMap((field, index) => (field.dataTypeID === charOid ? [index] : []));
    if (indexes.length > 0) {
      for (const index of indexes) result.fields[index]!.dataTypeID = textOid;
      charColumns.set(result.rows, indexes);
    }
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumns.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  const startTransaction = queryable.startTransaction?.bind(queryable);
  if (startTransaction) {
    queryable.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      readCharColumns(transaction);
      return transaction;
    };
  }
}
