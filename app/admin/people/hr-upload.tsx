"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useId, useRef, useState } from "react";
import { Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { labelClass } from "@/app/_components/ui/classes";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { trpc } from "@/app/_trpc/client";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { AppRouter } from "@/server/api/root";
import { HR_CSV_COLUMNS, importCsvInput, MAX_CSV_BYTES } from "@/universal/lifecycle/inputs";
import type { StatusTone } from "@/universal/requests/status";

type Report = inferRouterOutputs<AppRouter>["people"]["importCsv"];
type Outcome = Report["rows"][number]["outcome"];

const COLUMN_HELP: Record<(typeof HR_CSV_COLUMNS)[number], string> = {
  email: "Work email: who the row is about (required).",
  name: "Full name. Left empty, the name stays as it is.",
  title: "Job title.",
  department: "Department; a new name creates the department.",
  manager_email: "The manager's work email. They may be a row further down the same file.",
  location: "Office or city.",
  employee_id: "HR's id. When it matches someone, the row is about them (a new email renames them).",
  status: "active, leave or terminated (required). Leave suspends their accounts; terminated revokes all their access.",
};

export const OUTCOME: Record<Outcome, { label: string; tone: StatusTone }> = {
  created: { label: "Joined", tone: "good" },
  updated: { label: "Updated", tone: "working" },
  unchanged: { label: "Unchanged", tone: "neutral" },
  terminated: { label: "Terminated", tone: "bad" },
  held: { label: "Held for an admin", tone: "waiting" },
  error: { label: "Error", tone: "bad" },
};

type ReportRow = Report["rows"][number];

const REPORT_COLUMNS: Column<ReportRow>[] = [
  { id: "line", header: "Line", sortBy: (row) => row.line, className: "sm:w-16 text-slate-500", cell: (row) => row.line },
  { id: "person", header: "Person", sortBy: (row) => row.email ?? undefined, className: "sm:w-64 break-all", cell: (row) => row.email ?? "—" },
  { id: "result", header: "Result", sortBy: (row) => OUTCOME[row.outcome].label, className: "sm:w-40", cell: (row) => <Badge {...OUTCOME[row.outcome]} /> },
  { id: "message", header: "What happened", className: "text-slate-700", cell: (row) => row.message },
];

/** The HR CSV upload: a file, the columns it must have, and the per-row report of what was applied. */
export function HrUpload() {
  const fileId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const utils = trpc.useUtils();
  const upload = trpc.people.importCsv.useMutation({ onSuccess: () => utils.people.list.invalidate() });
  const serverProblem = fieldErrorsOf(upload.error)?.csv?.[0];

  async function submit() {
    upload.reset();
    const file = input.current?.files?.[0];
    if (!file) return setProblem("Choose a CSV file to upload.");
    if (file.size > MAX_CSV_BYTES) return setProblem("The file is larger than 5 MB: split it and upload the parts.");
    const parsed = importCsvInput.safeParse({ csv: await file.text() });
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message);
    setProblem(undefined);
    upload.mutate(parsed.data);
  }

  return (
    <Section title="Upload HR CSV" testId="hr-upload">
      <p className="text-sm text-slate-600">
        One person per row, after a header row naming the columns (in any order). Each row is applied on its own: new people join, changed attributes
        move them (their manager is told and their access recomputed), and status changes start a leave, a return or a termination. A bad row is reported
        and skipped; the others still apply. An empty cell clears that attribute.
      </p>
      {/* Folded: on a phone the reference alone is a screen and a half above the people list. */}
      <details className="mt-3 text-sm" data-testid="csv-help">
        <summary className="cursor-pointer font-medium text-indigo-700 hover:underline">The {HR_CSV_COLUMNS.length} columns, and an example</summary>
        <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]" data-testid="csv-columns">
          {HR_CSV_COLUMNS.map((column) => (
            <div key={column} className="contents">
              <dt className="font-mono text-xs leading-6 text-slate-800">{column}</dt>
              <dd className="text-slate-600">{COLUMN_HELP[column]}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-xs text-slate-500">
          Example: <code className="break-all rounded bg-slate-100 px-1 text-slate-700">{HR_CSV_COLUMNS.join(",")}</code> then{" "}
          <code className="break-all rounded bg-slate-100 px-1 text-slate-700">dana@example.com,Dana Fox,Data Engineer,Data,maya@example.com,Lisbon,E-1001,active</code>
        </p>
      </details>
      <form
        className="mt-4 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div>
          <label htmlFor={fileId} className={labelClass}>HR CSV file</label>
          <input
            id={fileId}
            ref={input}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFileName(e.target.files?.[0]?.name ?? null);
              setProblem(undefined);
              upload.reset();
            }}
            className="mt-1 block text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-50"
          />
          <FieldError messages={problem ?? serverProblem} />
        </div>
        <Button type="submit" isDisabled={upload.isPending}>
          {upload.isPending ? "Applying…" : "Upload and apply"}
        </Button>
      </form>
      {!serverProblem && <FormErrors error={upload.error} shown={["csv"]} />}
      {upload.data && <UploadReport report={upload.data} fileName={fileName} />}
    </Section>
  );
}

function UploadReport({ report, fileName }: { report: Report; fileName: string | null }) {
  const { counts } = report;
  const summary = [
    counts.created && `${counts.created} joined`,
    counts.updated && `${counts.updated} updated`,
    counts.terminated && `${counts.terminated} terminated`,
    counts.held && `${counts.held} terminations held for an admin's confirmation (Held revocations)`,
    counts.unchanged && `${counts.unchanged} unchanged`,
    counts.error && `${counts.error} with errors`,
  ].filter(Boolean);
  return (
    <div className="mt-5" data-testid="upload-report">
      <p className="text-sm font-medium" role="status">
        {fileName ? `${fileName}: ` : ""}
        {summary.join(", ") || "nothing to apply"}.
      </p>
      {report.unknownColumns.length > 0 && (
        <p className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" data-testid="unknown-columns">
          Ignored unknown column{report.unknownColumns.length === 1 ? "" : "s"} on line 1: {report.unknownColumns.map((c) => `“${c}”`).join(", ")}. The columns are{" "}
          {HR_CSV_COLUMNS.join(", ")}.
        </p>
      )}
      <div className="mt-3">
        <DataTable
          label="Rows of the upload"
          rows={report.rows}
          rowId={(row) => `${row.line}-${row.email}`}
          rowTestId="report-row"
          columns={REPORT_COLUMNS}
          pageSize={50}
          empty="The file has no rows after its header."
        />
      </div>
    </div>
  );
}
