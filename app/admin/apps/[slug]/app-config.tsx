"use client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { ProblemPanel } from "@/app/_components/section";
import { buttonVariants } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { AccountTemplateForm } from "@/app/admin/apps/[slug]/account-template-form";
import { DefaultPlanForm, DeprovisioningForm } from "@/app/admin/apps/[slug]/app-settings";
import { Connectors } from "@/app/admin/apps/[slug]/connectors";
import { draftFromPlan } from "@/app/admin/apps/[slug]/plan-editor";
import { Entitlements } from "@/app/admin/apps/[slug]/entitlement-settings";
import { OwnerAndPolicy } from "@/app/admin/apps/[slug]/owner-and-policy";
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
        <div className="mt-2 flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-semibold">{a.name}</h1>
          {a.connectors.length > 0 && (
            <Link href={`/admin/apps/${a.slug}/reconciliation`} className={buttonVariants.secondary}>Reconciliation</Link>
          )}
        </div>
        {a.description && <p className="mt-1 text-sm text-slate-600">{a.description}</p>}
      </div>
      {draftFromPlan(a.provisioningPlan).length === 0 && (
        <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" data-testid="manual-fallback">
          <span className="font-semibold">No provisioning plan yet.</span> Until you {a.connectors.length === 0 && "add a connector and "}set the default plan below,
          entitlements without a plan of their own are given by hand: each approved request becomes a manual task for{" "}
          {a.provisioners.length ? "its provisioners" : `the owner, ${a.owner.name ?? a.owner.email}`}.
        </p>
      )}
      <OwnerAndPolicy app={a} />
      <DefaultPlanForm app={a} />
      <Entitlements app={a} />
      <Connectors app={a} />
      <DeprovisioningForm app={a} />
      <AccountTemplateForm app={a} />
      <Provisioners app={a} />
    </div>
  );
}
