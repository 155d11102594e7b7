import "server-only";
import { parse } from "csv-parse/sync";
import { HR_CSV_COLUMNS, REQUIRED_CSV_COLUMNS, type HrCsvColumn } from "@/universal/lifecycle/inputs";
import type { HrRow } from "./record";

// The HR CSV upload: a header row naming the columns, then one person per row. Columns may come in any
// order; email and status are required. An empty cell clears that attribute (the name is kept).

export const MAX_CSV_ROWS = 5_000;

const FIELD: Record<HrCsvColumn, string> = {
  email: "email",
  name: "name",
  title: "title",
  department: "department",
  manager_email: "managerEmail",
  location: "location",
  employee_id: "employeeId",
  status: "status",
};

/** "Manager Email", "manager-email" and "managerEmail" all name manager_email. */
function normalizeHeader(header: string): string {
  return header
    .trim()
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

export interface ParsedHrCsv {
  rows: HrRow[];
  /** Header cells that are not columns of the format: ignored, and reported. */
  unknownColumns: string[];
  /** Rows that could not be read as a person (wrong number of cells), by line. */
  badRows: { line: number; message: string }[];
  /** Set when nothing can be applied: no header, a required column missing, a quote never closed. */
  fatal?: string;
}

export function parseHrCsv(text: string): ParsedHrCsv {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, record_delimiter: ["\r\n", "\n", "\r"], skip_empty_lines: true, relax_column_count: true, relax_quotes: true, trim: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const what = (error as Error).message.replace(/\s*at line \d+.*$/s, "").replace(/:.*$/s, "");
    return { rows: [], unknownColumns: [], badRows: [], fatal: `${line ? `Line ${line}: ` : ""}the file is not valid CSV (${what}). Check that every opening quote is closed, then upload it again.` };
  }
  const [header, ...body] = records;
  if (!header || header.record.every((cell) => cell === "")) {
    return { rows: [], unknownColumns: [], badRows: [], fatal: `The file is empty. Its first line must be a header naming the columns: ${HR_CSV_COLUMNS.join(",")}.` };
  }
  const names = header.record.map(normalizeHeader);
  const known = new Set<string>(HR_CSV_COLUMNS);
  const unknownColumns = header.record.filter((_, i) => !known.has(names[i]!));
  const repeated = names.filter((n, i) => known.has(n) && names.indexOf(n) !== i);
  if (repeated.length > 0) return { rows: [], unknownColumns, badRows: [], fatal: `Line 1: the column ${repeated[0]} appears twice in the header.` };
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    const looksLikeData = header.record.some((cell) => cell.includes("@"));
    return {
      rows: [],
      unknownColumns,
      badRows: [],
      fatal: looksLikeData
        ? `Line 1 must be a header naming the columns (${HR_CSV_COLUMNS.join(",")}), but it looks like a person's row.`
        : `Line 1: the header has no ${missing.join(" or ")} column. The columns are ${HR_CSV_COLUMNS.join(",")} (email and status are required).`,
    };
  }
  if (body.length > MAX_CSV_ROWS) return { rows: [], unknownColumns, badRows: [], fatal: `The file has ${body.length} rows; upload at most ${MAX_CSV_ROWS} at a time.` };

  const rows: HrRow[] = [];
  const badRows: ParsedHrCsv["badRows"] = [];
  for (const { record, info } of body) {
    // info.lines is where the record ends; a quoted value may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== names.length) {
      badRows.push({ line, message: `This row has ${record.length} value${record.length === 1 ? "" : "s"} but the header has ${names.length} columns: check for a missing or extra comma.` });
      continue;
    }
    const row: HrRow = { line };
    names.forEach((name, i) => {
      if (known.has(name)) row[FIELD[name as HrCsvColumn]] = record[i];
    });
    rows.push(row);
  }
  return { rows, unknownColumns, badRows };
}
