import { parseArgs } from "node:util";
import { startScimServer } from "@/dev/scim-server";

// Starts an in-memory SCIM 2.0 target app for the demo and manual testing:
//   tsx scripts/scim-target.ts [port] [--token T] [--group "Engineering"]... [--host H]
// Port, token and groups may also come from SCIM_TARGET_PORT, SCIM_TARGET_TOKEN and SCIM_TARGET_GROUPS (comma list).

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    token: { type: "string" },
    group: { type: "string", multiple: true },
    host: { type: "string" },
  },
});

const portText = positionals[0] ?? process.env.SCIM_TARGET_PORT ?? "4010";
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Invalid port "${portText}": pass a number from 0 to 65535 (0 picks a free port).`);
  process.exit(1);
}

const groups = values.group ?? (process.env.SCIM_TARGET_GROUPS ?? "").split(",").map((g) => g.trim()).filter(Boolean);
const target = await startScimServer({
  port,
  host: values.host ?? process.env.SCIM_TARGET_HOST,
  token: values.token ?? process.env.SCIM_TARGET_TOKEN ?? "scim-demo-token",
  groups,
});

const origin = new URL(target.baseUrl).origin;
console.log(`SCIM target listening at ${target.baseUrl}`);
console.log(`Bearer token: ${target.token}`);
console.log(`Faults: POST ${origin}/_faults {"kind":"unavailable"|"rateLimited"|"hang"|"conflict","times":1} or {"down":true}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void target.stop().then(() => process.exit(0)));
}
