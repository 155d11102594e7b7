"use client";
import { useId, useState } from "react";
import { NewButton, Section } from "@/app/_components/section";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { OverviewGroup } from "@/app/admin/policies/overview";
import { personName, PersonSearch, type Person } from "@/app/_components/person-search";

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
            setCreating(true); setSaved(null);
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
        <div className="min-w-0 flex-1">
          <h3 className="font-semibold">
            {group.name} <span className="text-sm font-normal text-slate-500">· {group.members.length} {group.members.length === 1 ? "member" : "members"}</span>
          </h3>
          {group.description && <p className="mt-0.5 text-sm text-slate-600">{group.description}</p>}
        </div>
        {group.source === "SCIM" && (
          // Pushed by the identity provider (server/lifecycle/scim-groups.ts): it owns the name and members.
          <span className="rounded-full bg-sky-50 px-2.5 py-0.5 text-sm text-sky-800" title="Change this group in your identity provider">
            From your identity provider · read-only
          </span>
        )}
        {!editing && group.source !== "SCIM" && (
          <button
            type="button"
            onClick={() => {
              setEditing(true);
              setSaved(null);
            }}
            aria-label={`Edit ${group.name}`}
            className={buttonVariants.secondary}
          >
            Edit
          </button>
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

function GroupForm({ group, onSaved, onCancel }: { group?: OverviewGroup; onSaved: (message: string) => void; onCancel: () => void }) {
  const id = useId();
  const utils = trpc.useUtils();
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [members, setMembers] = useState<Person[]>(group?.members ?? []);
  const save = trpc.policies.saveGroup.useMutation({
    onSuccess: async (result) => {
      await utils.policies.overview.invalidate();
      onSaved(result.message);
    },
  });
  const errors = fieldErrorsOf(save.error);
  return (
    <form
      className="mt-3 space-y-3"
      onChange={() => save.reset()}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: group?.id, name, description, memberIds: members.map((m) => m.id) });
      }}
      noValidate
    >
      <div>
        <label htmlFor={`${id}-name`} className={labelClass}>Group name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={Boolean(errors?.name)} className={`${inputClass} mt-1 max-w-md`} />
        <FieldError messages={errors?.name} />
      </div>
      <div>
        <label htmlFor={`${id}-description`} className={labelClass}>Group description</label>
        <input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} aria-invalid={Boolean(errors?.description)} className={`${inputClass} mt-1`} />
        <FieldError messages={errors?.description} />
      </div>
      <fieldset>
        <legend className={labelClass}>Members</legend>
        <ul className="mt-1 flex flex-wrap gap-1.5" aria-label="Members">
          {members.length === 0 && <li className="text-sm text-slate-500">Nobody yet.</li>}
          {members.map((m) => (
            <li key={m.id} className="flex items-center gap-1 rounded-full bg-white py-0.5 pl-2.5 pr-1 text-sm ring-1 ring-inset ring-slate-300" title={m.email}>
              {personName(m)}
              <button
                type="button"
                onClick={() => {
                  setMembers((ms) => ms.filter((x) => x.id !== m.id));
                  save.reset();
                }}
                aria-label={`Remove ${personName(m)} from the group`}
                className="grid h-5 w-5 place-items-center rounded-full text-slate-500 hover:bg-slate-100 hover:text-slate-800"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <FieldError messages={errors?.memberIds} />
        <PersonSearch
          label="Add a member"
          placeholder="+ Member (search name or email)"
          exclude={members.map((m) => m.id)}
          onPick={(p) => {
            setMembers((ms) => [...ms, p]);
            save.reset();
          }}
          className="mt-2 max-w-md"
        />
      </fieldset>
      <FormErrors error={save.error} shown={["name", "description", "memberIds"]} />
      <div className="flex items-center gap-3">
        <button disabled={save.isPending} className={buttonVariants.primary}>{group ? "Save group" : "Create group"}</button>
        <button type="button" onClick={onCancel} className={buttonVariants.secondary}>Cancel</button>
      </div>
    </form>
  );
}
