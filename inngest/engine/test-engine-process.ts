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
  leaseMs: Number(env("ENGINE_LEASE_MS")),
  eventKey: env("ENGINE_EVENT_KEY"),
  quiet: true,
});
await engine.ready;
process.stdout.write("ready\n");
