// The reconciliation bench's SCIM target, in a process of its own as a real target is: its work (answering
// a hundred pages of users) does not share the reconciler's thread, and the reconciler's memory is measured
// without the target's 100,000 accounts in it.
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { startScimServer } from "@/dev/scim-server";
import { projectDir } from "./local-settings";
import { fillTarget } from "./reconcile-bench-data";

const CHILD_FLAG = "RECONCILE_BENCH_TARGET";
const TOKEN = "bench-reconcile-token";

export type BenchTarget = { baseUrl: string; token: string; memberships: number; fillSeconds: number; pid: number; stop(): Promise<void> };

/** Starts the target in a child process, filled, and resolves once it answers. */
export async function startBenchTarget(): Promise<BenchTarget> {
  const child = spawn(process.execPath, [path.join(projectDir, "node_modules/tsx/dist/cli.mjs"), import.meta.filename], {
    cwd: projectDir,
    // Its stdin stays open while this process lives: the target stops when it ends, however this one ends.
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, [CHILD_FLAG]: "1" },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the bench's SCIM target exited (${code}) before it was ready`)));
  });
  lines.close();
  // `pid` is the target's own process, which tsx starts under the one spawned here.
  const ready = JSON.parse(first) as Omit<BenchTarget, "stop">;
  return {
    ...ready,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

if (process.env[CHILD_FLAG] === "1") {
  const scim = await startScimServer({ token: TOKEN });
  const t0 = performance.now();
  const { memberships } = fillTarget(scim);
  const fillSeconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ baseUrl: scim.baseUrl, token: scim.token, memberships, fillSeconds, pid: process.pid }));
  const stop = () => void scim.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.stdin.once("end", stop).resume();
}
