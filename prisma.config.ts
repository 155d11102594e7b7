import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// The native schema engine cannot be downloaded on our machines. Point the CLI at a stub so that
// `prisma generate` does not try; migrations use the WebAssembly engine (prisma/tools/migrate.ts).
const stub = path.join(import.meta.dirname, "prisma/tools/schema-engine-stub.cjs");
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(process.env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
});
