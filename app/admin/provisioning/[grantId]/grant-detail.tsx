"use client";
import Link from "next/link";
import { AttemptList } from "@/app/_components/attempt-list";
import { grantStatus } from "@/app/_components/grant-status";
import { ProblemPanel, Section } from "@/app/_components/section";
import { TargetState } from "@/app/_components/target-state";
import { Badge } from "@/app/_components/ui/badge";
import { ExactDate } from "@/app/_components/when";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";
import { GrantActions } from "@/app/admin/provisioning/[grantId]/grant-actions";
import { METHOD_LABELS } from "@/universal/provisioning/plan";

const operations = [
  { key: "PROVISION", title: "Provisioning attempts" },
  { key: "DEPROVISION", title: "Deprovisioning attempts" },
] as const;

const taskStatus = { OPEN: "open", DONE: "done", ERRORED: "errored" } as const;

type Grant = RouterOutputs["provisioning"]["grant"];

export function GrantDetail({ id }: { id: string }) {
  const grant = trpc.provisioning.grant.useQuery({ id }, { refetchInterval: 3_000 });
  if (grant.error) return <ProblemPanel message={grant.error.message} back={{ href: "/admin/provisioning", label: "Back to monitoring" }} />;
  const g = grant.data;
  if (!g) return <p className="text-slate-500">Loading…</p>;

  return (
    <div className="space-y-6">
      <GrantHeader grant={g} />
      <GrantActions grant={g} />
      <Section title="Plan">
        <p className="text-sm font-medium" data-testid="grant-plan">{g.plan}</p>
        <p className="break-words text-sm text-slate-500">Group on the target: <code className="break-all text-xs">{g.entitlement.externalName}</code></p>
      </Section>
      {operations.map(({ key, title }) => {
        const attempts = g.attempts.filter((a) => a.operation === key);
        if (key === "DEPROVISION" && attempts.length === 0) return null;
        return (
          <Section key={key} title={title} testId={`attempts-${key.toLowerCase()}`}>
            {attempts.length === 0 ? <p className="text-sm text-slate-500">No automatic steps have run.</p> : <AttemptList attempts={attempts} />}
          </Section>
        );
      })}
      <EffectsSection grant={g} />
      <div className="grid gap-6 md:grid-cols-2">
        <TasksSection grant={g} />
        <AccountsSection grant={g} />
      </div>
    </div>
  );
}

function GrantHeader({ grant: g }: { grant: Grant }) {
  return (
    <div>
      <Link href="/admin/provisioning" className="text-sm text-indigo-700 hover:underline">← Monitoring</Link>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="break-words text-2xl font-semibold">{g.app.name} / {g.entitlement.name}</h1>
        <Badge {...grantStatus(g)} />
      </div>
      <p className="mt-1 text-sm text-slate-600">
        For {g.person.name ?? g.person.email} (<span className="break-all">{g.person.email}</span>) · granted <ExactDate date={g.createdAt} withTime />
        {g.provisionedAt && <> · provisioned <ExactDate date={g.provisionedAt} withTime /></>}
        {g.deprovisionedAt && <> · deprovisioned <ExactDate date={g.deprovisionedAt} withTime /></>}
        {g.requestId && (
          <> · <Link href={`/requests/${g.requestId}`} className="text-indigo-700 underline">the request</Link></>
        )}
      </p>
      <TargetState grant={g} large className="mt-2" />
      {g.adoptedBy && (
        <p className="mt-2 text-sm text-slate-600" data-testid="adopted">
          Adopted from the target by {g.adoptedBy.name ?? g.adoptedBy.email}{g.adoptionNote && <>: “{g.adoptionNote}”</>}
        </p>
      )}
      {g.status === "FAILED" && g.failureReason && (
        <p className="mt-3 rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="failure-reason">{g.failureReason}</p>
      )}
      {g.revokeReason && <p className="mt-2 text-sm text-slate-600">Revoked: {g.revokeReason}</p>}
    </div>
  );
}

function EffectsSection({ grant: g }: { grant: Grant }) {
  return (
    <Section title="What was done on each target" testId="effects">
      {g.effects.length === 0 && <p className="text-sm text-slate-500">Nothing yet.</p>}
      <ul className="divide-y divide-slate-100 text-sm">
        {g.effects.map((e) => (
          <li key={e.stepIndex} className="py-2" data-testid="effect">
            <p>
              <span className="font-medium">Step {e.stepIndex + 1} · {METHOD_LABELS[e.method]}:</span> <span className="break-all">{e.target}</span>
            </p>
            <p className="text-xs text-slate-500">
              {g.adoptedBy && e.createdByPortal
                ? "Adopted from the target — the portal manages it now, so revoking the grant removes it"
                : e.createdByPortal ? "Created by the portal" : "Existed before — left in place"}
              {e.removedAt && <> · removed <ExactDate date={e.removedAt} withTime /></>}
              {e.removalNote && <> · {e.removalNote}</>}
            </p>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function TasksSection({ grant: g }: { grant: Grant }) {
  return (
    <Section title="Tasks">
      {g.tasks.length === 0 && <p className="text-sm text-slate-500">No tasks.</p>}
      <ul className="space-y-2 text-sm">
        {g.tasks.map((t) => (
          <li key={t.id}>
            <Link href={`/tasks/${t.id}`} className="font-medium text-indigo-700 hover:underline">
              {t.kind === "PROVISION" ? "Provision" : "Deprovision"}
            </Link>{" "}
            <span className="text-slate-500">— {taskStatus[t.status]}, assigned to {t.assignee.name ?? t.assignee.email}</span>
            <p className="text-xs text-slate-500">{t.reason}</p>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function AccountsSection({ grant: g }: { grant: Grant }) {
  return (
    <Section title="Accounts">
      {g.accounts.length === 0 && <p className="text-sm text-slate-500">No account on a target that creates accounts.</p>}
      <ul className="space-y-2 text-sm">
        {g.accounts.map((a) => (
          <li key={a.id}>
            <span className="font-medium">{a.userName}</span> <span className="text-slate-500">on {a.connector.name} — {a.status.toLowerCase()}</span>
            <p className="text-xs text-slate-500">{a.createdByPortal ? "Created by the portal" : "Existed before — left in place"}</p>
            {a.failureReason && <p className="text-xs text-rose-800">{a.failureReason}</p>}
          </li>
        ))}
      </ul>
    </Section>
  );
}
