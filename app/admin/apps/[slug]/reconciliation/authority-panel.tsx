"use client";
import { useState } from "react";
import { Switch } from "react-aria-components";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { toast } from "@/app/_components/ui/toast";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { plural, type DryRun, type Overview } from "./shared";

// "Portal is authoritative": reconciliation then removes orphan accounts by itself and lets the owner
// revoke unmanaged access. Switching it on shows first, from the last run, exactly what would go.

export function AuthorityPanel({ overview, onChanged }: { overview: Overview; onChanged: () => void }) {
  const { app, isAdmin } = overview;
  const [confirming, setConfirming] = useState(false);
  const set = trpc.reconciliation.setAuthoritative.useMutation({
    onSuccess: (r) => {
      setConfirming(false);
      toast.success(r.portalAuthoritative ? "The portal is now authoritative" : "The portal is no longer authoritative", app.name);
      onChanged();
    },
  });
  return (
    <Section title="Portal is authoritative" testId="authority">
      <p className="text-sm text-slate-600">
        {app.portalAuthoritative
          ? `On: reconciliation removes orphan accounts from ${app.name}'s targets, and unmanaged access can be revoked.`
          : `Off: reconciliation only reports what the portal did not grant on ${app.name}'s targets; nothing is removed.`}
      </p>
      {isAdmin ? (
        <Switch
          isSelected={app.portalAuthoritative}
          isDisabled={set.isPending}
          // On asks first, with the dry run; off takes away the power to remove, so it is safe at once.
          onChange={(on) => (on ? setConfirming(true) : set.mutate({ appSlug: app.slug, authoritative: false }))}
          className="group mt-3 inline-flex cursor-pointer items-center gap-3 text-sm font-medium text-slate-700 outline-none"
        >
          <span className="flex h-6 w-11 shrink-0 items-center rounded-full bg-slate-300 p-0.5 transition-colors group-data-[selected]:bg-indigo-600 group-data-[focus-visible]:ring-2 group-data-[focus-visible]:ring-indigo-400 group-data-[focus-visible]:ring-offset-1">
            <span className="h-5 w-5 rounded-full bg-white shadow transition-transform group-data-[selected]:translate-x-5" />
          </span>
          The portal is authoritative for {app.name}
        </Switch>
      ) : (
        <p className="mt-2 text-xs text-slate-500">Only admins switch this.</p>
      )}
      {!confirming && <ErrorNote message={set.error?.message} />}
      {confirming && (
        <Dialog title={`Make the portal authoritative for ${app.name}?`} isOpen onClose={() => setConfirming(false)} size="lg" testId="authority-dialog">
          <DryRunList slug={app.slug} />
          <ErrorNote message={set.error?.message} />
          <div className="mt-4 flex flex-wrap justify-end gap-2">
            <Button variant="quiet" onClick={() => setConfirming(false)}>Cancel</Button>
            <Button variant="bad" isDisabled={set.isPending} onClick={() => set.mutate({ appSlug: app.slug, authoritative: true })}>
              {set.isPending ? "Saving…" : "Make authoritative"}
            </Button>
          </div>
        </Dialog>
      )}
    </Section>
  );
}

/** The dry run: what the next reconcile would remove, as of the last run. */
function DryRunList({ slug }: { slug: string }) {
  const dry = trpc.reconciliation.dryRun.useQuery({ appSlug: slug });
  if (dry.error) return <ErrorNote message={dry.error.message} />;
  if (!dry.data) return <p className="mt-3 text-sm text-slate-500">Working out what would be removed…</p>;
  const d = dry.data;
  return (
    <div className="mt-3 rounded-lg border-2 border-sky-300 bg-sky-50 p-4" data-testid="dry-run" role="status">
      <p className="text-xs font-semibold uppercase tracking-wide text-sky-800">Dry run: nothing has changed yet</p>
      <p className={`mt-1 font-semibold ${d.total > 0 ? "text-rose-800" : "text-slate-700"}`} data-testid="dry-run-summary">
        A reconcile would remove: {plural(d.accounts, "account")}, {plural(d.memberships, "membership")}.
      </p>
      <p className="mt-1 text-sm text-slate-700">
        {d.lastRunAt ? (
          <>As of the last run, <ExactDate date={d.lastRunAt} withTime />. </>
        ) : (
          "No run has read the targets yet: run Reconcile now first to see what would be removed. "
        )}
        Unmanaged access is never removed by itself: it stays listed until its owner adopts, ignores or revokes it.
      </p>
      {d.items.length > 0 && <DryRunItems d={d} />}
    </div>
  );
}

function DryRunItems({ d }: { d: DryRun }) {
  return (
    <ul className="mt-3 max-h-64 overflow-y-auto rounded-md border border-slate-200 bg-white text-sm" data-testid="dry-run-items">
      {d.items.map((i) => (
        <li key={i.findingId} className="border-b border-slate-100 px-2.5 py-1.5 last:border-0">
          <p className="break-all font-medium">
            {i.what === "account" ? "Account" : "Membership"} {i.account}
            {i.group && <span className="font-normal text-slate-600"> in {i.group}</span>}
          </p>
          <p className="text-xs text-slate-500">
            {i.connector}
            {i.person ? ` · ${i.person}` : " · unknown to the portal"}
            {i.detail && ` · ${i.detail}`}
          </p>
        </li>
      ))}
      {d.truncated && <li className="px-2.5 py-1.5 text-slate-500">and {d.total - d.items.length} more</li>}
    </ul>
  );
}
