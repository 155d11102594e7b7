"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { buttonVariants } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { NewAppForm } from "@/app/admin/apps/new-app-form";

export function AppsList() {
  const apps = trpc.admin.apps.useQuery();
  const [creating, setCreating] = useState(false);
  // The system app of access profiles is managed on the Profiles page.
  const configurable = apps.data?.filter((a) => !a.isSystem);
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-semibold">Apps</h1>
          <p className="mt-1 text-sm text-slate-600">
            How each app is provisioned: owner, entitlements, connectors, plans, account templates and provisioners. Who approves requests is set on the{" "}
            <Link href="/admin/policies" className="text-indigo-700 hover:underline">Policies page</Link>; access profiles on the{" "}
            <Link href="/admin/profiles" className="text-indigo-700 hover:underline">Profiles page</Link>.
          </p>
        </div>
        {!creating && <button onClick={() => setCreating(true)} className={buttonVariants.primary}>New app</button>}
      </div>
      {creating && (
        <section className="mt-6 rounded-xl border border-indigo-200 bg-white p-5 shadow-sm" aria-labelledby="new-app-heading">
          <h2 id="new-app-heading" className="mb-4 font-semibold">New app</h2>
          <NewAppForm onCancel={() => setCreating(false)} />
        </section>
      )}
      <ErrorNote message={apps.error?.message} />
      <ul className="mt-6 divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        {configurable?.map((a) => (
          <li key={a.id} data-testid="admin-app">
            <Link href={`/admin/apps/${a.slug}`} className="flex items-center justify-between gap-4 px-5 py-4 hover:bg-slate-50">
              <div className="min-w-0">
                <p className="font-medium">{a.name}</p>
                <p className="text-sm text-slate-500">Owner: {a.owner.name ?? a.owner.email}</p>
              </div>
              <p className="shrink-0 text-sm text-slate-500">
                {a._count.entitlements} entitlement{a._count.entitlements === 1 ? "" : "s"} · {a._count.connectors} connector{a._count.connectors === 1 ? "" : "s"}
              </p>
            </Link>
          </li>
        ))}
        {configurable?.length === 0 && <li className="px-5 py-4 text-sm text-slate-500">No apps yet. Add the first with “New app”.</li>}
      </ul>
    </div>
  );
}
