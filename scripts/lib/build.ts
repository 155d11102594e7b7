import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectDir } from "./local-settings";

const sources = ["app", "server", "inngest", "prisma/schema", "public", "next.config.mjs", "postcss.config.mjs", "instrumentation.ts", "package-lock.json", "tsconfig.json"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), s.mtimeMs);
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd: projectDir, stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
}

/** Generate the Prisma client; it is git-ignored and install scripts may not run, so do it here. */
export function generatePrismaClient() {
  run(process.execPath, [path.join(projectDir, "node_modules/prisma/build/index.js"), "generate"], { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" });
}

/** `next build` unless the last build is newer than every source file. */
export function buildIfStale(env: NodeJS.ProcessEnv) {
  const stampFile = path.join(projectDir, ".next", "portal-build-stamp");
  const newest = Math.max(...sources.map((s) => newestMtime(path.join(projectDir, s))));
  const built = existsSync(stampFile) ? Number(readFileSync(stampFile, "utf8")) : 0;
  if (existsSync(path.join(projectDir, ".next", "BUILD_ID")) && built >= newest) return false;
  run(process.execPath, [path.join(projectDir, "node_modules/next/dist/bin/next"), "build"], env);
  writeFileSync(stampFile, String(newest));
  return true;
}
