"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useId, useState } from "react";
import { ErrorNote, NewButton, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import { PeopleDirectory, personName, PersonSearch, type Person } from "@/app/_components/person-search";
import type { AppRouter } from "@/server/api/root";

type Action = "BLOCK" | "EXCEPTION";

/** Segregation of duties: rules naming entitlements no one should hold together, and who holds them together today. */
export function SodAdmin() {
  const report = trpc.policies.sodReport.useQuery(undefined, { refetchInterval: 30_000 });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const r = report.data;
  return (
    <PeopleDirectory initial={[]}>
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold">Segregation of duties</h1>
          <p className="mt-1 text-sm text-slate-600">
            Entitlements no one should hold two of. A request that would create such a pair is blocked, or needs an exception approval.
          </p>
        </div>
        {report.error && <ErrorNote message={report.error.message} />}
        {!r && !report.error && <p className="text-slate-500">Loading…</p>}
        {r && (
          <>
            <Section
              title="Rules"
              testId="sod-rules"
              action={
        <NewButton
          label="New rule"
          hidden={creating}
          onClick={() => {
            setCreating(true); setCreated(null);
          }}
        />
      }
            >
              {created && <p className="mb-3 text-sm text-emerald-700" role="status">{created}</p>}
              {creating && (
                <div className="mb-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="new-sod-rule">
                  <h3 className="font-semibold">New rule</h3>
                  <RuleForm
                    onCreated={(name) => {
                      setCreating(false);
                      setCreated(`Rule “${name}” created. It applies to requests from now on; conflicts people already have show below.`);
                    }}
                    onCancel={() => setCreating(false)}
                  />
                </div>
              )}
              {r.rules.length === 0 && !creating && <p className="text-sm text-slate-500">No rules yet.</p>}
              <ul className="space-y-3">
                {r.rules.map((rule) => <RuleCard key={rule.id} rule={rule} />)}
              </ul>
            </Section>
            <Conflicts conflicts={r.conflicts} />
          </>
        )}
      </div>
    </PeopleDirectory>
  );
}

type Report = inferRouterOutputs<AppRouter>["policies"]["sodReport"];
type Rule = Report["rules"][number];
type Conflict = Report["conflicts"][number];

function ActionBadge({ action, approver }: { action: Action; approver: { name: string | null; email: string } | null }) {
  return action === "BLOCK" ? (
    <Badge label="Block" tone="bad" />
  ) : (
    <Badge label={`Exception approval by ${approver ? personName(approver) : "nobody (choose one)"}`} tone="waiting" />
  );
}

function RuleCard({ rule }: { rule: Rule }) {
  const utils = trpc.useUtils();
  const [confirming, setConfirming] = useState(false);
  const remove = trpc.policies.deleteSodRule.useMutation({ onSuccess: () => utils.policies.sodReport.invalidate() });
  return (
    <li className="rounded-lg border border-slate-200 p-4" data-testid="sod-rule">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="font-semibold">{rule.name}</h3>
            <ActionBadge action={rule.action} approver={rule.exceptionApprover} />
          </div>
          {rule.description && <p className="mt-1 text-sm text-slate-600">{rule.description}</p>}
        </div>
        {!confirming && (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${rule.name}`} className={buttonVariants.quiet}>
            Delete
          </button>
        )}
      </div>
      <ul className="mt-2 flex flex-wrap gap-1.5 text-sm" aria-label={`Entitlements in ${rule.name}`}>
        {rule.entitlements.map((e) => <li key={e.id} className="rounded-full bg-slate-100 px-2.5 py-0.5">{e.label}</li>)}
      </ul>
      {confirming && (
        <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-rose-50 p-3 text-sm" role="group" aria-label={`Delete ${rule.name}?`}>
          <span className="text-rose-900">Delete “{rule.name}”? Requests are no longer checked against it.</span>
          <div className="ml-auto flex gap-2">
            <button type="button" disabled={remove.isPending} onClick={() => remove.mutate({ id: rule.id })} className={buttonVariants.bad}>Yes, delete</button>
            <button type="button" onClick={() => setConfirming(false)} className={buttonVariants.secondary}>Cancel</button>
          </div>
        </div>
      )}
      <ErrorNote message={remove.error?.message} />
    </li>
  );
}

function RuleForm({ onCreated, onCancel }: { onCreated: (name: string) => void; onCancel: () => void }) {
  const id = useId();
  const utils = trpc.useUtils();
  // The catalog to choose from: the policies overview lists every app with its entitlements.
  const catalog = trpc.policies.overview.useQuery();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [action, setAction] = useState<Action>("BLOCK");
  const [approver, setApprover] = useState<Person | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const create = trpc.policies.createSodRule.useMutation({
    onSuccess: async () => {
      await utils.policies.sodReport.invalidate();
      onCreated(name.trim());
    },
  });
  const errors = fieldErrorsOf(create.error);
  const toggle = (entitlementId: string) => {
    create.reset();
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(entitlementId)) next.add(entitlementId);
      return next;
    });
  };
  return (
    <form
      className="mt-3 space-y-4"
      onChange={() => create.reset()}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name, description, action, exceptionApproverId: action === "EXCEPTION" ? (approver?.id ?? null) : null, entitlementIds: [...chosen] });
      }}
      noValidate
    >
      <div>
        <label htmlFor={`${id}-name`} className={labelClass}>Rule name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={Boolean(errors?.name)} className={`${inputClass} mt-1 max-w-md`} />
        <FieldError messages={errors?.name} />
      </div>
      <div>
        <label htmlFor={`${id}-description`} className={labelClass}>Rule description</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder="Why holding these together is a risk; requesters see it when they are blocked."
          aria-invalid={Boolean(errors?.description)}
          className={`${inputClass} mt-1`}
        />
        <FieldError messages={errors?.description} />
      </div>
      <fieldset>
        <legend className={labelClass}>When a request would create a conflict</legend>
        <div className="mt-1 space-y-1 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-action`} checked={action === "BLOCK"} onChange={() => setAction("BLOCK")} />
            Block it
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-action`} checked={action === "EXCEPTION"} onChange={() => setAction("EXCEPTION")} />
            Allow it with an exception approval
          </label>
        </div>
      </fieldset>
      {action === "EXCEPTION" && (
        <div>
          <p className={labelClass}>Exception approver</p>
          {approver ? (
            <p className="mt-1 flex items-center gap-2 text-sm">
              <span className="rounded-full bg-white px-2.5 py-0.5 ring-1 ring-inset ring-slate-300" data-testid="exception-approver">
                {personName(approver)} <span className="text-slate-500">{approver.email}</span>
              </span>
              <button type="button" onClick={() => setApprover(null)} className={buttonVariants.quiet}>Change</button>
            </p>
          ) : (
            <PersonSearch
              label="Exception approver"
              placeholder="Search people by name or email"
              onPick={(p) => {
                setApprover(p);
                create.reset();
              }}
              className="mt-1 max-w-md"
            />
          )}
          <FieldError messages={errors?.exceptionApproverId} />
        </div>
      )}
      <fieldset>
        <legend className={labelClass}>Conflicting entitlements (choose at least two)</legend>
        {catalog.error && <ErrorNote message={catalog.error.message} />}
        {!catalog.data && !catalog.error && <p className="mt-1 text-sm text-slate-500">Loading the catalog…</p>}
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          {catalog.data?.apps
            .filter((app) => app.entitlements.length > 0)
            .map((app) => (
              <fieldset key={app.id} className="rounded-lg border border-slate-200 p-3" data-testid="sod-app">
                <legend className="px-1 text-sm font-semibold">{app.name}</legend>
                <ul className="space-y-1 text-sm">
                  {app.entitlements.map((e) => (
                    <li key={e.id}>
                      <label className="flex items-center gap-2">
                        <input type="checkbox" checked={chosen.has(e.id)} onChange={() => toggle(e.id)} aria-label={`${app.name} / ${e.name}`} />
                        {e.name}
                        {e.adminAccess && <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-amber-800">Admin</span>}
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            ))}
        </div>
        <p className="mt-1 text-xs text-slate-500">{chosen.size} chosen</p>
        <FieldError messages={errors?.entitlementIds} />
      </fieldset>
      <FormErrors error={create.error} shown={["name", "description", "exceptionApproverId", "entitlementIds"]} />
      <div className="flex items-center gap-3">
        <button disabled={create.isPending} className={buttonVariants.primary}>Create rule</button>
        <button type="button" onClick={onCancel} className={buttonVariants.secondary}>Cancel</button>
      </div>
    </form>
  );
}

function Conflicts({ conflicts }: { conflicts: Conflict[] }) {
  return (
    <Section title="Conflicts today" testId="sod-conflicts">
      <p className="text-sm text-slate-600">People who hold (or are being given) two or more entitlements of one rule right now.</p>
      {conflicts.length === 0 ? (
        <p className="mt-4 text-sm text-slate-500">Nobody holds conflicting access.</p>
      ) : (
        <div className="mt-3 overflow-hidden rounded-lg border border-slate-200">
          <table className="w-full table-fixed text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="w-48 px-3 py-2 font-medium">Person</th>
                <th className="w-52 px-3 py-2 font-medium">Rule</th>
                <th className="px-3 py-2 font-medium">Entitlements they hold</th>
                <th className="w-56 px-3 py-2 font-medium">Exception approved by</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {conflicts.map((c) => (
                <tr key={`${c.ruleId}-${c.person.id}`} className="align-top" data-testid="sod-conflict">
                  <td className="px-3 py-2">
                    <p className="truncate font-medium">{personName(c.person)}</p>
                    <p className="truncate text-xs text-slate-500">{c.person.email}</p>
                  </td>
                  <td className="px-3 py-2">
                    <p>{c.ruleName}</p>
                    <p className="text-xs text-slate-500">{c.action === "BLOCK" ? "Block" : "Exception approval"}</p>
                  </td>
                  <td className="px-3 py-2">
                    <ul className="space-y-0.5">
                      {c.entitlements.map((e) => <li key={e}>{e}</li>)}
                    </ul>
                  </td>
                  <td className="px-3 py-2">
                    {c.exceptionApprovedBy ?? <span className="text-slate-400">None</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
