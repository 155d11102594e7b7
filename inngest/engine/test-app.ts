import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { InngestFunction } from "inngest";
import { serve } from "inngest/node";
import type { Inngest } from "inngest";
import { vi } from "vitest";
import type { LocalEngine } from "./index";

// For the engine's tests: the SDK's real Node serve handler on a free port, like the app's /api/inngest.

export type TestApp = { url: string; close(): Promise<void> };

export async function serveTestApp(
  client: Inngest.Any,
  functions: InngestFunction.Any[],
  port = 0,
): Promise<TestApp> {
  const handler = serve({ client, functions });
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/api/inngest")) return handler(req, res);
    res.writeHead(404).end();
  });
  const listening = await listen(server, port);
  return {
    url: `http://127.0.0.1:${listening}/api/inngest`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on right now, so a client can be pointed at an engine before it starts. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server, 0);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** Keeps the SDK's own error logging (expected failures) out of the test output. */
export const silentLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** Counts calls by name, so tests can assert how often a step really ran. */
export function counters() {
  const counts = new Map<string, number>();
  return {
    bump: (name: string) => {
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      return n;
    },
    get: (name: string) => counts.get(name) ?? 0,
  };
}

/** Waits until the run a sent event started for `functionId` has ended, and returns its details. */
export async function endedRun(engine: LocalEngine, functionId: string, eventId?: string, timeout = 10_000) {
  return vi.waitFor(
    async () => {
      const run = (await engine.listRuns({ functionId })).find((r) => !eventId || r.eventId === eventId);
      if (!run || run.status === "RUNNING") throw new Error(`${functionId} has not ended`);
      const detail = await engine.getRun(run.id);
      if (!detail) throw new Error(`run ${run.id} vanished`);
      return detail;
    },
    { timeout, interval: 50 },
  );
}

/**
 * An engine in a child process (test-engine-process.ts) that a test can kill with SIGKILL. `env` takes
 * the ENGINE_* settings that file reads; resolves once the engine synced.
 */
export async function spawnEngineProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "test-engine-process.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`engine process exited with ${code}`)));
  });
  return child;
}

/** SIGKILL, and wait until the process is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}
