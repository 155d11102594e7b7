"use client";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { trpc } from "@/app/_trpc/client";

type Chosen = { id: string; name: string; app: string };

export function Catalog() {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const search = trpc.catalog.search.useQuery({ q: deferred }, { placeholderData: (prev) => prev });
  const [chosen, setChosen] = useState<Chosen | null>(null);

  return (
    <div>
      <h1 className="text-2xl font-semibold">Catalog</h1>
      <p className="mt-1 text-sm text-slate-600">Find the access you need and ask for it. Your manager approves, then it is set up for you.</p>
      <input
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Search apps, groups and roles…"
        aria-label="Search the catalog"
        className="mt-6 w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
      />
      {search.data?.length === 0 && <p className="mt-10 text-center text-slate-500">Nothing matches “{deferred}”.</p>}
      <div className="mt-6 grid gap-4 md:grid-cols-2">
        {search.data?.map((app) => (
          <section key={app.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="catalog-app">
            <header>
              <h2 className="text-lg font-semibold">{app.name}</h2>
              <p className="text-sm text-slate-600">{app.description}</p>
              <p className="mt-1 text-xs text-slate-500">Owner: {app.owner}</p>
            </header>
            <ul className="mt-4 divide-y divide-slate-100">
              {app.entitlements.map((e) => (
                <li key={e.id} className="flex items-center justify-between gap-3 py-2.5" data-testid="entitlement">
                  <div className="min-w-0">
                    <p className="text-sm font-medium">
                      {e.name} <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-slate-500">{e.kind}</span>
                    </p>
                    <p className="truncate text-xs text-slate-500">{e.description}</p>
                  </div>
                  <button
                    onClick={() => setChosen({ id: e.id, name: e.name, app: app.name })}
                    className="shrink-0 rounded-md border border-indigo-200 px-3 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50"
                  >
                    Request
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {chosen && <RequestDialog chosen={chosen} onClose={() => setChosen(null)} />}
    </div>
  );
}

function RequestDialog({ chosen, onClose }: { chosen: Chosen; onClose: () => void }) {
  const router = useRouter();
  const [justification, setJustification] = useState("");
  const [duration, setDuration] = useState("");
  const [forUserId, setForUserId] = useState("");
  const reports = trpc.requests.reports.useQuery();
  const create = trpc.requests.create.useMutation({ onSuccess: (r) => router.push(`/requests/${r.id}`) });
  const fieldError = create.error?.data?.fieldErrors?.justification?.[0];
  return (
    <div className="fixed inset-0 z-10 grid place-items-center bg-slate-900/40 p-4" role="dialog" aria-modal aria-labelledby="request-title">
      <form
        className="w-full max-w-md rounded-xl bg-white p-6 shadow-xl"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({
            entitlementId: chosen.id,
            justification,
            ...(duration ? { durationDays: Number(duration) } : {}),
            ...(forUserId ? { forUserId } : {}),
          });
        }}
      >
        <h2 id="request-title" className="text-lg font-semibold">Request {chosen.app} / {chosen.name}</h2>
        {(reports.data?.length ?? 0) > 0 && (
          <>
            <label htmlFor="for-user" className="mt-4 block text-sm font-medium text-slate-700">For whom?</label>
            <select
              id="for-user"
              value={forUserId}
              onChange={(e) => setForUserId(e.target.value)}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
            >
              <option value="">Myself</option>
              {reports.data?.map((r) => <option key={r.id} value={r.id}>{r.name ?? r.email} (your report)</option>)}
            </select>
            {forUserId && <p className="mt-1 text-xs text-slate-500">Your own manager approves requests you make for your reports.</p>}
          </>
        )}
        <label htmlFor="justification" className="mt-4 block text-sm font-medium text-slate-700">Why do you need it?</label>
        <textarea
          id="justification"
          value={justification}
          onChange={(e) => setJustification(e.target.value)}
          rows={4}
          aria-invalid={Boolean(fieldError)}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
          placeholder="e.g. I am joining the payments project and need to review its pull requests."
        />
        {fieldError && <p className="mt-1 text-sm text-rose-700">{fieldError}</p>}
        <label htmlFor="duration" className="mt-4 block text-sm font-medium text-slate-700">For how long?</label>
        <select
          id="duration"
          value={duration}
          onChange={(e) => setDuration(e.target.value)}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
        >
          <option value="">Until it is no longer needed</option>
          <option value="1">1 day</option>
          <option value="7">7 days</option>
          <option value="30">30 days</option>
          <option value="90">90 days</option>
        </select>
        <p className="mt-1 text-xs text-slate-500">Time-bound access starts when it is provisioned and is removed automatically at the end.</p>
        {create.error?.data?.fieldErrors?.durationDays?.[0] && <p className="mt-1 text-sm text-rose-700">{create.error.data.fieldErrors.durationDays[0]}</p>}
        {create.error && !fieldError && !create.error.data?.fieldErrors?.durationDays && <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{create.error.message}</p>}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">Cancel</button>
          <button disabled={create.isPending} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60">
            {create.isPending ? "Submitting…" : "Submit request"}
          </button>
        </div>
      </form>
    </div>
  );
}
