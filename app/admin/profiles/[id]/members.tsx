"use client";
import Link from "next/link";
import { useState } from "react";
import { Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { ExactDate, RelativeDate } from "@/app/_components/when";
import { personName } from "@/app/_components/person-search";
import { EnrollUsers } from "@/app/admin/profiles/[id]/enroll-users";
import { RemoveMemberForm } from "@/app/admin/profiles/[id]/remove-member";
import { Empty, MEMBER_STATES, MemberStateBadge, PersonCell, type Profile, type ProfileMember } from "@/app/admin/profiles/shared";

const STATE_ORDER = new Map(MEMBER_STATES.map((s, i) => [s.state, i]));

/** Where a member stands beyond their state: the enrollment request to open, their items, their leaving date. */
function Progress({ member: m }: { member: ProfileMember }) {
  return (
    <div className="flex flex-col items-start gap-1 text-xs text-slate-600">
      <MemberStateBadge state={m.state} />
      {m.status === "PENDING" ? (
        m.requestId ? (
          <Link href={`/requests/${m.requestId}`} className="font-medium text-indigo-700 hover:underline">
            Open the enrollment request<span className="sr-only"> of {personName(m.person)}</span>
          </Link>
        ) : (
          <span>Enrollment request being created</span>
        )
      ) : (
        <span>
          {m.itemsReady} of {m.itemsTotal} items held
        </span>
      )}
      {m.status === "LEAVING" && (
        <span className="text-amber-800">
          Leaves {m.leaveAt ? <ExactDate date={m.leaveAt} withTime /> : "soon"} (grace period)
        </span>
      )}
    </div>
  );
}

/**
 * Every member (pending, enrolled or leaving) with their state, those needing attention first; the
 * counts above add up to these rows. "Enroll users" adds people by hand.
 */
export function Members({ profile: p }: { profile: Profile }) {
  const [enrolling, setEnrolling] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const columns: Column<ProfileMember>[] = [
    { id: "person", header: "Person", sortBy: (m) => personName(m.person).toLowerCase(), cell: (m) => <PersonCell person={m.person} /> },
    { id: "state", header: "State", sortBy: (m) => STATE_ORDER.get(m.state), className: "sm:w-56", cell: (m) => <Progress member={m} /> },
    { id: "by", header: "Enrolled by", sortBy: (m) => m.rule ?? "", cell: (m) => <span className="text-xs text-slate-600">{m.rule ? <>rule “{m.rule}”</> : "by hand or request"}</span> },
    { id: "since", header: "Since", sortBy: (m) => m.since, className: "sm:w-32", cell: (m) => <RelativeDate date={m.since} className="text-xs text-slate-500" /> },
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
  return (
    <Section title="Members" testId="members" action={!enrolling && <Button onClick={() => setEnrolling(true)}>Enroll users</Button>}>
      {enrolling && <EnrollUsers profile={p} onClose={() => setEnrolling(false)} />}
      {p.members.length === 0 ? (
        <Empty text="Nobody is a member yet." />
      ) : (
        <DataTable
          label="Members"
          rows={p.members}
          columns={columns}
          rowId={(m) => m.person.id}
          rowTestId="profile-member"
          detail={(m) => removing === m.person.id && <RemoveMemberForm profileId={p.id} person={m.person} onClose={() => setRemoving(null)} />}
        />
      )}
      {p.counts.members > p.members.length && (
        <p className="mt-1 text-xs text-slate-500">
          Showing {p.members.length} of {p.counts.members}: those needing attention first, then the latest.
        </p>
      )}
    </Section>
  );
}
