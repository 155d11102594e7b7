"use client";
import Link from "next/link";
import { ErrorNote } from "@/app/_components/section";
import { trpc } from "@/app/_trpc/client";

export function AppsList() {
  const apps = trpc.admin.apps.useQuery();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Apps</h1>
      <p className="mt-1 text-sm text-slate-600">How each app is provisioned: connectors, plans, account templates and provisioners.</p>
      <ErrorNote message={apps.error?.message} />
      <ul className="mt-6 divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        {apps.data?.map((a) => (
          <li key={a.id} data-testid="admin-app">
            <Link href={`/admin/apps/${a.slug}`} className="flex items-center justify-between gap-4 px-5 py-4 hover:bg-slate-50">
              <div>
                <p className="font-medium">{a.name}</p>
                <p className="text-sm text-slate-500">Owner: {a.owner.name ?? "—"}</p>
              </div>
              <p className="text-sm text-slate-500">
                {a._count.entitlements} entitlement{a._count.entitlements === 1 ? "" : "s"} · {a._count.connectors} connector{a._count.connectors === 1 ? "" : "s"}
              </p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
