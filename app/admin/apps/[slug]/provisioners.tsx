"use client";
import { useState } from "react";
import { PersonSearch, type Person } from "@/app/_components/person-search";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";

/** Who works the app's manual tasks. With nobody chosen, tasks go to the app's owner. */
export function Provisioners({ app }: { app: AdminApp }) {
  const utils = trpc.useUtils();
  const current = app.provisioners.map((p) => p.user);
  const [added, setAdded] = useState<Person[]>([]);
  // Today's provisioners, the owner, and anyone picked from the search.
  const candidates = [...current, app.owner, ...added].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(current.map((p) => p.id)));
  const save = trpc.admin.setProvisioners.useMutation({ onSuccess: () => utils.admin.app.invalidate({ slug: app.slug }) });
  const toggle = (id: string) => {
    save.reset();
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  return (
    <Section title="Provisioners" testId="provisioners">
      <p className="mb-3 text-sm text-slate-600">They work this app&apos;s manual tasks; each new task goes to whoever has the fewest open ones. With nobody chosen, tasks go to the owner.</p>
      <ul className="space-y-1.5">
        {candidates.map((p) => (
          <li key={p.id}>
            <CheckboxField
              label={
                <>
                  <span className="font-medium">{p.name ?? p.email}</span>{" "}
                  <span className="text-slate-500"><span className="break-all">{p.email}</span>{p.id === app.owner.id && " · owner"}</span>
                </>
              }
              checked={chosen.has(p.id)}
              onChange={() => toggle(p.id)}
            />
          </li>
        ))}
      </ul>
      <div className="mt-3 max-w-sm">
        <label htmlFor="add-provisioner" className="text-sm text-slate-600">Add someone</label>
        <PersonSearch
          id="add-provisioner"
          label="Add someone"
          placeholder="Search by name or email"
          scope="directory"
          exclude={candidates.map((c) => c.id)}
          onPick={(p) => {
            setAdded((a) => [...a, p]);
            toggle(p.id);
          }}
          className="mt-1"
        />
      </div>
      <ErrorNote message={save.error?.message} />
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button isDisabled={save.isPending} onClick={() => save.mutate({ appId: app.id, userIds: [...chosen] })}>Save provisioners</Button>
        {save.isSuccess && <span className="text-sm text-emerald-700" role="status">Saved.</span>}
      </div>
    </Section>
  );
}
