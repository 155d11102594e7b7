"use client";
import { Button } from "@/app/_components/ui/button";
import { labelClass } from "@/app/_components/ui/classes";
import { PersonSearch, personName, type Person } from "@/app/_components/person-search";

/**
 * Who answers for an entitlement in access reviews: a person, or nobody (its app's owner then does).
 * Kept apart from the app's owner, who also approves and works manual tasks.
 */
export function EntitlementOwnerField({
  id,
  value,
  appOwner,
  onChange,
  error,
}: {
  id: string;
  value: Person | null;
  appOwner: Pick<Person, "name" | "email">;
  onChange: (owner: Person | null) => void;
  error?: string;
}) {
  const hintId = `${id}-hint`;
  return (
    <div className="min-w-0 sm:max-w-md">
      <label htmlFor={id} className={labelClass}>Entitlement owner (optional)</label>
      {value ? (
        <div className="mt-1 flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-1.5 text-sm" data-testid="entitlement-owner">
          <span className="min-w-0 flex-1 break-words">
            <span className="font-medium">{personName(value)}</span> <span className="text-slate-500">{value.email}</span>
            {value.lifecycleState === "TERMINATED" && <span className="ml-1 text-rose-700">· has left: choose someone else or remove</span>}
          </span>
          <Button id={id} variant="quiet" onClick={() => onChange(null)} aria-label={`Remove ${personName(value)} as the entitlement's owner`}>
            Remove
          </Button>
        </div>
      ) : (
        <PersonSearch id={id} label="Entitlement owner" placeholder="Search for an owner by name or email" invalid={Boolean(error)} describedBy={hintId} onPick={onChange} className="mt-1" />
      )}
      <p id={hintId} className="mt-1 text-xs text-slate-500">
        Reviews this access when an access review asks for the entitlement&apos;s owner. Without one, the app&apos;s owner ({personName(appOwner)}) does.
      </p>
      {error && <p className="mt-1 text-sm text-rose-700">{error}</p>}
    </div>
  );
}
