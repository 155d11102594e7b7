"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { PersonSearch, type Person as PickedPerson } from "@/app/_components/person-search";
import { FieldError } from "@/app/_components/form-errors";

/** Who owns the app, and (read-only here) which request policy its requests follow. */
export function OwnerAndPolicy({ app }: { app: AdminApp }) {
  return (
    <Section title="Owner and request policy" testId="owner-and-policy">
      <div className="grid gap-6 md:grid-cols-2">
        <OwnerForm app={app} />
        <div className="min-w-0">
          <p className={labelClass}>Request policy</p>
          <p className="mt-1 text-sm" data-testid="app-policy">
            {app.requestPolicy ? (
              <>
                <span className="font-medium">{app.requestPolicy.name}</span> <span className="text-slate-500">· set for this app</span>
              </>
            ) : (
              <>
                <span className="font-medium">{app.globalPolicy?.name ?? "No policy"}</span> <span className="text-slate-500">· the global default</span>
              </>
            )}
          </p>
          <p className="mt-1 text-xs text-slate-500">Entitlements with a policy of their own follow it instead. Risk levels and admin access are set there too.</p>
          <Link href="/admin/policies" className="mt-2 inline-block text-sm font-medium text-indigo-700 hover:underline">Change on the Policies page</Link>
        </div>
      </div>
    </Section>
  );
}

function OwnerForm({ app }: { app: AdminApp }) {
  const utils = trpc.useUtils();
  const [picked, setPicked] = useState<PickedPerson | null>(null);
  const save = trpc.admin.updateApp.useMutation({
    onSuccess: async () => {
      await utils.admin.app.invalidate({ slug: app.slug });
      await utils.admin.apps.invalidate();
      setPicked(null);
    },
  });
  const fieldProblem = save.error?.data?.fieldErrors?.ownerId;
  const owner = picked ?? app.owner;
  return (
    <div className="min-w-0">
      <label htmlFor="app-owner" className={labelClass}>Owner</label>
      <p className="mt-1 break-words text-sm" data-testid="app-owner">
        <span className="font-medium">{owner.name ?? owner.email}</span> <span className="text-slate-500">{owner.email}</span>
        {!picked && app.owner.lifecycleState === "TERMINATED" && <span className="ml-1 text-rose-700">· has left: choose a new owner</span>}
        {picked && <span className="ml-1 text-amber-700">· not saved yet</span>}
      </p>
      <p className="mt-1 text-xs text-slate-500">Approves when a policy asks for the app owner, and works manual tasks when the app has no provisioners.</p>
      <div className="mt-2 max-w-sm">
        <PersonSearch
          id="app-owner"
          label="New owner"
          placeholder="Search for a new owner by name or email"
          exclude={[app.owner.id]}
          invalid={Boolean(fieldProblem)}
          onPick={(p) => {
            setPicked(p);
            save.reset();
          }}
        />
      </div>
      <FieldError messages={fieldProblem} />
      {!fieldProblem && <ErrorNote message={save.error?.message} />}
      {picked && (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <Button isDisabled={save.isPending} onClick={() => save.mutate({ appId: app.id, ownerId: picked.id })}>
            Make {picked.name ?? picked.email} the owner
          </Button>
          <Button variant="quiet" onClick={() => setPicked(null)}>Cancel</Button>
        </div>
      )}
      {save.isSuccess && !picked && <p className="mt-2 text-sm text-emerald-700" role="status">Owner changed.</p>}
    </div>
  );
}
