"use client";
import Link from "next/link";
import { useId, useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import { personName, PersonSearch, type Person } from "@/app/_components/person-search";
import { ago, plural, type Profile } from "@/app/admin/profiles/shared";
import type { StatusTone } from "@/universal/requests/status";

type Member = Profile["members"][number]["person"];

function Who({ person }: { person: Member }) {
  const about = [person.title, person.department?.name].filter(Boolean).join(", ");
  return (
    <div className="min-w-0 flex-1">
      <p className="truncate">
        <span className="font-medium">{personName(person)}</span> <span className="text-slate-500">{person.email}</span>
      </p>
      {about && <p className="truncate text-xs text-slate-500">{about}</p>}
    </div>
  );
}

const rowClass = "flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm";
const listClass = "mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200";

/** Pending enrollments (behind their link), enrolled members and the rule that enrolled them, people leaving, and "Enroll users". */
export function Members({ profile: p }: { profile: Profile }) {
  const [enrolling, setEnrolling] = useState(false);
  const [showPending, setShowPending] = useState(false);
  const pending = p.pendingEnrollments.length;
  // Enrollments a sync made whose requests the enrollment worker has not created yet.
  const preparing = Math.max(0, (p.counts.PENDING ?? 0) - pending);
  return (
    <Section
      title="Members"
      testId="members"
      action={
        !enrolling && (
          <button type="button" onClick={() => setEnrolling(true)} className={buttonVariants.primary}>
            Enroll users
          </button>
        )
      }
    >
      {enrolling && <EnrollUsers profile={p} onClose={() => setEnrolling(false)} />}
      <div id="pending-enrollments" className="scroll-mt-6">
        <div className="flex flex-wrap items-center gap-3">
          <a
            href="#pending-enrollments"
            onClick={(e) => {
              e.preventDefault();
              setShowPending(!showPending);
            }}
            aria-expanded={showPending}
            aria-controls="pending-enrollment-list"
            className={`text-sm font-medium underline decoration-dotted underline-offset-4 hover:decoration-solid ${pending > 0 ? "text-amber-800" : "text-slate-600"}`}
          >
            Pending enrollments: {pending}
            <span aria-hidden className="ml-1 inline-block no-underline">{showPending ? "▾" : "▸"}</span>
          </a>
          {preparing > 0 && <span className="text-xs text-slate-500">({preparing} more being requested)</span>}
        </div>
        {showPending && (
          <div id="pending-enrollment-list">
            <p className="mt-1 text-xs text-slate-500">Enrollment requests waiting for approval. Open one to see its approvers.</p>
            {pending === 0 && <p className="mt-2 text-sm text-slate-500">No enrollment requests are waiting.</p>}
            {pending > 0 && (
              <ul className={listClass}>
                {p.pendingEnrollments.map((r) => (
                  <li key={r.requestId} className={rowClass} data-testid="pending-enrollment">
                    <Who person={r.person} />
                    <span className="text-xs text-slate-500" title={dateTime(r.since)}>requested {ago(r.since)}</span>
                    <Link href={`/requests/${r.requestId}`} className="text-sm font-medium text-indigo-700 hover:underline">
                      Open request
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <h3 className="mt-5 text-sm font-semibold text-slate-700">Enrolled ({p.counts.ENROLLED ?? 0})</h3>
      {p.members.length === 0 && <p className="mt-1 text-sm text-slate-500">Nobody is enrolled yet.</p>}
      {p.members.length > 0 && (
        <ul className={listClass}>
          {p.members.map((m) => (
            <li key={m.person.id} className={rowClass} data-testid="enrolled-member">
              <Who person={m.person} />
              <span className="text-xs text-slate-600">{m.rule ? <>by rule “{m.rule}”</> : "by hand"}</span>
              <span className="w-24 text-right text-xs text-slate-500" title={dateTime(m.since)}>{ago(m.since)}</span>
              <RemoveMember profileId={p.id} person={m.person} />
            </li>
          ))}
        </ul>
      )}
      {(p.counts.ENROLLED ?? 0) > p.members.length && <p className="mt-1 text-xs text-slate-500">Showing the latest {p.members.length}.</p>}
      <h3 className="mt-5 text-sm font-semibold text-slate-700">Leaving ({p.counts.LEAVING ?? 0})</h3>
      <p className="text-xs text-slate-500">People who no longer match a rule with a grace period. They keep the profile until then, or stay if they match again.</p>
      {p.leaving.length === 0 && <p className="mt-1 text-sm text-slate-500">Nobody is leaving.</p>}
      {p.leaving.length > 0 && (
        <ul className={listClass}>
          {p.leaving.map((m) => (
            <li key={m.person.id} className={rowClass} data-testid="leaving-member">
              <Who person={m.person} />
              <span className="text-xs text-amber-800">{m.leaveAt ? `leaves ${dateTime(m.leaveAt)}` : "leaving"}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function outcomeTone(outcome: string): StatusTone {
  if (outcome.startsWith("Enrolled")) return "good";
  if (outcome.startsWith("Enrollment requested")) return "waiting";
  if (outcome.startsWith("Already") || outcome.startsWith("Enrollment already")) return "neutral";
  return "bad";
}

/** "Enroll users": pick several people, enroll them, and see what happened to each. */
function EnrollUsers({ profile: p, onClose }: { profile: Profile; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [people, setPeople] = useState<Person[]>([]);
  const [submitted, setSubmitted] = useState<Person[]>([]);
  const enroll = trpc.profiles.enroll.useMutation({ onSuccess: () => utils.profiles.byId.invalidate({ id: p.id }) });
  const fields = fieldErrorsOf(enroll.error);
  const results = enroll.data?.results;
  const nameOf = (userId: string) => {
    const found = submitted.find((s) => s.id === userId);
    return found ? personName(found) : userId;
  };
  return (
    <div className="mb-5 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="enroll-users">
      <h3 className="font-semibold">Enroll users</h3>
      <p className="mt-0.5 text-xs text-slate-600">Each person gets an enrollment request under the profile&apos;s policy; once granted, its items are requested.</p>
      <form
        className="mt-3 space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(people);
          enroll.mutate({ profileId: p.id, userIds: people.map((x) => x.id) }, { onSuccess: () => setPeople([]) });
        }}
      >
        <PersonSearch
          label="Find people to enroll"
          exclude={people.map((x) => x.id)}
          onPick={(person) => {
            setPeople((list) => [...list, person]);
            enroll.reset();
          }}
        />
        {people.length > 0 && (
          <ul className="flex flex-wrap gap-2" aria-label="People to enroll">
            {people.map((person) => (
              <li key={person.id} className="flex items-center gap-1 rounded-full bg-white py-0.5 pl-3 pr-1 text-sm ring-1 ring-slate-200" data-testid="enroll-pick">
                {personName(person)}
                <button
                  type="button"
                  onClick={() => setPeople((list) => list.filter((x) => x.id !== person.id))}
                  aria-label={`Remove ${personName(person)}`}
                  className="grid h-5 w-5 place-items-center rounded-full text-slate-500 hover:bg-slate-100"
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <FieldError messages={fields?.userIds} />
        <FormErrors error={enroll.error} shown={["userIds"]} />
        <div className="flex items-center gap-3">
          <button disabled={enroll.isPending || people.length === 0} className={buttonVariants.primary}>
            {enroll.isPending ? "Enrolling…" : people.length > 0 ? `Enroll ${plural(people.length, "person", "people")}` : "Enroll"}
          </button>
          <button type="button" onClick={onClose} className={buttonVariants.secondary}>{results ? "Done" : "Cancel"}</button>
        </div>
      </form>
      {results && (
        <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Enrollment results">
          {results.map((r) => (
            <li key={r.userId} className={rowClass} data-testid="enroll-result">
              <span className="min-w-0 flex-1 font-medium">{nameOf(r.userId)}</span>
              <Badge label={r.outcome} tone={outcomeTone(r.outcome)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** People kept out of the profile's rules, and the form to exclude someone. */
export function Exclusions({ profile: p }: { profile: Profile }) {
  const id = useId();
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
  const fields = fieldErrorsOf(exclude.error);
  const reset = () => {
    setDone(null);
    exclude.reset();
    include.reset();
  };
  return (
    <Section title="Excluded from rules" testId="exclusions">
      <p className="text-sm text-slate-600">Excluded people never match this profile&apos;s rules, even if they hold the entitlements or attributes. They can still be enrolled by hand.</p>
      {p.exclusions.length === 0 && <p className="mt-2 text-sm text-slate-500">Nobody is excluded.</p>}
      {p.exclusions.length > 0 && (
        <ul className={listClass}>
          {p.exclusions.map((x) => (
            <li key={x.grantId} className={rowClass} data-testid="exclusion">
              <Who person={x.person} />
              <span className="text-xs text-slate-500" title={dateTime(x.since)}>since {ago(x.since)}</span>
              <button
                type="button"
                disabled={include.isPending}
                onClick={() => {
                  reset();
                  include.mutate({ profileId: p.id, userId: x.person.id });
                }}
                aria-label={`Remove exclusion of ${personName(x.person)}`}
                className={buttonVariants.secondary}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorNote message={include.error?.message} />
      {done && include.isSuccess && <p className="mt-2 text-sm text-emerald-700" role="status">{done}</p>}
      <form
        className="mt-4 space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          reset();
          exclude.mutate({ profileId: p.id, userId: person?.id ?? "", reason });
        }}
      >
        <h3 className="text-sm font-semibold">Exclude someone</h3>
        <div>
          <span className={labelClass} id={`${id}-person`}>Person</span>
          {person ? (
            <div className="mt-1 flex items-center gap-2 text-sm" aria-labelledby={`${id}-person`}>
              <span className="rounded-full bg-white px-3 py-1 ring-1 ring-slate-200" data-testid="exclude-pick">
                <span className="font-medium">{personName(person)}</span> <span className="text-slate-500">{person.email}</span>
              </span>
              <button
                type="button"
                onClick={() => {
                  setPerson(null);
                  reset();
                }}
                className={buttonVariants.quiet}
              >
                Change
              </button>
            </div>
          ) : (
            <PersonSearch
              label="Person to exclude"
              exclude={p.exclusions.map((x) => x.person.id)}
              onPick={(picked) => {
                setPerson(picked);
                reset();
              }}
              className="mt-1"
            />
          )}
          <FieldError messages={fields?.userId} />
        </div>
        <div>
          <label htmlFor={`${id}-reason`} className={labelClass}>Reason</label>
          <textarea
            id={`${id}-reason`}
            rows={2}
            required
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              reset();
            }}
            placeholder="e.g. Contractor: gets Salesforce through the partner programme instead."
            aria-invalid={Boolean(fields?.reason)}
            className={`${inputClass} mt-1`}
          />
          <FieldError messages={fields?.reason} />
        </div>
        <FormErrors error={exclude.error} shown={["userId", "reason"]} />
        {done && exclude.isSuccess && <p className="text-sm text-emerald-700" role="status">{done}</p>}
        <button disabled={exclude.isPending} className={buttonVariants.primary}>{exclude.isPending ? "Excluding…" : "Exclude"}</button>
      </form>
    </Section>
  );
}

/** "Remove": ends the person's enrollment (their items held only through the profile go too), with a reason. */
function RemoveMember({ profileId, person }: { profileId: string; person: Member }) {
  const utils = trpc.useUtils();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const unenroll = trpc.profiles.unenroll.useMutation({
    onSuccess: async () => {
      setOpen(false);
      await utils.profiles.byId.invalidate({ id: profileId });
    },
  });
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className="text-xs font-medium text-rose-700 hover:underline" aria-label={`Remove ${personName(person)} from the profile`}>
        Remove
      </button>
    );
  }
  const fields = fieldErrorsOf(unenroll.error);
  return (
    <form
      className="mt-1 flex w-full flex-wrap items-end gap-2 rounded-md bg-rose-50 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        unenroll.mutate({ profileId, userId: person.id, reason });
      }}
    >
      <div className="min-w-64 flex-1">
        <label htmlFor={`${id}-reason`} className="block text-xs font-medium text-slate-700">Why remove {personName(person)}?</label>
        <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} className={`${inputClass} mt-1`} placeholder="e.g. Moved to the partner team" />
        <FieldError messages={fields?.reason} />
      </div>
      <button disabled={unenroll.isPending} className={buttonVariants.primary}>Remove from profile</button>
      <button type="button" onClick={() => setOpen(false)} className={buttonVariants.secondary}>Cancel</button>
      <FormErrors error={unenroll.error} shown={["reason"]} />
      <p className="w-full text-xs text-slate-500">Their access held only through this profile is revoked. If a rule still matches them, exclude them too, or the next sync enrolls them again.</p>
    </form>
  );
}
