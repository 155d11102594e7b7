"use client";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { GRANT_STATUS, type GrantStatus, grantStatus } from "@/app/_components/grant-status";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { TargetState } from "@/app/_components/target-state";
import { RelativeDate } from "@/app/_components/when";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";

/** The status filter: a grant status, or the pending grants waiting for an admin's release. */
type StatusFilter = "" | "AWAITING_RELEASE" | "WAITING" | "NEEDS_MANUAL" | GrantStatus;
type Grant = RouterOutputs["provisioning"]["grants"]["grants"][number];

const COLUMNS: Column<Grant>[] = [
  {
    id: "person",
    header: "Person",
    sortBy: (g) => (g.user.name ?? g.user.email).toLowerCase(),
    className: "sm:w-48",
    cell: (g) => (
      <>
        <p className="break-words font-medium">{g.user.name ?? g.user.email}</p>
        <p className="break-all text-xs text-slate-500">{g.user.email}</p>
      </>
    ),
  },
  {
    id: "access",
    header: "Access",
    sortBy: (g) => `${g.entitlement.app.name} / ${g.entitlement.name}`.toLowerCase(),
    className: "sm:w-56",
    cell: (g) => (
      <Link href={`/admin/provisioning/${g.id}`} className="font-medium text-indigo-700 hover:underline">
        {g.entitlement.app.name} / {g.entitlement.name}
      </Link>
    ),
  },
  { id: "status", header: "Status", sortBy: (g) => grantStatus(g).label, cell: (g) => <StatusCell grant={g} /> },
  { id: "attempts", header: "Attempts", sortBy: (g) => g._count.attempts, className: "sm:w-24 text-slate-600", cell: (g) => g._count.attempts },
  { id: "updated", header: "Updated", sortBy: (g) => g.updatedAt, className: "sm:w-44 text-xs text-slate-500", cell: (g) => <RelativeDate date={g.updatedAt} /> },
];

export function GrantsMonitor() {
  const [user, setUser] = useState("");
  const [app, setApp] = useState("");
  const [status, setStatus] = useState<StatusFilter>("");
  const filters = useDeferredValue({ user, app, status });
  const apps = trpc.admin.apps.useQuery();
  const grants = trpc.provisioning.grants.useQuery(
    {
      user: filters.user || undefined,
      app: filters.app || undefined,
      ...(filters.status === "AWAITING_RELEASE"
        ? { status: "PENDING", awaitingRelease: true }
        : filters.status === "WAITING" || filters.status === "NEEDS_MANUAL"
          ? { work: filters.status }
          : filters.status ? { status: filters.status } : {}),
    },
    { placeholderData: (prev) => prev, refetchInterval: 5_000 },
  );
  const counts = grants.data?.counts ?? {};
  const statusOptions = [
    { value: "AWAITING_RELEASE", label: `Pending admin approval (${grants.data?.awaitingRelease ?? 0})` },
    { value: "WAITING", label: `Waiting for an unreachable target (${grants.data?.waiting ?? 0})` },
    { value: "NEEDS_MANUAL", label: `Needs manual provisioning (${grants.data?.needsManual ?? 0})` },
    ...(Object.keys(GRANT_STATUS) as GrantStatus[]).map((s) => ({ value: s, label: `${GRANT_STATUS[s].label} (${counts[s] ?? 0})` })),
  ];
  const filtered = Boolean(filters.user || filters.app || filters.status);

  return (
    <div>
      <h1 className="text-2xl font-semibold">Provisioning monitor</h1>
      <p className="mt-1 text-sm text-slate-600">Every grant, where its provisioning stands, and why it failed.</p>
      <div className="mt-6 grid gap-3 sm:grid-cols-[1fr_12rem_14rem]">
        <TextField label="Person" type="search" value={user} onChange={setUser} placeholder="Search by name or email…" />
        <SelectField label="App" value={app} onChange={setApp} options={apps.data?.map((a) => ({ value: a.slug, label: a.name })) ?? []} placeholder="All apps" />
        <SelectField label="Status" value={status} onChange={(v) => setStatus(v as StatusFilter)} options={statusOptions} placeholder="All statuses" />
      </div>
      <ErrorNote message={grants.error?.message} />
      {grants.data && (
        <div className="mt-4">
          <DataTable
            label="Grants"
            rows={grants.data.grants}
            rowId={(g) => g.id}
            rowTestId="grant-row"
            columns={COLUMNS}
            pageSize={50}
            empty={filtered ? "No grants match." : "No grants yet: they appear here as soon as a request is approved."}
          />
        </div>
      )}
    </div>
  );
}

function StatusCell({ grant: g }: { grant: Grant }) {
  return (
    <>
      <Badge {...grantStatus(g)} />
      <TargetState grant={g} className="mt-1" />
      {g.work && <p className="mt-1 text-xs font-medium text-amber-800" data-testid="grant-work">{g.work}</p>}
      {g.status === "FAILED" && g.failureReason && <p className="mt-1 text-xs text-rose-800" data-testid="failure-reason">{g.failureReason}</p>}
      {g._count.tasks > 0 && <p className="mt-1 text-xs text-slate-500">{g._count.tasks} open task{g._count.tasks === 1 ? "" : "s"}</p>}
      {g.revokeReason && <p className="mt-1 text-xs text-slate-500">Revoked: {g.revokeReason}</p>}
    </>
  );
}
