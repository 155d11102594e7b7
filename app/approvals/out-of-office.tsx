"use client";
import { useState } from "react";
import { PersonField, type Person } from "@/app/_components/person-search";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";

const day = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });

/** Today in the viewer's time zone, as a date input writes it. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A date input's value as the start of that day where the viewer is; "" (so the server says what is missing) when empty. */
const startOfDay = (value: string): Date | string => (value ? new Date(`${value}T00:00`) : "");

/**
 * Out of office: while I am away, approvals that reach me go to someone I choose. Lists the
 * delegations I set up that are not over yet, and those where I decide for someone else.
 */
export function OutOfOffice() {
  const utils = trpc.useUtils();
  const delegations = trpc.approvals.delegations.useQuery(undefined, { refetchInterval: 60_000 });
  const [delegate, setDelegate] = useState<Person | null>(null);
  const [from, setFrom] = useState(today);
  const [back, setBack] = useState("");
  const [note, setNote] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  // Bumped after saving, to clear the person search.
  const [formKey, setFormKey] = useState(0);
  const create = trpc.approvals.delegate.useMutation({
    onSuccess: async () => {
      setSaved(`Your approvals go to ${delegate?.name ?? delegate?.email ?? "your delegate"} while you are away.`);
      setDelegate(null);
      setFrom(today());
      setBack("");
      setNote("");
      setFormKey((k) => k + 1);
      await utils.approvals.delegations.invalidate();
      await utils.approvals.inbox.invalidate();
    },
  });
  const cancel = trpc.approvals.cancelDelegation.useMutation({ onSuccess: () => utils.approvals.delegations.invalidate() });
  const fieldErrors = create.error?.data?.fieldErrors ?? null;
  const errorFor = (k: string) => fieldErrors?.[k]?.[0];
  /** A field's change handler: it takes the value and clears the errors of the last attempt. */
  const edit = (set: (value: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    if (create.error) create.reset();
  };
  const shown = Boolean(errorFor("delegateId") || errorFor("startsAt") || errorFor("endsAt") || errorFor("reason"));
  // "Active now" as of when the list was loaded.
  const now = delegations.dataUpdatedAt;

  return (
    <section className="mt-10 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="ooo-title" data-testid="out-of-office">
      <h2 id="ooo-title" className="text-lg font-semibold">Out of office</h2>
      <p className="mt-1 text-sm text-slate-600">
        While you are away, approvals that reach you go to someone you choose. Those already waiting for you move to them when your time away starts.
      </p>

      {delegations.error && <p className="mt-3 rounded-md bg-rose-50 p-2 text-sm text-rose-800">{delegations.error.message}</p>}
      {(delegations.data?.given.length ?? 0) > 0 && (
        <ul className="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm" aria-label="Your delegations">
          {delegations.data?.given.map((d) => {
            const active = d.startsAt.getTime() <= now;
            return (
              <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2" data-testid="delegation">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${active ? "bg-amber-50 text-amber-800" : "bg-slate-100 text-slate-600"}`}>
                  {active ? "Active now" : "Upcoming"}
                </span>
                <span>
                  <span className="font-medium">{d.delegate.name ?? d.delegate.email}</span> decides for you from {day(d.startsAt)}, you are back on {day(d.endsAt)}
                </span>
                {d.reason && <span className="text-slate-500">— {d.reason}</span>}
                <button
                  type="button"
                  onClick={() => cancel.mutate({ id: d.id })}
                  disabled={cancel.isPending}
                  className={`ml-auto ${buttonVariants.secondary}`}
                  aria-label={`Cancel the delegation to ${d.delegate.name ?? d.delegate.email}`}
                >
                  Cancel
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {cancel.error && <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{cancel.error.message}</p>}

      <form
        className="mt-4 space-y-3"
        aria-label="Set out of office"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          create.mutate({ delegateId: delegate?.id ?? "", startsAt: startOfDay(from), endsAt: startOfDay(back), reason: note });
        }}
      >
        <PersonField
          key={formKey}
          id="ooo-delegate"
          label="Delegate to"
          includeMe={false}
          value={delegate}
          onChange={(p) => {
            setDelegate(p);
            create.reset();
          }}
          error={errorFor("delegateId")}
        />
        <div className="grid gap-3 sm:grid-cols-3">
          <div>
            <label htmlFor="ooo-from" className={labelClass}>First day away</label>
            <input id="ooo-from" type="date" value={from} onChange={edit(setFrom)} className={`mt-1 ${inputClass}`} aria-invalid={Boolean(errorFor("startsAt"))} />
            {errorFor("startsAt") && <p className="mt-1 text-sm text-rose-700">{errorFor("startsAt")}</p>}
          </div>
          <div>
            <label htmlFor="ooo-back" className={labelClass}>Back on</label>
            <input id="ooo-back" type="date" value={back} min={from || undefined} onChange={edit(setBack)} className={`mt-1 ${inputClass}`} aria-invalid={Boolean(errorFor("endsAt"))} />
            {errorFor("endsAt") && <p className="mt-1 text-sm text-rose-700">{errorFor("endsAt")}</p>}
          </div>
          <div>
            <label htmlFor="ooo-note" className={labelClass}>Note (optional)</label>
            <input id="ooo-note" value={note} onChange={edit(setNote)} maxLength={200} placeholder="e.g. Holiday" className={`mt-1 ${inputClass}`} aria-invalid={Boolean(errorFor("reason"))} />
            {errorFor("reason") && <p className="mt-1 text-sm text-rose-700">{errorFor("reason")}</p>}
          </div>
        </div>
        {create.error && !shown && <p className="rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{create.error.message}</p>}
        {saved && <p className="rounded-md bg-emerald-50 p-2 text-sm text-emerald-800" role="status">{saved}</p>}
        <button disabled={create.isPending} className={buttonVariants.primary}>{create.isPending ? "Saving…" : "Set out of office"}</button>
      </form>

      {(delegations.data?.received.length ?? 0) > 0 && (
        <>
          <h3 className="mt-6 text-sm font-semibold text-slate-900">You decide for</h3>
          <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm" aria-label="Delegations to you">
            {delegations.data?.received.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2" data-testid="delegation">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${d.startsAt.getTime() <= now ? "bg-amber-50 text-amber-800" : "bg-slate-100 text-slate-600"}`}>
                  {d.startsAt.getTime() <= now ? "Active now" : "Upcoming"}
                </span>
                <span>
                  <span className="font-medium">{d.delegator.name ?? d.delegator.email}</span>&rsquo;s approvals come to you from {day(d.startsAt)} until {day(d.endsAt)}
                </span>
                {d.reason && <span className="text-slate-500">— {d.reason}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
