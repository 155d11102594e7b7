"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";
import type { StatusTone } from "@/universal/requests/status";

// Held mass revocations: an HR upload, a SCIM burst or a profile sync/rule change that would take access
// from more people than a threshold waits here. Nothing of it is revoked until an admin confirms;
// Confirm revokes exactly what is listed, Reject drops it.

const STATUS: Record<"HELD" | "CONFIRMED" | "REJECTED", { label: string; tone: StatusTone }> = {
  HELD: { label: "Waiting for a decision", tone: "waiting" },
  CONFIRMED: { label: "Confirmed", tone: "bad" },
  REJECTED: { label: "Rejected", tone: "neutral" },
};
const SOURCE: Record<string, string> = { csv: "HR CSV upload", scim: "SCIM provisioning", enrollment: "Access profile" };

export function RevocationHolds({ initialHoldId }: { initialHoldId: string | null }) {
  const holds = trpc.revocations.list.useQuery();
  const [selected, setSelected] = useState<string | null>(initialHoldId);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Held revocations</h1>
        <p className="mt-1 text-sm text-slate-600">
          When one upload, SCIM burst, sync or rule change would take access from more people than a threshold (10 people or 10 % of an app&apos;s or
          profile&apos;s holders, or the app&apos;s or profile&apos;s own setting), nothing is revoked: it waits here until an admin confirms or rejects it.
          People terminated one at a time are never held.
        </p>
      </div>
      <ErrorNote message={holds.error?.message} />
      {holds.data && holds.data.length === 0 && <p className="mt-10 text-center text-slate-500">No revocation has been held.</p>}
      {holds.data && holds.data.length > 0 && (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full table-fixed text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2.5 font-medium">What</th>
                <th className="w-28 px-4 py-2.5 font-medium">People</th>
                <th className="w-48 px-4 py-2.5 font-medium">Status</th>
                <th className="w-40 px-4 py-2.5 font-medium">Held</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {holds.data.map((h) => (
                <tr key={h.id} data-testid="hold-row" className={h.id === selected ? "bg-indigo-50/50" : undefined}>
                  <td className="px-4 py-3 align-top">
                    <button type="button" className="text-left font-medium text-indigo-700 hover:underline" onClick={() => setSelected(h.id)}>
                      {h.title}
                    </button>
                    <p className="mt-0.5 break-words text-xs text-slate-500">{h.reason}</p>
                  </td>
                  <td className="px-4 py-3 align-top text-slate-700">
                    {h.people} ({h.grants} grant{h.grants === 1 ? "" : "s"})
                  </td>
                  <td className="px-4 py-3 align-top">
                    <Badge {...STATUS[h.status]} />
                  </td>
                  <td className="px-4 py-3 align-top text-xs text-slate-600">{dateTime(h.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <HoldDetail id={selected} />}
    </div>
  );
}

function HoldDetail({ id }: { id: string }) {
  const utils = trpc.useUtils();
  const hold = trpc.revocations.byId.useQuery({ id });
  const [note, setNote] = useState("");
  const done = () => Promise.all([utils.revocations.list.invalidate(), utils.revocations.byId.invalidate({ id })]);
  const confirm = trpc.revocations.confirm.useMutation({ onSettled: done });
  const reject = trpc.revocations.reject.useMutation({ onSettled: done });
  const busy = confirm.isPending || reject.isPending;

  if (hold.error) return <ErrorNote message={hold.error.message} />;
  if (!hold.data) return null;
  const h = hold.data;
  const grants = h.items.reduce((n, i) => n + i.grants.length, 0);
  return (
    <Section title={`${SOURCE[h.source] ?? h.source}: ${h.title}`} testId="hold-detail">
      <p className="text-sm text-slate-700">{h.reason}</p>
      <p className="mt-1 text-xs text-slate-500">
        Held {dateTime(h.createdAt)}
        {h.decidedAt && ` · ${h.status === "CONFIRMED" ? "confirmed" : "rejected"} ${dateTime(h.decidedAt)}${h.decidedBy ? ` by ${h.decidedBy.name ?? h.decidedBy.email}` : ""}`}
      </p>
      <h3 className="mt-4 text-sm font-semibold">
        Who would lose what: {h.items.length} {h.items.length === 1 ? "person" : "people"}, {grants} grant{grants === 1 ? "" : "s"}
      </h3>
      <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
        {h.items.map((item) => (
          <li key={item.id} className="px-3 py-2" data-testid="hold-item">
            <p className="font-medium">
              {item.person.name ?? item.person.email} <span className="font-normal text-slate-500">{item.person.email}</span>
              <span className="ml-2 text-xs text-slate-500">{item.kind === "termination" ? "leaves the organisation" : "unenrolled from the profile"}</span>
            </p>
            <p className="mt-0.5 text-slate-700">{item.grants.map((g) => `${g.app} / ${g.entitlement}${g.status === "PROVISIONED" ? "" : ` (${g.status.toLowerCase()})`}`).join(", ") || "no access left"}</p>
          </li>
        ))}
      </ul>
      {h.status === "HELD" && (
        <form className="mt-4 space-y-3" onSubmit={(e) => e.preventDefault()}>
          <div>
            <label htmlFor="hold-note" className={labelClass}>Note for the audit trail (optional)</label>
            <input id="hold-note" className={inputClass} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="flex gap-2">
            <button type="button" className={buttonVariants.bad} disabled={busy} onClick={() => confirm.mutate({ id, note: note || undefined })}>
              Confirm: revoke exactly this
            </button>
            <button type="button" className={buttonVariants.secondary} disabled={busy} onClick={() => reject.mutate({ id, note: note || undefined })}>
              Reject: revoke nothing
            </button>
          </div>
        </form>
      )}
      <ErrorNote message={confirm.error?.message ?? reject.error?.message} />
      {confirm.data && (
        <p className="mt-3 text-sm" role="status">
          Confirmed: {confirm.data.grantsRevoked} grant{confirm.data.grantsRevoked === 1 ? "" : "s"} of {confirm.data.people} people are being revoked.
        </p>
      )}
      {reject.data && <p className="mt-3 text-sm" role="status">Rejected: nothing was revoked.</p>}
    </Section>
  );
}
