"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { PersonField, type Person } from "@/app/_components/person-search";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { DateField, TextField } from "@/app/_components/ui/field";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import type { AppRouter } from "@/server/api/root";

/** Today in the viewer's time zone, as a date input writes it. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A date input's value as the start of that day where the viewer is; "" (so the server says what is missing) when empty. */
const startOfDay = (value: string): Date | string => (value ? new Date(`${value}T00:00`) : "");

type Delegations = inferRouterOutputs<AppRouter>["approvals"]["delegations"];

/** The out-of-office form's state: whom, from when, until when, why; saving clears it. */
function useDelegationForm() {
  const utils = trpc.useUtils();
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
  const fieldErrors = create.error?.data?.fieldErrors ?? null;
  const errorFor = (k: string) => fieldErrors?.[k]?.[0];
  /** A field's change handler: it takes the value and clears the errors of the last attempt. */
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    if (create.error) create.reset();
  };
  return {
    values: { delegate, from, back, note },
    set: {
      delegate: (p: Person | null) => {
        setDelegate(p);
        create.reset();
      },
      from: edit(setFrom),
      back: edit(setBack),
      note: edit(setNote),
    },
    formKey,
    saved,
    create,
    errorFor,
    shown: Boolean(errorFor("delegateId") || errorFor("startsAt") || errorFor("endsAt") || errorFor("reason")),
    submit: () => {
      setSaved(null);
      create.mutate({ delegateId: delegate?.id ?? "", startsAt: startOfDay(from), endsAt: startOfDay(back), reason: note });
    },
  };
}

/**
 * Out of office: while I am away, approvals that reach me go to someone I choose. Lists the
 * delegations I set up that are not over yet, and those where I decide for someone else.
 */
export function OutOfOffice() {
  const delegations = trpc.approvals.delegations.useQuery(undefined, { refetchInterval: 60_000 });
  // "Active now" as of when the list was loaded.
  const now = delegations.dataUpdatedAt;
  return (
    <section className="mt-10 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="ooo-title" data-testid="out-of-office">
      <h2 id="ooo-title" className="text-lg font-semibold">Out of office</h2>
      <p className="mt-1 text-sm text-slate-600">
        While you are away, approvals that reach you go to someone you choose. Those already waiting for you move to them when your time away starts.
      </p>
      <ErrorNote message={delegations.error?.message} />
      <GivenDelegations given={delegations.data?.given ?? []} now={now} />
      <DelegationForm />
      <ReceivedDelegations received={delegations.data?.received ?? []} now={now} />
    </section>
  );
}

function DelegationForm() {
  const form = useDelegationForm();
  const { values, set, errorFor } = form;
  return (
    <form
      className="mt-4 space-y-3"
      aria-label="Set out of office"
      onSubmit={(e) => {
        e.preventDefault();
        form.submit();
      }}
    >
      <PersonField key={form.formKey} id="ooo-delegate" label="Delegate to" includeMe={false} value={values.delegate} onChange={set.delegate} error={errorFor("delegateId")} />
      <div className="grid gap-3 sm:grid-cols-3">
        <DateField label="First day away" value={values.from} onChange={set.from} error={errorFor("startsAt")} />
        <DateField label="Back on" value={values.back} min={values.from || undefined} onChange={set.back} error={errorFor("endsAt")} />
        <TextField label="Note (optional)" value={values.note} onChange={set.note} maxLength={200} placeholder="e.g. Holiday" error={errorFor("reason")} />
      </div>
      {form.create.error && !form.shown && <ErrorNote message={form.create.error.message} />}
      {form.saved && <p className="rounded-md bg-emerald-50 p-2 text-sm text-emerald-800" role="status">{form.saved}</p>}
      <Button type="submit" isDisabled={form.create.isPending}>{form.create.isPending ? "Saving…" : "Set out of office"}</Button>
    </form>
  );
}

function ActiveBadge({ active }: { active: boolean }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${active ? "bg-amber-50 text-amber-800" : "bg-slate-100 text-slate-600"}`}>
      {active ? "Active now" : "Upcoming"}
    </span>
  );
}

function GivenDelegations({ given, now }: { given: Delegations["given"]; now: number }) {
  const utils = trpc.useUtils();
  const cancel = trpc.approvals.cancelDelegation.useMutation({ onSuccess: () => utils.approvals.delegations.invalidate() });
  if (given.length === 0) return null;
  return (
    <>
      <ul className="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm" aria-label="Your delegations">
        {given.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2" data-testid="delegation">
            <ActiveBadge active={d.startsAt.getTime() <= now} />
            <span>
              <span className="font-medium">{d.delegate.name ?? d.delegate.email}</span> decides for you from <ExactDate date={d.startsAt} />, you are back on <ExactDate date={d.endsAt} />
            </span>
            {d.reason && <span className="text-slate-500">— {d.reason}</span>}
            <Button
              variant="secondary"
              onClick={() => cancel.mutate({ id: d.id })}
              isDisabled={cancel.isPending}
              className="ml-auto"
              aria-label={`Cancel the delegation to ${d.delegate.name ?? d.delegate.email}`}
            >
              Cancel
            </Button>
          </li>
        ))}
      </ul>
      <ErrorNote message={cancel.error?.message} />
    </>
  );
}

function ReceivedDelegations({ received, now }: { received: Delegations["received"]; now: number }) {
  if (received.length === 0) return null;
  return (
    <>
      <h3 className="mt-6 text-sm font-semibold text-slate-900">You decide for</h3>
      <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm" aria-label="Delegations to you">
        {received.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2" data-testid="delegation">
            <ActiveBadge active={d.startsAt.getTime() <= now} />
            <span>
              <span className="font-medium">{d.delegator.name ?? d.delegator.email}</span>&rsquo;s approvals come to you from <ExactDate date={d.startsAt} /> until <ExactDate date={d.endsAt} />
            </span>
            {d.reason && <span className="text-slate-500">— {d.reason}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}
