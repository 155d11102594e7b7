import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

// The fault suite's results table: each fault case records one row, and the suite prints them all at
// the end (test/faults/report.ts), as `npm run test:faults` promises.

export type FaultRow = {
  /** The fault injected, e.g. "kill -9 mid-provisioning". */
  case: string;
  /** Grants (or enrollments) the case drove. */
  grants: number;
  /** How many never reached their expected end state. */
  lost: number;
  /** Duplicate accounts, memberships, requests or tasks found on the target or in the portal. */
  doubled: number;
  /** From the fault's end (target, engine or database back) to the work done again; null when not applicable. */
  recoverMs: number | null;
  note?: string;
};

const file = path.resolve(import.meta.dirname, "../../.data/fault-results.jsonl");

export function recordFaultRow(row: FaultRow): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(row)}\n`);
}

export function resetFaultRows(): void {
  if (existsSync(file)) rmSync(file);
}

export function readFaultRows(): FaultRow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FaultRow);
}

export function formatFaultTable(rows: FaultRow[]): string {
  const header = ["case", "grants", "lost", "doubled", "time to recover", "note"];
  const body = rows.map((r) => [r.case, String(r.grants), String(r.lost), String(r.doubled), r.recoverMs === null ? "—" : `${(r.recoverMs / 1000).toFixed(1)} s`, r.note ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}
