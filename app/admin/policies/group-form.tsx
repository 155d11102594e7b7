"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { labelClass } from "@/app/_components/ui/classes";
import { TextField } from "@/app/_components/ui/field";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import { personName, PersonSearch, type Person } from "@/app/_components/person-search";
import { trpc } from "@/app/_trpc/client";
import type { OverviewGroup } from "@/app/admin/policies/overview";

/** A group's name, description and members as edited, and the save that refreshes the overview. */
function useGroupForm(group: OverviewGroup | undefined, onSaved: (message: string) => void) {
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
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      save.reset();
    };
  return {
    name,
    description,
    members,
    setName: edit(setName),
    setDescription: edit(setDescription),
    setMembers: edit(setMembers),
    save,
    errors: fieldErrorsOf(save.error),
    submit: () => save.mutate({ id: group?.id, name, description, memberIds: members.map((m) => m.id) }),
  };
}

/** Create or edit an approver group: its name, description and members. */
export function GroupForm({ group, onSaved, onCancel }: { group?: OverviewGroup; onSaved: (message: string) => void; onCancel: () => void }) {
  const f = useGroupForm(group, onSaved);
  return (
    <form
      className="mt-3 space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        f.submit();
      }}
      noValidate
    >
      <TextField label="Group name" value={f.name} onChange={f.setName} error={f.errors?.name} className="max-w-md" />
      <TextField label="Group description" value={f.description} onChange={f.setDescription} error={f.errors?.description} />
      <fieldset>
        <legend className={labelClass}>Members</legend>
        <MemberChips members={f.members} onRemove={(m) => f.setMembers(f.members.filter((x) => x.id !== m.id))} />
        <FieldError messages={f.errors?.memberIds} />
        <PersonSearch
          label="Add a member"
          placeholder="+ Member (search name or email)"
          exclude={f.members.map((m) => m.id)}
          onPick={(p) => f.setMembers([...f.members, p])}
          className="mt-2 max-w-md"
        />
      </fieldset>
      <FormErrors error={f.save.error} shown={["name", "description", "memberIds"]} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" isDisabled={f.save.isPending}>{group ? "Save group" : "Create group"}</Button>
        <Button variant="secondary" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function MemberChips({ members, onRemove }: { members: Person[]; onRemove: (m: Person) => void }) {
  return (
    <ul className="mt-1 flex flex-wrap gap-1.5" aria-label="Members">
      {members.length === 0 && <li className="text-sm text-slate-500">Nobody yet.</li>}
      {members.map((m) => (
        <li key={m.id} className="flex max-w-full items-center gap-1 break-words rounded-full bg-white py-0.5 pl-2.5 pr-1 text-sm ring-1 ring-inset ring-slate-300" title={m.email}>
          {personName(m)}
          <Button variant="quiet" onClick={() => onRemove(m)} aria-label={`Remove ${personName(m)} from the group`} className="h-5 w-5 rounded-full !p-0">
            ×
          </Button>
        </li>
      ))}
    </ul>
  );
}
