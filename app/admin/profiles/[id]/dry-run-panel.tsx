"use client";
import { personName } from "@/app/_components/person-search";
import { plural, type DryRun } from "@/app/admin/profiles/shared";

// The dry run of a rule form: who saving the draft would enroll, unenroll, or start a grace period for.

export type Preview = { key: string; enabled: boolean; asDrafted: DryRun; ifEnabled: DryRun | null };

function PeopleList({ people, total, testId }: { people: DryRun["wouldEnroll"]["people"]; total: number; testId: string }) {
  if (total === 0) return null;
  return (
    <ul className="mt-1 max-h-48 overflow-y-auto rounded-md border border-slate-200 bg-white text-sm" data-testid={testId}>
      {people.map((person) => (
        <li key={person.id} className="flex justify-between gap-3 border-b border-slate-100 px-2.5 py-1 last:border-0">
          <span className="font-medium">{personName(person)}</span>
          <span className="truncate text-slate-500">{person.email}</span>
        </li>
      ))}
      {total > people.length && <li className="px-2.5 py-1 text-slate-500">and {total - people.length} more</li>}
    </ul>
  );
}

function onceEnabled(r: DryRun): string {
  if (r.matched === 0) return "Once enabled, the rules would match nobody.";
  const matched = `Once enabled, the rules would match ${plural(r.matched, "person", "people")}`;
  if (r.wouldEnroll.total === 0) return `${matched}, all of them enrolled already.`;
  const names = r.wouldEnroll.people.slice(0, 8).map(personName).join(", ");
  return `${matched}, enrolling ${r.wouldEnroll.total} not enrolled yet: ${names}${r.wouldEnroll.total > 8 ? ", …" : "."}`;
}

type Approvals = DryRun["approvals"];

/** "3 managers and 1 app owner": the distinct approvers asked first, by role. */
function approversText(approvers: Approvals["approvers"]): string {
  const byRole = new Map<string, number>();
  for (const a of approvers) byRole.set(a.role, (byRole.get(a.role) ?? 0) + 1);
  const parts = [...byRole].map(([role, n]) => plural(n, role));
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "nobody");
}

/**
 * "Would enroll 12 people: enrollment approved automatically; 30 items auto-approved, 6 need approval
 * (6 approval requests to 3 managers)."
 */
export function approvalsSummary(r: DryRun): string | null {
  const people = r.wouldEnroll.total;
  if (people === 0) return null;
  const { enrollment, items, approvalRequests, approvers } = r.approvals;
  const first = enrollment.needApproval > 0 ? `${plural(enrollment.needApproval, "enrollment request")} need${enrollment.needApproval === 1 ? "s" : ""} approval, then` : "enrollment approved automatically;";
  const itemParts = [`${plural(items.autoApproved, "item")} auto-approved`, `${items.needApproval} need approval`];
  if (items.alreadyHeld > 0) itemParts.push(`${items.alreadyHeld} already held`);
  const refused = enrollment.refused + items.refused;
  if (refused > 0) itemParts.push(`${plural(refused, "request")} would be refused`);
  const asked = approvalRequests > 0 ? ` (${plural(approvalRequests, "approval request")} to ${approversText(approvers)})` : " (no approval requests)";
  return `Would enroll ${plural(people, "person", "people")}: ${first} ${itemParts.join(", ")}${asked}.`;
}

function ApprovalsNote({ result, prefix = "" }: { result: DryRun; prefix?: string }) {
  const text = approvalsSummary(result);
  if (!text) return null;
  const top = result.approvals.approvers.slice(0, 5);
  return (
    <div className="mt-3 border-t border-sky-200 pt-2 text-sm text-slate-700" data-testid="would-approvals">
      <p>
        {prefix}
        {text}
      </p>
      {top.length > 0 && (
        <ul className="mt-1 space-y-0.5 text-xs text-slate-600" aria-label="Approvers asked first">
          {top.map((a) => (
            <li key={a.id}>
              {a.name} ({a.role}): {plural(a.requests, "request")}
            </li>
          ))}
          {result.approvals.approvers.length > top.length && <li>and {plural(result.approvals.approvers.length - top.length, "other approver")}</li>}
        </ul>
      )}
      {result.approvals.estimated && <p className="mt-1 text-xs text-slate-500">Estimated: too many people to evaluate every request one by one.</p>}
    </div>
  );
}

/** What saving the draft would change, shown before it is saved. */
export function DryRunPanel({ preview, stale, enabling }: { preview: Preview | null; stale: boolean; enabling: boolean }) {
  if (!preview) {
    if (!stale) return null;
    return (
      <p className="rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-600" data-testid="dry-run">
        The rule changed since the last dry run. Run it again to see who it enrolls.
      </p>
    );
  }
  const { asDrafted, ifEnabled } = preview;
  const changes = asDrafted.wouldEnroll.total + asDrafted.wouldUnenroll.total + asDrafted.wouldStartGracePeriod.total;
  return (
    <div className="rounded-lg border-2 border-sky-300 bg-sky-50 p-4" data-testid="dry-run" role="status">
      <p className="text-xs font-semibold uppercase tracking-wide text-sky-800">Dry run: nothing has been saved</p>
      <p className="mt-1 text-sm text-slate-700">
        {preview.enabled ? "If you save this rule enabled" : "If you save this rule disabled"}, the profile&apos;s rules match {plural(asDrafted.matched, "person", "people")}.
        {changes === 0 && " Nobody is enrolled or unenrolled."}
      </p>
      <div className="mt-3 grid gap-4 sm:grid-cols-2">
        <div>
          <p className="font-semibold text-emerald-800" data-testid="would-enroll">Would enroll {asDrafted.wouldEnroll.total}</p>
          <PeopleList people={asDrafted.wouldEnroll.people} total={asDrafted.wouldEnroll.total} testId="would-enroll-people" />
        </div>
        <div>
          <p className={`font-semibold ${asDrafted.wouldUnenroll.total > 0 ? "text-rose-800" : "text-slate-600"}`} data-testid="would-unenroll">
            Would unenroll {asDrafted.wouldUnenroll.total}
          </p>
          <PeopleList people={asDrafted.wouldUnenroll.people} total={asDrafted.wouldUnenroll.total} testId="would-unenroll-people" />
          {asDrafted.wouldStartGracePeriod.total > 0 && (
            <>
              <p className="mt-2 font-semibold text-amber-800" data-testid="would-leave">
                Would leave after the grace period {asDrafted.wouldStartGracePeriod.total}
              </p>
              <PeopleList people={asDrafted.wouldStartGracePeriod.people} total={asDrafted.wouldStartGracePeriod.total} testId="would-leave-people" />
            </>
          )}
        </div>
      </div>
      {preview.enabled ? <ApprovalsNote result={asDrafted} /> : ifEnabled && <ApprovalsNote result={ifEnabled} prefix="Once enabled: " />}
      {ifEnabled && !enabling && (
        <p className="mt-3 border-t border-sky-200 pt-2 text-sm text-slate-700" data-testid="if-enabled">
          {onceEnabled(ifEnabled)}
        </p>
      )}
      {preview.enabled && asDrafted.wouldEnroll.total > 0 && (
        <p className="mt-2 text-xs text-slate-600">Each of them gets an enrollment request under the profile&apos;s policy when you save.</p>
      )}
    </div>
  );
}
