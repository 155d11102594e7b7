"use client";
import Link from "next/link";
import { useState } from "react";
import { Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { dateTime } from "@/app/_components/time";
import { personName } from "@/app/_components/person-search";
import { EnrollUsers } from "@/app/admin/profiles/[id]/enroll-users";
import { RemoveMemberForm } from "@/app/admin/profiles/[id]/remove-member";
import { ago, Empty, PersonCell, type Profile } from "@/app/admin/profiles/shared";

type Pending = Profile["pendingEnrollments"][number];
type Member = Profile["members"][number];
type Leaving = Profile["leaving"][number];

const headingClass = "mt-5 mb-2 text-sm font-semibold text-slate-700";

/** When something happened, "3 h ago", with the exact time for a pointer. */
function Ago({ at, prefix = "" }: { at: Date; prefix?: string }) {
  return (
    <time className="text-xs text-slate-500" dateTime={at.toISOString()} title={dateTime(at)}>
      {prefix}
      {ago(at)}
    </time>
  );
}

/** Pending enrollments (behind their link), enrolled members and the rule that enrolled them, people leaving, and "Enroll users". */
export function Members({ profile: p }: { profile: Profile }) {
  const [enrolling, setEnrolling] = useState(false);
  return (
    <Section title="Members" testId="members" action={!enrolling && <Button onClick={() => setEnrolling(true)}>Enroll users</Button>}>
      {enrolling && <EnrollUsers profile={p} onClose={() => setEnrolling(false)} />}
      <PendingEnrollments profile={p} />
      <h3 className={headingClass}>Enrolled ({p.counts.ENROLLED ?? 0})</h3>
      <EnrolledMembers profile={p} />
      {(p.counts.ENROLLED ?? 0) > p.members.length && <p className="mt-1 text-xs text-slate-500">Showing the latest {p.members.length}.</p>}
      <h3 className="mt-5 text-sm font-semibold text-slate-700">Leaving ({p.counts.LEAVING ?? 0})</h3>
      <p className="mb-2 text-xs text-slate-500">People who no longer match a rule with a grace period. They keep the profile until then, or stay if they match again.</p>
      {p.leaving.length === 0 ? (
        <Empty text="Nobody is leaving." />
      ) : (
        <DataTable label="Leaving" rows={p.leaving} columns={leavingColumns} rowId={(m) => m.person.id} rowTestId="leaving-member" />
      )}
    </Section>
  );
}

const pendingColumns: Column<Pending>[] = [
  { id: "person", header: "Person", sortBy: (r) => personName(r.person).toLowerCase(), cell: (r) => <PersonCell person={r.person} /> },
  { id: "since", header: "Requested", sortBy: (r) => r.since, className: "sm:w-44", cell: (r) => <Ago at={r.since} prefix="requested " /> },
  {
    id: "open",
    header: "Request",
    hideHeader: true,
    className: "sm:w-36 sm:text-right",
    cell: (r) => (
      <Link href={`/requests/${r.requestId}`} className="text-sm font-medium text-indigo-700 hover:underline">
        Open request
      </Link>
    ),
  },
];

/** "Pending enrollments: N": a link that shows the enrollment requests waiting for approval. */
function PendingEnrollments({ profile: p }: { profile: Profile }) {
  const [open, setOpen] = useState(false);
  const pending = p.pendingEnrollments.length;
  // Enrollments a sync made whose requests the enrollment worker has not created yet.
  const preparing = Math.max(0, (p.counts.PENDING ?? 0) - pending);
  return (
    <div id="pending-enrollments" className="scroll-mt-6">
      <div className="flex flex-wrap items-center gap-3">
        <a
          href="#pending-enrollments"
          onClick={(e) => {
            e.preventDefault();
            setOpen(!open);
          }}
          aria-expanded={open}
          aria-controls="pending-enrollment-list"
          className={`text-sm font-medium underline decoration-dotted underline-offset-4 hover:decoration-solid ${pending > 0 ? "text-amber-800" : "text-slate-600"}`}
        >
          Pending enrollments: {pending}
          <span aria-hidden className="ml-1 inline-block no-underline">{open ? "▾" : "▸"}</span>
        </a>
        {preparing > 0 && <span className="text-xs text-slate-500">({preparing} more being requested)</span>}
      </div>
      {open && (
        <div id="pending-enrollment-list">
          <p className="mb-2 mt-1 text-xs text-slate-500">Enrollment requests waiting for approval. Open one to see its approvers.</p>
          {pending === 0 ? (
            <Empty text="No enrollment requests are waiting." />
          ) : (
            <DataTable label="Pending enrollments" rows={p.pendingEnrollments} columns={pendingColumns} rowId={(r) => r.requestId} rowTestId="pending-enrollment" />
          )}
        </div>
      )}
    </div>
  );
}

/** The enrolled members; "Remove" opens the form to unenroll one, under their row. */
function EnrolledMembers({ profile: p }: { profile: Profile }) {
  const [removing, setRemoving] = useState<string | null>(null);
  const columns: Column<Member>[] = [
    { id: "person", header: "Person", sortBy: (m) => personName(m.person).toLowerCase(), cell: (m) => <PersonCell person={m.person} /> },
    { id: "by", header: "Enrolled by", sortBy: (m) => m.rule ?? "", cell: (m) => <span className="text-xs text-slate-600">{m.rule ? <>by rule “{m.rule}”</> : "by hand"}</span> },
    { id: "since", header: "Since", sortBy: (m) => m.since, className: "sm:w-28", cell: (m) => <Ago at={m.since} /> },
    {
      id: "remove",
      header: "Actions",
      hideHeader: true,
      className: "sm:w-28 sm:text-right",
      cell: (m) =>
        removing !== m.person.id && (
          <Button variant="secondary" onClick={() => setRemoving(m.person.id)} aria-label={`Remove ${personName(m.person)} from the profile`}>
            Remove
          </Button>
        ),
    },
  ];
  if (p.members.length === 0) return <Empty text="Nobody is enrolled yet." />;
  return (
    <DataTable
      label="Enrolled members"
      rows={p.members}
      columns={columns}
      rowId={(m) => m.person.id}
      rowTestId="enrolled-member"
      detail={(m) => removing === m.person.id && <RemoveMemberForm profileId={p.id} person={m.person} onClose={() => setRemoving(null)} />}
    />
  );
}

const leavingColumns: Column<Leaving>[] = [
  { id: "person", header: "Person", sortBy: (m) => personName(m.person).toLowerCase(), cell: (m) => <PersonCell person={m.person} /> },
  {
    id: "leaves",
    header: "Leaves",
    sortBy: (m) => m.leaveAt,
    cell: (m) => <span className="text-xs text-amber-800">{m.leaveAt ? `leaves ${dateTime(m.leaveAt)}` : "leaving"}</span>,
  },
];
