"use client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { ProblemPanel } from "@/app/_components/section";
import { trpc } from "@/app/_trpc/client";
import { AccountTemplateForm, DefaultPlanForm, DeprovisioningForm } from "@/app/admin/apps/[slug]/app-settings";
import { Connectors } from "@/app/admin/apps/[slug]/connectors";
import { Entitlements } from "@/app/admin/apps/[slug]/entitlement-settings";
import { Provisioners } from "@/app/admin/apps/[slug]/provisioners";
import type { AppRouter } from "@/server/api/root";

export type AdminApp = inferRouterOutputs<AppRouter>["admin"]["app"];

/** One app's provisioning configuration. Each part saves on its own. */
export function AppConfig({ slug }: { slug: string }) {
  // Polling brings in entitlements that a background import creates.
  const app = trpc.admin.app.useQuery({ slug }, { refetchInterval: 10_000 });
  if (app.error) return <ProblemPanel message={app.error.message} back={{ href: "/admin/apps", label: "Back to apps" }} />;
  const a = app.data;
  if (!a) return <p className="text-slate-500">Loading…</p>;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/apps" className="text-sm text-indigo-700 hover:underline">← Apps</Link>
        <h1 className="mt-2 text-2xl font-semibold">{a.name}</h1>
        <p className="mt-1 text-sm text-slate-600">Owner: {a.owner.name ?? a.owner.email} ({a.owner.email})</p>
      </div>
      <DefaultPlanForm app={a} />
      <Entitlements app={a} />
      <Connectors app={a} />
      <DeprovisioningForm app={a} />
      <AccountTemplateForm app={a} />
      <Provisioners app={a} />
    </div>
  );
}
