"use client";
import { useState } from "react";
import { NewButton, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { GroupForm } from "@/app/admin/policies/group-form";
import type { OverviewGroup } from "@/app/admin/policies/overview";
import { personName } from "@/app/_components/person-search";

/** Approver groups: named sets of people a policy step can ask, e.g. the security team. */
export function ApproverGroups({ groups }: { groups: OverviewGroup[] }) {
  const [creating, setCreating] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <Section
      title="Approver groups"
      testId="approver-groups"
      action={
        <NewButton
          label="New group"
          hidden={creating}
          onClick={() => {
            setCreating(true);
            setSaved(null);
          }}
        />
      }
    >
      <p className="text-sm text-slate-600">A step that asks a group goes to every member; with “Any one approver”, the first to decide decides.</p>
      {saved && <p className="mt-2 text-sm text-emerald-700" role="status">{saved}</p>}
      {creating && (
        <div className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="new-group">
          <h3 className="font-semibold">New group</h3>
          <GroupForm
            onSaved={(message) => {
              setCreating(false);
              setSaved(message);
            }}
            onCancel={() => setCreating(false)}
          />
        </div>
      )}
      <ul className="mt-4 space-y-3">
        {groups.map((g) => <GroupCard key={g.id} group={g} />)}
      </ul>
      {groups.length === 0 && !creating && <p className="mt-4 text-sm text-slate-500">No groups yet.</p>}
    </Section>
  );
}

function GroupCard({ group }: { group: OverviewGroup }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <li className="rounded-lg border border-slate-200 p-4" data-testid="approver-group">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1 basis-60">
          <h3 className="break-words font-semibold">
            {group.name} <span className="text-sm font-normal text-slate-500">· {group.members.length} {group.members.length === 1 ? "member" : "members"}</span>
          </h3>
          {group.description && <p className="mt-0.5 break-words text-sm text-slate-600">{group.description}</p>}
        </div>
        {group.source === "SCIM" && (
          // Pushed by the identity provider (server/lifecycle/scim-groups.ts): it owns the name and members.
          <span className="rounded-full bg-sky-50 px-2.5 py-0.5 text-sm text-sky-800" title="Change this group in your identity provider">
            From your identity provider · read-only
          </span>
        )}
        {!editing && group.source !== "SCIM" && (
          <Button
            variant="secondary"
            onClick={() => {
              setEditing(true);
              setSaved(null);
            }}
            aria-label={`Edit ${group.name}`}
          >
            Edit
          </Button>
        )}
      </div>
      {!editing && (
        <ul className="mt-2 flex flex-wrap gap-1.5 text-sm" aria-label={`Members of ${group.name}`}>
          {group.members.map((m) => (
            <li key={m.id} className="rounded-full bg-slate-100 px-2.5 py-0.5" title={m.email}>{personName(m)}</li>
          ))}
          {group.members.length === 0 && <li className="text-slate-500">Nobody yet: a step asking this group cannot be decided.</li>}
        </ul>
      )}
      {saved && <p className="mt-2 text-sm text-emerald-700" role="status">{saved}</p>}
      {editing && (
        <div className="mt-3 border-t border-slate-100 pt-3">
          <GroupForm
            group={group}
            onSaved={(message) => {
              setEditing(false);
              setSaved(message);
            }}
            onCancel={() => setEditing(false)}
          />
        </div>
      )}
    </li>
  );
}
