import { startLocalEngine } from "./index";

// An engine in its own process, so the restart tests can kill it with SIGKILL (a crash, not a stop).

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const engine = await startLocalEngine({
  databaseUrl: env("ENGINE_DATABASE_URL"),
  appUrl: env("ENGINE_APP_URL"),
  port: Number(env("ENGINE_PORT")),
  // Unset: the engine's default lease.
  ...(process.env.ENGINE_LEASE_MS ? { leaseMs: Number(process.env.ENGINE_LEASE_MS) } : {}),
  ...(process.env.ENGINE_SIGNING_KEY ? { signingKey: process.env.ENGINE_SIGNING_KEY } : {}),
  ...(process.env.ENGINE_CONCURRENCY ? { concurrency: Number(process.env.ENGINE_CONCURRENCY) } : {}),
  ...(process.env.ENGINE_BACKOFF_MS ? { backoffBaseMs: Number(process.env.ENGINE_BACKOFF_MS) } : {}),
  eventKey: env("ENGINE_EVENT_KEY"),
  quiet: true,
});
await engine.ready;
process.stdout.write("ready\n");
