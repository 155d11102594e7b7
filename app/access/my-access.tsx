"use client";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { type RouterOutputs, trpc } from "@/app/_trpc/client";
import { RemoveDialog, type Removing } from "@/app/access/remove-dialog";
import { EndsAt, ExactDate } from "@/app/_components/when";
import { TargetState } from "@/app/_components/target-state";
import { RequestDialog, type Chosen } from "@/app/request-dialog";

type Access = RouterOutputs["access"]["mine"][number];

const name = (a: Access) => `${a.app} / ${a.entitlement.name}`;

/** What the access is and why the person has it, with the request it came from. */
function WhatAndWhy({ a }: { a: Access }) {
  return (
    <div className="min-w-0">
      <p className="font-medium" data-testid="access-name">{name(a)}</p>
      <p className="mt-0.5 text-sm text-slate-600" data-testid="access-source">
        {a.source.text}
        {a.source.requestId && (
          <>
            {" "}
            <Link href={`/requests/${a.source.requestId}`} className="whitespace-nowrap text-indigo-700 underline">See the request</Link>
          </>
        )}
      </p>
    </div>
  );
}

function Ends({ a }: { a: Access }) {
  if (a.expiresAt) return <EndsAt date={a.expiresAt} />;
  if (a.leavesProfileAt) return <EndsAt date={a.leavesProfileAt} verb="Leaves the profile" />;
  if (a.durationDays) return <span className="text-slate-600">{a.durationDays} {a.durationDays === 1 ? "day" : "days"} once set up</span>;
  return <span className="text-slate-500">No end date</span>;
}

/** Extend (time-bound access) and Remove, or why it cannot be removed here. */
function Actions({ a, onExtend, onRemove }: { a: Access; onExtend: () => void; onRemove: () => void }) {
  const blocked = a.cannotRemove?.code === "FORBIDDEN" ? a.cannotRemove.message : null;
  return (
    <div className="flex flex-wrap items-center gap-2 sm:justify-end">
      {a.canExtend && (
        <Button variant="secondary" onClick={onExtend} aria-label={`Extend ${name(a)}`}>Extend</Button>
      )}
      {!a.cannotRemove && (
        <Button variant="bad" onClick={onRemove} aria-label={`Remove ${name(a)}`}>Remove</Button>
      )}
      {blocked && <p className="max-w-xs text-xs text-slate-500" data-testid="cannot-remove">{blocked}</p>}
    </div>
  );
}

function useColumns(extend: (a: Access) => void, remove: (a: Access) => void): Column<Access>[] {
  return [
    { id: "access", header: "Access", cell: (a) => <WhatAndWhy a={a} />, sortBy: name },
    {
      id: "status",
      header: "Status",
      cell: (a) => (
        <>
          <Badge {...a.display} />
          <TargetState grant={a} className="mt-1" />
        </>
      ),
      sortBy: (a) => a.display.label,
      className: "w-36",
    },
    { id: "granted", header: "Granted", cell: (a) => <ExactDate date={a.grantedAt} />, sortBy: (a) => a.grantedAt, className: "w-32" },
    { id: "ends", header: "Ends", cell: (a) => <Ends a={a} />, sortBy: (a) => a.expiresAt ?? a.leavesProfileAt, className: "w-40" },
    { id: "actions", header: "Actions", hideHeader: true, cell: (a) => <Actions a={a} onExtend={() => extend(a)} onRemove={() => remove(a)} />, className: "sm:w-52" },
  ];
}

/** An extension offers again the length the access was held for: from being set up to its end, in days. */
function heldFor(a: Access): number | undefined {
  if (!a.expiresAt) return undefined;
  const days = Math.round((new Date(a.expiresAt).getTime() - new Date(a.grantedAt).getTime()) / 86_400_000);
  return days >= 1 ? Math.min(days, 365) : undefined;
}

/** Everything the signed-in person holds: where it came from, when it ends, extend it or give it up. */
export function MyAccess() {
  // Statuses move (Setting up → Provisioned, Removing → gone) without a reload while anything is in motion.
  const mine = trpc.access.mine.useQuery(undefined, {
    refetchInterval: (q) => (q.state.data?.some((a) => a.status !== "PROVISIONED") ? 2_000 : 30_000),
  });
  const [extending, setExtending] = useState<Chosen | null>(null);
  const [removing, setRemoving] = useState<Removing | null>(null);
  const columns = useColumns(
    (a) => setExtending({ id: a.entitlement.id, name: a.entitlement.name, app: a.app, durationDays: heldFor(a) }),
    (a) => setRemoving({ id: a.id, access: name(a), isProfile: a.source.kind === "profile-membership" }),
  );
  return (
    <div>
      <h1 className="text-2xl font-semibold">My access</h1>
      <p className="mt-1 text-sm text-slate-600">Everything you hold, where it came from and when it ends.</p>
      {mine.error && <p className="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800" role="alert">{mine.error.message}</p>}
      {mine.data && (
        <div className="mt-6">
          <DataTable
            label="My access"
            rows={mine.data}
            columns={columns}
            rowId={(a) => a.id}
            rowTestId="access-row"
            empty={<>You hold no access yet. <Link href="/" className="text-indigo-700 underline">Browse the catalog</Link>.</>}
          />
        </div>
      )}
      {extending && <RequestDialog chosen={extending} onClose={() => setExtending(null)} />}
      {removing && <RemoveDialog grant={removing} onClose={() => setRemoving(null)} />}
    </div>
  );
}
