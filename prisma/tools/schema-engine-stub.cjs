#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, which cannot be downloaded here.
// The CLI only needs it to exist for `generate`/`validate`/`format`; migrations run through
// the WebAssembly engine instead (prisma/tools/migrate.ts).
if (process.argv.includes("--version")) {
  console.log("schema-engine-cli 0.0.0-wasm-stub");
  process.exit(0);
}
console.error("The native Prisma schema engine is not installed. Use `npm run db:migrate` / `npm run db:diff`.");
process.exit(1);
