"use client";
import Link from "next/link";
import type { RouterOutputs } from "@/app/_trpc/client";

// One audit row for reading: a sentence with its object (and request) as links, the change field by
// field, and the raw JSON folded away.

export type AuditRow = RouterOutputs["audit"]["search"][number];
type Named = AuditRow["subject"];

/** An object by name, linked to its page when it has one. */
function ObjectName({ named }: { named: Named }) {
  if (!named.href) return <span className="break-words font-medium">{named.label}</span>;
  return (
    <Link href={named.href} className="break-words font-medium text-indigo-700 hover:underline" data-testid={`audit-link-${named.type}`}>
      {named.label}
    </Link>
  );
}

/** "Maya Chen denied request for GitHub / Developers by Erin Walsh", with the action's code under it for filtering. */
export function AuditSentence({ row: r }: { row: AuditRow }) {
  return (
    <div data-testid="audit-sentence">
      <p>
        <span className="font-medium">{r.actor ?? "The portal"}</span> {r.verb} <ObjectName named={r.subject} />
      </p>
      {r.request && (
        <p className="mt-0.5 text-xs text-slate-600">
          On <ObjectName named={r.request} />
        </p>
      )}
      <code className="mt-1 inline-block break-all text-xs text-slate-500" data-testid="audit-action">{r.action}</code>
    </div>
  );
}

/** The change field by field: "status: PENDING_APPROVAL → DENIED", added and removed fields labelled in words. */
export function AuditChange({ row: r }: { row: AuditRow }) {
  return (
    <div className="text-xs text-slate-700">
      {r.reason && <p className="mb-1 text-sm text-slate-800">“{r.reason}”</p>}
      {r.changes.length > 0 && (
        <ul className="space-y-0.5" aria-label="Changes" data-testid="audit-diff">
          {r.changes.map((c) => (
            <li key={c.field} className="break-words" data-testid="audit-diff-field">
              <span className="font-medium text-slate-900">{c.field}</span>
              {": "}
              {c.change === "changed" && (
                <>
                  <del className="text-slate-500">{c.before}</del> <span aria-hidden="true">→</span>
                  <span className="sr-only">changed to</span> <ins className="no-underline">{c.after}</ins>
                </>
              )}
              {c.change === "added" && (
                <>
                  <ins className="no-underline">{c.after}</ins>
                  {/* On a row that creates its object every field is new: the word would only repeat. */}
                  {r.before != null && <> <span className="rounded bg-emerald-50 px-1 text-emerald-800 ring-1 ring-inset ring-emerald-200">added</span></>}
                </>
              )}
              {c.change === "removed" && (
                <>
                  <del className="text-slate-500">{c.before}</del> <span className="rounded bg-rose-50 px-1 text-rose-800 ring-1 ring-inset ring-rose-200">removed</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {(r.before != null || r.after != null) && (
        <details className="mt-1">
          <summary className="cursor-pointer text-slate-500 hover:text-slate-800">Raw JSON</summary>
          {r.before != null && <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2">before: {JSON.stringify(r.before, null, 2)}</pre>}
          {r.after != null && <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2">after: {JSON.stringify(r.after, null, 2)}</pre>}
        </details>
      )}
    </div>
  );
}
