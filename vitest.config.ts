import path from "node:path";
import { defineConfig } from "vitest/config";

// `server-only` throws unless loaded under React's react-server condition, which Next.js sets for
// server code; tests run server code in plain Node, so they get the package's no-op entry.
const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

// Unit tests: `*.test.ts` beside the code, no database.
// Integration tests: `*.int.test.ts`, each file against its own freshly migrated database
// (see test/global-setup.ts and test/db.ts).
export default defineConfig({
  resolve: { alias },
  test: {
    // Vitest's default is one worker per core less one: a single worker on a two-core machine, idle while
    // its file waits on Postgres or the engine. Two halve the suite's time (8.5 → 5 min measured).
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{app,server,universal,dev,inngest,prisma,scripts}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{app,server,universal,dev,inngest,prisma,scripts}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        // Faults injected into the running stack (processes killed, the target or Postgres stopped):
        // `npm run test:faults`; each case records a row of the table printed at the end.
        test: {
          name: "faults",
          include: ["test/faults/**/*.fault.test.ts"],
          environment: "node",
          globalSetup: ["test/global-setup.ts", "test/faults/report.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
