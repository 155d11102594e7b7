"use client";
import { useDeferredValue, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { trpc } from "@/app/_trpc/client";
import { RequestDialog, type Chosen } from "@/app/request-dialog";

export function Catalog() {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const search = trpc.catalog.search.useQuery({ q: deferred }, { placeholderData: (prev) => prev });
  const [chosen, setChosen] = useState<Chosen | null>(null);

  return (
    <div>
      <h1 className="text-2xl font-semibold">Catalog</h1>
      <p className="mt-1 text-sm text-slate-600">Find the access you need and ask for it. Before you submit you see who approves; once they do, it is set up for you.</p>
      <input
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Search apps, groups and roles…"
        aria-label="Search the catalog"
        className="mt-6 w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
      />
      {search.data?.length === 0 && <p className="mt-10 text-center text-slate-500">Nothing matches “{deferred}”.</p>}
      <div className="mt-6 grid min-w-0 gap-4 md:grid-cols-2">
        {search.data?.map((app) => (
          <section key={app.id} className="min-w-0 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="catalog-app">
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
                  <Button variant="secondary" className="shrink-0" onClick={() => setChosen({ id: e.id, name: e.name, app: app.name })}>
                    Request<span className="sr-only"> {app.name} / {e.name}</span>
                  </Button>
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
