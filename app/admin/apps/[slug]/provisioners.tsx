"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonClass } from "@/app/_components/styles";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";

/** Who works the app's manual tasks. With nobody chosen, tasks go to the app's owner. */
export function Provisioners({ app }: { app: AdminApp }) {
  const utils = trpc.useUtils();
  const current = app.provisioners.map((p) => p.user);
  const [query, setQuery] = useState("");
  const [added, setAdded] = useState<Array<{ id: string; name: string | null; email: string }>>([]);
  const found = trpc.admin.people.useQuery({ q: query }, { enabled: query.trim().length >= 2 });
  // Today's provisioners, the owner, and anyone picked from the search.
  const candidates = [...current, app.owner, ...added].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(current.map((p) => p.id)));
  const save = trpc.admin.setProvisioners.useMutation({ onSuccess: () => utils.admin.app.invalidate({ slug: app.slug }) });
  const toggle = (id: string) => {
    save.reset();
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  return (
    <Section title="Provisioners" testId="provisioners">
      <p className="mb-3 text-sm text-slate-600">They work this app&apos;s manual tasks; each new task goes to whoever has the fewest open ones. With nobody chosen, tasks go to the owner.</p>
      <ul className="space-y-1.5 text-sm">
        {candidates.map((p) => (
          <li key={p.id}>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={chosen.has(p.id)} onChange={() => toggle(p.id)} />
              <span className="font-medium">{p.name ?? p.email}</span>
              <span className="text-slate-500">{p.email}{p.id === app.owner.id && " · owner"}</span>
            </label>
          </li>
        ))}
      </ul>
      <label className="mt-3 block text-sm">
        <span className="text-slate-600">Add someone</span>
        <input
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search by name or email"
          className="mt-1 block w-full max-w-sm rounded-md border border-slate-300 px-3 py-1.5"
        />
      </label>
      {query.trim().length >= 2 && (
        <ul className="mt-1 max-w-sm divide-y divide-slate-100 rounded-md border border-slate-200 text-sm" data-testid="people-results">
          {(found.data ?? []).filter((p) => !candidates.some((c) => c.id === p.id)).map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="w-full px-3 py-1.5 text-left hover:bg-slate-50"
                onClick={() => {
                  setAdded((a) => [...a, p]);
                  toggle(p.id);
                  setQuery("");
                }}
              >
                <span className="font-medium">{p.name ?? p.email}</span> <span className="text-slate-500">{p.email}</span>
              </button>
            </li>
          ))}
          {found.data?.length === 0 && <li className="px-3 py-1.5 text-slate-500">Nobody matches.</li>}
        </ul>
      )}
      <ErrorNote message={save.error?.message} />
      <div className="mt-3 flex items-center gap-3">
        <button disabled={save.isPending} onClick={() => save.mutate({ appId: app.id, userIds: [...chosen] })} className={buttonClass.primary}>
          Save provisioners
        </button>
        {save.isSuccess && <span className="text-sm text-emerald-700" role="status">Saved.</span>}
      </div>
    </Section>
  );
}
