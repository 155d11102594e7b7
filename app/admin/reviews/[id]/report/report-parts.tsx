import type { inferRouterOutputs } from "@trpc/server";
import type { ReactNode } from "react";
import { ExactDate } from "@/app/_components/when";
import type { AppRouter } from "@/server/api/root";

type Item = inferRouterOutputs<AppRouter>["reviews"]["campaign"]["items"][number];

const decisionText = (i: Item): ReactNode =>
  i.decision === "PENDING" ? "Not decided" : i.decision === "KEEP" ? "Keep" : i.decision === "REVOKE" ? "Revoke" : i.keepUntil ? <>Keep until <ExactDate date={i.keepUntil} /></> : "Keep until a date";

const whoDecided = (i: Item) => (i.decidedBy ? (i.decidedBy.name ?? i.decidedBy.email) : i.decidedAt ? "The due-date rule" : "—");

const cell = "block px-0 py-0.5 align-top sm:table-cell sm:px-2 sm:py-1.5 print:table-cell print:px-1.5 print:py-1";
const th = "px-2 py-1.5 font-medium";
/** On a phone each row is a card: its values say what they are. */
const labelled = "max-sm:before:mr-1.5 max-sm:before:text-xs max-sm:before:font-medium max-sm:before:uppercase max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)]";

/** One reviewer's page: every item they had, with its decision, reason, time and who decided. */
export function ReviewerSection({ items, first: isFirst }: { items: Item[]; first: boolean }) {
  const first = items[0]!;
  const done = items.filter((i) => i.decision !== "PENDING").length;
  return (
    <section className={isFirst ? "" : "print:break-before-page"} data-testid="report-reviewer">
      <h2 className="break-words text-lg font-semibold">
        {first.reviewer.name ?? first.reviewer.email} <span className="text-sm font-normal text-slate-500">{first.reviewer.email}</span>
      </h2>
      <p className="text-sm text-slate-600">{done} of {items.length} decided</p>
      <table className="mt-2 w-full text-left text-sm max-sm:block print:table">
        <thead className="border-b border-slate-300 text-xs uppercase tracking-wide text-slate-500 max-sm:hidden print:table-header-group">
          <tr>
            <th className={th}>Person</th>
            <th className={th}>Access</th>
            <th className={th}>Decision</th>
            <th className={th}>Reason</th>
            <th className={th}>When</th>
            <th className={th}>By</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block print:table-row-group">
          {items.map((i) => (
            <tr key={i.id} className="block py-2 break-inside-avoid sm:table-row sm:py-0 print:table-row" data-testid="report-item">
              <td className={`${cell} font-medium`}>{i.snapshot.person.name}</td>
              <td className={`${cell} break-words`}>{i.snapshot.access.app} / {i.snapshot.access.name}</td>
              <td className={`${cell} ${labelled}`} data-label="Decision">{decisionText(i)}</td>
              <td className={`${cell} ${labelled} break-words text-slate-700 ${i.reason ? "" : "max-sm:hidden"}`} data-label="Reason">{i.reason ?? ""}</td>
              <td className={`${cell} ${labelled} text-slate-600`} data-label="When">{i.decidedAt ? <ExactDate date={i.decidedAt} withTime /> : "—"}</td>
              <td className={`${cell} ${labelled} text-slate-600`} data-label="By">{whoDecided(i)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Every revoke and when the access was really gone from its app. */
export function Revocations({ items }: { items: Item[] }) {
  return (
    <section className="print:break-before-page" data-testid="report-revocations">
      <h2 className="text-lg font-semibold">Revocations</h2>
      {items.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing was revoked.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 text-sm">
          {items.map((i) => (
            <li key={i.id} className="py-2 break-inside-avoid" data-testid="report-revocation">
              <p className="break-words font-medium">{i.snapshot.person.name}: {i.snapshot.access.app} / {i.snapshot.access.name}</p>
              <p className="text-slate-600">
                Revoked {i.decidedAt ? <ExactDate date={i.decidedAt} withTime /> : ""} by {whoDecided(i)}. {i.removal?.text}
                {i.removal?.at && <> on <ExactDate date={i.removal.at} withTime /></>}.
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
