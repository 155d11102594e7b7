"use client";
import { useState } from "react";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { trpc } from "@/app/_trpc/client";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import { personName, PersonSearch, type Person } from "@/app/_components/person-search";
import { plural, type Profile } from "@/app/admin/profiles/shared";
import type { StatusTone } from "@/universal/requests/status";

function outcomeTone(outcome: string): StatusTone {
  if (outcome.startsWith("Enrolled")) return "good";
  if (outcome.startsWith("Enrollment requested")) return "waiting";
  if (outcome.startsWith("Already") || outcome.startsWith("Enrollment already")) return "neutral";
  return "bad";
}

/** The people picked to enroll, the enrollment, and its results named by the people sent. */
function useEnrollUsers(profileId: string) {
  const utils = trpc.useUtils();
  const [people, setPeople] = useState<Person[]>([]);
  const [submitted, setSubmitted] = useState<Person[]>([]);
  const enroll = trpc.profiles.enroll.useMutation({ onSuccess: () => utils.profiles.byId.invalidate({ id: profileId }) });
  return {
    people,
    enroll,
    add: (person: Person) => {
      setPeople((list) => [...list, person]);
      enroll.reset();
    },
    drop: (id: string) => setPeople((list) => list.filter((x) => x.id !== id)),
    submit: () => {
      setSubmitted(people);
      enroll.mutate({ profileId, userIds: people.map((x) => x.id) }, { onSuccess: () => setPeople([]) });
    },
    nameOf: (userId: string) => {
      const found = submitted.find((s) => s.id === userId);
      return found ? personName(found) : userId;
    },
  };
}

/** "Enroll users": pick several people, enroll them, and see what happened to each. */
export function EnrollUsers({ profile: p, onClose }: { profile: Profile; onClose: () => void }) {
  const { people, enroll, add, drop, submit, nameOf } = useEnrollUsers(p.id);
  const results = enroll.data?.results;
  return (
    <div className="mb-5 rounded-lg border border-indigo-200 bg-indigo-50/40 p-3 sm:p-4" data-testid="enroll-users">
      <h3 className="font-semibold">Enroll users</h3>
      <p className="mt-0.5 text-xs text-slate-600">Each person gets an enrollment request under the profile&apos;s policy; once granted, its items are requested.</p>
      <form
        className="mt-3 space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <PersonSearch label="Find people to enroll" exclude={people.map((x) => x.id)} onPick={add} />
        {people.length > 0 && (
          <ul className="flex flex-wrap gap-2" aria-label="People to enroll">
            {people.map((person) => (
              <li key={person.id} className="flex min-w-0 items-center gap-1 rounded-full bg-white py-0.5 pl-3 pr-1 text-sm ring-1 ring-slate-200" data-testid="enroll-pick">
                <span className="min-w-0 break-words">{personName(person)}</span>
                <Button variant="quiet" onClick={() => drop(person.id)} aria-label={`Remove ${personName(person)}`} className="h-6! w-6! rounded-full! p-0!">
                  ×
                </Button>
              </li>
            ))}
          </ul>
        )}
        <FieldError messages={fieldErrorsOf(enroll.error)?.userIds} />
        <FormErrors error={enroll.error} shown={["userIds"]} />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" isDisabled={enroll.isPending || people.length === 0}>
            {enroll.isPending ? "Enrolling…" : people.length > 0 ? `Enroll ${plural(people.length, "person", "people")}` : "Enroll"}
          </Button>
          <Button variant="secondary" onClick={onClose}>{results ? "Done" : "Cancel"}</Button>
        </div>
      </form>
      {results && (
        <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Enrollment results">
          {results.map((r) => (
            <li key={r.userId} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm" data-testid="enroll-result">
              <span className="min-w-0 flex-1 break-words font-medium">{nameOf(r.userId)}</span>
              <Badge label={r.outcome} tone={outcomeTone(r.outcome)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
