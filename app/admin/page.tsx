import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { Section } from "@/app/_components/section";
import { api } from "@/app/_trpc/server";
import { AccessTimeChart } from "@/app/admin/_home/access-time-chart";
import { AttentionList } from "@/app/admin/_home/attention-list";

/** The admin home: what is stuck and where to unstick it, and how long people wait for access. */
export default async function AdminHomePage() {
  const actor = await requireActor("/admin");
  if (!actor.isAdmin) return <AdminsOnly />;
  const [attention, accessTime] = await Promise.all([api.adminHome.attention(), api.adminHome.accessTime()]);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Admin home</h1>
        <p className="mt-1 text-sm text-slate-600">What needs attention now, and how long people wait for access.</p>
      </div>
      <section aria-labelledby="attention-heading">
        <h2 id="attention-heading" className="mb-3 text-lg font-semibold">Needs attention</h2>
        <AttentionList data={attention} />
      </section>
      <Section title="Request to access, last 30 days" testId="access-time">
        <AccessTimeChart data={accessTime} />
      </Section>
    </div>
  );
}
