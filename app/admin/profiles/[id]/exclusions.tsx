"use client";
import { useId, useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { labelClass } from "@/app/_components/ui/classes";
import { TextField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { RelativeDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import { personName, PersonSearch, type Person } from "@/app/_components/person-search";
import { Empty, PersonCell, type Profile } from "@/app/admin/profiles/shared";

type Exclusion = Profile["exclusions"][number];

/** Excluding someone from the rules and lifting an exclusion; what either did, until the next change. */
function useExclusions(p: Profile) {
  const utils = trpc.useUtils();
  const [person, setPerson] = useState<Person | null>(null);
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => utils.profiles.byId.invalidate({ id: p.id });
  const exclude = trpc.profiles.exclude.useMutation({
    onSuccess: async () => {
      await refresh();
      setDone(`${person ? personName(person) : "They"} will not be enrolled by this profile's rules. If a rule enrolled them, the next sync unenrolls them.`);
      setPerson(null);
      setReason("");
    },
  });
  const include = trpc.profiles.include.useMutation({
    onSuccess: async (_, { userId }) => {
      const who = p.exclusions.find((x) => x.person.id === userId)?.person;
      await refresh();
      setDone(`${who ? personName(who) : "They"} can be matched by this profile's rules again: the next sync (hourly, or Sync now) enrolls them if a rule matches.`);
    },
  });
  const reset = () => {
    setDone(null);
    exclude.reset();
    include.reset();
  };
  return {
    person,
    reason,
    exclude,
    include,
    done,
    pick: (picked: Person | null) => {
      setPerson(picked);
      reset();
    },
    write: (text: string) => {
      setReason(text);
      reset();
    },
    submitExclude: () => {
      reset();
      exclude.mutate({ profileId: p.id, userId: person?.id ?? "", reason });
    },
    lift: (userId: string) => {
      reset();
      include.mutate({ profileId: p.id, userId });
    },
  };
}

type ExclusionState = ReturnType<typeof useExclusions>;

/** People kept out of the profile's rules, and the form to exclude someone. */
export function Exclusions({ profile: p }: { profile: Profile }) {
  const state = useExclusions(p);
  const { include, done, lift } = state;
  const columns: Column<Exclusion>[] = [
    { id: "person", header: "Person", sortBy: (x) => personName(x.person).toLowerCase(), cell: (x) => <PersonCell person={x.person} /> },
    {
      id: "since",
      header: "Excluded",
      sortBy: (x) => x.since,
      className: "sm:w-32",
      cell: (x) => (
        <span className="text-xs text-slate-500">
          since <RelativeDate date={x.since} />
        </span>
      ),
    },
    {
      id: "remove",
      header: "Actions",
      hideHeader: true,
      className: "sm:w-28 sm:text-right",
      cell: (x) => (
        <Button variant="secondary" isDisabled={include.isPending} onClick={() => lift(x.person.id)} aria-label={`Remove exclusion of ${personName(x.person)}`}>
          Remove
        </Button>
      ),
    },
  ];
  return (
    <Section title="Excluded from rules" testId="exclusions">
      <p className="mb-2 text-sm text-slate-600">
        Excluded people never match this profile&apos;s rules, even if they hold the entitlements or attributes. They can still be enrolled by hand.
      </p>
      {p.exclusions.length === 0 ? (
        <Empty text="Nobody is excluded." />
      ) : (
        <DataTable label="Excluded from rules" rows={p.exclusions} columns={columns} rowId={(x) => x.grantId} rowTestId="exclusion" />
      )}
      <ErrorNote message={include.error?.message} />
      {done && include.isSuccess && <p className="mt-2 text-sm text-emerald-700" role="status">{done}</p>}
      <ExcludeForm profile={p} state={state} />
    </Section>
  );
}

/** "Exclude someone": the person and why. */
function ExcludeForm({ profile: p, state }: { profile: Profile; state: ExclusionState }) {
  const id = useId();
  const { person, reason, exclude, done, pick, write, submitExclude } = state;
  const fields = fieldErrorsOf(exclude.error);
  return (
    <form
      className="mt-4 space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3 sm:p-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submitExclude();
      }}
    >
      <h3 className="text-sm font-semibold">Exclude someone</h3>
      <div>
        <label htmlFor={`${id}-person`} className={labelClass}>Person to exclude</label>
        {person ? (
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm">
            <span className="min-w-0 break-words rounded-full bg-white px-3 py-1 ring-1 ring-slate-200" data-testid="exclude-pick">
              <span className="font-medium">{personName(person)}</span> <span className="break-all text-slate-500">{person.email}</span>
            </span>
            <Button id={`${id}-person`} variant="quiet" onClick={() => pick(null)} aria-label={`Person to exclude: ${personName(person)}. Change`}>
              Change
            </Button>
          </div>
        ) : (
          <PersonSearch
            id={`${id}-person`}
            label="Person to exclude"
            exclude={p.exclusions.map((x) => x.person.id)}
            invalid={Boolean(fields?.userId)}
            describedBy={fields?.userId ? `${id}-person-error` : undefined}
            onPick={pick}
            className="mt-1"
          />
        )}
        {fields?.userId?.[0] && <p id={`${id}-person-error`} className="mt-1 text-sm text-rose-700">{fields.userId[0]}</p>}
      </div>
      <TextField
        label="Reason"
        multiline
        rows={2}
        isRequired
        value={reason}
        onChange={write}
        placeholder="e.g. Contractor: gets Salesforce through the partner programme instead."
        error={fields?.reason}
      />
      <FormErrors error={exclude.error} shown={["userId", "reason"]} />
      {done && exclude.isSuccess && <p className="text-sm text-emerald-700" role="status">{done}</p>}
      <Button type="submit" isDisabled={exclude.isPending}>{exclude.isPending ? "Excluding…" : "Exclude"}</Button>
    </form>
  );
}
