"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";
import { NewAppForm } from "@/app/admin/apps/new-app-form";

type App = RouterOutputs["admin"]["apps"][number];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const COLUMNS: Column<App>[] = [
  {
    id: "app",
    header: "App",
    sortBy: (a) => a.name.toLowerCase(),
    cell: (a) => (
      <Link href={`/admin/apps/${a.slug}`} className="break-words font-medium text-indigo-700 hover:underline">
        {a.name}
      </Link>
    ),
  },
  { id: "owner", header: "Owner", sortBy: (a) => (a.owner.name ?? a.owner.email).toLowerCase(), className: "text-slate-600", cell: (a) => a.owner.name ?? a.owner.email },
  { id: "entitlements", header: "Entitlements", sortBy: (a) => a._count.entitlements, className: "sm:w-36 text-slate-600", cell: (a) => plural(a._count.entitlements, "entitlement") },
  { id: "connectors", header: "Connectors", sortBy: (a) => a._count.connectors, className: "sm:w-36 text-slate-600", cell: (a) => plural(a._count.connectors, "connector") },
];

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
            <Link href="/admin/policies" className="text-indigo-700 underline">Policies page</Link>; access profiles on the{" "}
            <Link href="/admin/profiles" className="text-indigo-700 underline">Profiles page</Link>.
          </p>
        </div>
        {!creating && <Button onClick={() => setCreating(true)}>New app</Button>}
      </div>
      {creating && (
        <section className="mt-6 rounded-xl border border-indigo-200 bg-white p-5 shadow-sm" aria-labelledby="new-app-heading">
          <h2 id="new-app-heading" className="mb-4 font-semibold">New app</h2>
          <NewAppForm onCancel={() => setCreating(false)} />
        </section>
      )}
      <ErrorNote message={apps.error?.message} />
      {configurable && (
        <div className="mt-6">
          <DataTable
            label="Apps"
            rows={configurable}
            rowId={(a) => a.id}
            rowTestId="admin-app"
            columns={COLUMNS}
            empty="No apps yet. Add the first with “New app”."
            initialSort={[{ id: "app", desc: false }]}
          />
        </div>
      )}
    </div>
  );
}
