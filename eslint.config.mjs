import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// The layers: pages (app/), procedures (server/api/) and background functions
// (inngest/functions/) are the doors; they call the domain (server/<area>/), which alone holds the
// database. Data flows down from the doors and never climbs back up. Tests may reach anything they need.
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "e2e/**", "test/**"];

const noDatabase = {
  group: ["@/server/db", "**/server/db", "@/generated/**", "**/generated/**", "@prisma/*"],
  message: "Pages, procedures and background functions call domain functions in server/<area>; only the domain touches the database.",
};
const [APP, API, FUNCTIONS] = [["@/app/**"], ["@/server/api/**"], ["@/inngest/functions", "@/inngest/functions/**"]];
const noUp = (...groups) => ({
  group: groups.flat(),
  message: "app/, server/api/ and inngest/functions/ are entry points: nothing below them imports them. Move the shared piece down into server/<area>.",
});
// Every server module says so, so a client component that imports one fails the build instead of
// shipping server code (and secrets) to the browser.
const local = {
  rules: {
    "server-only": {
      meta: { type: "problem", messages: { missing: 'A server module starts with `import "server-only";` (browser-safe code lives in universal/).' } },
      create: (context) => ({
        Program(program) {
          const marked = program.body.some((node) => node.type === "ImportDeclaration" && node.source.value === "server-only");
          if (!marked) context.report({ node: program, messageId: "missing" });
        },
      }),
    },
  },
};

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "generated/", "prisma/migrations/", "test-results/", "playwright-report/", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      // As import-x's TypeScript preset: without these it parses no .ts file and finds no cycle.
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs", ".cjs"],
      "import-x/external-module-folders": ["node_modules", "node_modules/@types"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
      // The generated Prisma client is large and imports nothing of ours: not worth parsing for cycles.
      "import-x/ignore": ["node_modules", "/generated/"],
      // One `eslint .` outlives the default 30 s, after which every import would be resolved again.
      "import-x/cache": { lifetime: "∞" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Type-only imports are erased, so they cannot form a cycle at run time and are not counted.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "max-lines-per-function": ["warn", { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  // React lives in app/ only; the hooks rules (a compiler pass each) are half the lint time when run on the rest.
  { files: ["app/**/*.{ts,tsx}", "**/*.tsx"], plugins: { "react-hooks": reactHooks }, rules: reactHooks.configs.recommended.rules },
  { files: TESTS, rules: { "max-lines-per-function": "off" } },
  {
    files: ["server/**/*.{ts,tsx}"],
    ignores: ["server/api/**", ...TESTS],
    rules: restrict(noUp(APP, API, FUNCTIONS)),
  },
  {
    files: ["server/api/**/*.{ts,tsx}"],
    ignores: TESTS,
    rules: {
      ...restrict(noDatabase, noUp(APP, FUNCTIONS)),
      // Routers stay thin: ctx.db is handed to a domain function, never queried or opened as a transaction here.
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.type='MemberExpression'][object.property.name='db']", message: "Pass ctx.db to a domain function in server/<area>; queries and transactions live there." },
      ],
    },
  },
  { files: ["inngest/functions/**/*.{ts,tsx}", "inngest/plan-runner.ts"], ignores: TESTS, rules: restrict(noDatabase, noUp(APP, API)) },
  { files: ["server/**/*.ts"], ignores: [...TESTS, "**/*.d.ts"], plugins: { local }, rules: { "local/server-only": "error" } },
  { files: ["app/**/*.{ts,tsx}"], ignores: TESTS, rules: restrict(noDatabase) },
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly", console: "readonly", module: "writable" } } },
);
