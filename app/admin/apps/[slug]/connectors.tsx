"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { METHOD_LABELS } from "@/universal/provisioning/plan";

type Connector = AdminApp["connectors"][number];
type ConnectorMethod = Exclude<Connector["method"], "MANUAL">;

// A starting point for each method's settings; the server checks them and says what is wrong.
const EXAMPLE_CONFIG: Record<ConnectorMethod, Record<string, unknown>> = {
  SCIM: { baseUrl: "https://api.example.com/scim/v2", token: "" },
  LDAP_GROUP: {
    url: "ldaps://directory.example.com:636",
    bindDN: "cn=portal,ou=services,dc=example,dc=com",
    bindPassword: "",
    usersBaseDN: "ou=people,dc=example,dc=com",
    groupsBaseDN: "ou=groups,dc=example,dc=com",
  },
  WEBHOOK: { url: "https://hooks.example.com/access", secret: "whsec_…" },
  JIRA: { baseUrl: "https://your-team.atlassian.net", email: "", apiToken: "", projectKey: "OPS", issueType: "Task" },
  SERVICENOW: { instanceUrl: "https://acme.service-now.com", username: "", password: "", table: "sc_task" },
};
const METHODS = Object.keys(EXAMPLE_CONFIG) as ConnectorMethod[];
const imports = (m: string) => m === "SCIM" || m === "LDAP_GROUP";

export function Connectors({ app }: { app: AdminApp }) {
  const [editing, setEditing] = useState<string | "new" | null>(null);
  return (
    <Section
      title="Connectors"
      testId="connectors"
      action={editing !== "new" && <button onClick={() => setEditing("new")} className={buttonVariants.secondary}>Add connector</button>}
    >
      {app.connectors.length === 0 && editing !== "new" && <p className="text-sm text-slate-500">No connectors: every step is done by hand.</p>}
      <ul className="space-y-3">
        {editing === "new" && (
          <li className="rounded-lg border border-indigo-200 p-3">
            <ConnectorForm app={app} onClose={() => setEditing(null)} />
          </li>
        )}
        {app.connectors.map((c) => (
          <li key={c.id} className="rounded-lg border border-slate-200 p-3" data-testid="connector">
            {editing === c.id ? (
              <ConnectorForm app={app} connector={c} onClose={() => setEditing(null)} />
            ) : (
              <ConnectorSummary connector={c} onEdit={() => setEditing(c.id)} />
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}

function ConnectorSummary({ connector: c, onEdit }: { connector: Connector; onEdit: () => void }) {
  const importNow = trpc.admin.importEntitlements.useMutation();
  const where = c.config.baseUrl ?? c.config.url ?? c.config.instanceUrl;
  return (
    <div>
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1">
          <p className="font-medium">{c.name} <span className="ml-1 text-xs font-normal text-slate-500">{METHOD_LABELS[c.method]}</span></p>
          <p className="truncate text-xs text-slate-500">
            {typeof where === "string" && <>{where} · </>}
            {c.maxAttempts} tries, backoff from {c.backoffMs} ms
            {c.retryableStatuses.length > 0 && <> · also retries {c.retryableStatuses.join(", ")}</>}
            {imports(c.method) && <> · {c.importGroups ? "imports groups hourly" : "no scheduled import"}{c.lastImportAt && <>, last {dateTime(c.lastImportAt)}</>}</>}
          </p>
        </div>
        {imports(c.method) && (
          <button disabled={importNow.isPending} onClick={() => importNow.mutate({ connectorId: c.id })} className={buttonVariants.secondary}>
            Import groups now
          </button>
        )}
        <button onClick={onEdit} className={buttonVariants.secondary}>Edit</button>
      </div>
      {c.method === "WEBHOOK" && <RotateSecret connector={c} />}
      {importNow.isSuccess && <p className="mt-2 text-sm text-emerald-700" role="status">Import started. New groups appear below as entitlements that are not requestable yet.</p>}
      <ErrorNote message={importNow.error?.message} />
    </div>
  );
}

/** Standard Webhooks rotation: the old secret keeps signing next to the new one for the overlap. */
function RotateSecret({ connector: c }: { connector: Connector }) {
  const utils = trpc.useUtils();
  const [hours, setHours] = useState("24");
  const [openedAt] = useState(() => Date.now());
  const rotate = trpc.admin.rotateWebhookSecret.useMutation({ onSuccess: () => utils.admin.app.invalidate() });
  const raw: unknown = rotate.data ? rotate.data.previousSecretSignsUntil : c.config.previousSecretExpiresAt;
  const until = raw instanceof Date ? raw : typeof raw === "string" ? new Date(raw) : null;
  const id = `rotate-hours-${c.id}`;
  return (
    <div className="mt-2 space-y-2 text-sm">
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={id} className={labelClass}>Old secret keeps signing for (hours)</label>
          <input id={id} type="number" min={0} max={720} value={hours} onChange={(e) => setHours(e.target.value)} className={`${inputClass} mt-1 w-32`} />
        </div>
        <button
          disabled={rotate.isPending}
          onClick={() => rotate.mutate({ connectorId: c.id, overlapHours: Number(hours) })}
          className={buttonVariants.secondary}
        >
          Rotate secret
        </button>
      </div>
      {until && until.getTime() > openedAt && (
        <p className="text-xs text-slate-500">Deliveries carry both signatures until {dateTime(until)}; after that only the new secret signs.</p>
      )}
      {rotate.data && (
        <p className="rounded-md bg-emerald-50 p-2 text-emerald-900" role="status">
          New secret (shown once): <code className="break-all" data-testid="new-webhook-secret">{rotate.data.secret}</code>. Give it to the receiver
          {rotate.data.previousSecretSignsUntil ? " before the old one stops signing." : "; the old one no longer signs."}
        </p>
      )}
      <ErrorNote message={rotate.error?.message} />
    </div>
  );
}

function ConnectorForm({ app, connector, onClose }: { app: AdminApp; connector?: Connector; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [method, setMethod] = useState<ConnectorMethod>(connector && connector.method !== "MANUAL" ? connector.method : "SCIM");
  const [name, setName] = useState(connector?.name ?? "");
  const [config, setConfig] = useState(() => JSON.stringify(connector?.config ?? EXAMPLE_CONFIG.SCIM, null, 2));
  const [maxAttempts, setMaxAttempts] = useState(String(connector?.maxAttempts ?? 5));
  const [backoffMs, setBackoffMs] = useState(String(connector?.backoffMs ?? 2000));
  const [retryable, setRetryable] = useState(connector?.retryableStatuses.join(", ") ?? "");
  const [importGroups, setImportGroups] = useState(connector?.importGroups ?? false);
  const [problem, setProblem] = useState<string | null>(null);
  // A change that would put an entitlement on an admin group waits for a second admin: say so, keep the form open.
  const [pending, setPending] = useState<string | null>(null);
  const save = trpc.admin.saveConnector.useMutation({
    onSuccess: async (result) => {
      await utils.admin.app.invalidate({ slug: app.slug });
      if (result.status === "PENDING") setPending(result.message);
      else onClose();
    },
  });
  const errors = save.error?.data?.fieldErrors;
  const id = (field: string) => `connector-${field}-${connector?.id ?? "new"}`;

  function submit() {
    setProblem(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch (e) {
      return setProblem(`The settings are not valid JSON: ${(e as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return setProblem("The settings must be a JSON object.");
    const statuses = retryable.split(/[\s,]+/).filter(Boolean).map(Number);
    save.mutate({
      appId: app.id,
      id: connector?.id,
      method,
      name,
      config: parsed as Record<string, unknown>,
      maxAttempts: Number(maxAttempts),
      backoffMs: Number(backoffMs),
      retryableStatuses: statuses,
      importGroups: imports(method) && importGroups,
    });
  }

  return (
    <form
      className="space-y-3"
      data-testid="connector-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={id("method")} className={labelClass}>Method</label>
          <select
            id={id("method")}
            value={method}
            disabled={Boolean(connector)}
            onChange={(e) => {
              const next = e.target.value as ConnectorMethod;
              setMethod(next);
              setConfig(JSON.stringify(EXAMPLE_CONFIG[next], null, 2));
            }}
            className={`${inputClass} mt-1`}
          >
            {METHODS.map((m) => <option key={m} value={m}>{METHOD_LABELS[m]}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor={id("name")} className={labelClass}>Name</label>
          <input id={id("name")} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={Boolean(errors?.name)} className={`${inputClass} mt-1`} />
          {errors?.name && <p className="mt-1 text-sm text-rose-700">{errors.name[0]}</p>}
        </div>
      </div>
      <div>
        <label htmlFor={id("config")} className={labelClass}>Settings (JSON)</label>
        <textarea id={id("config")} rows={8} spellCheck={false} value={config} onChange={(e) => setConfig(e.target.value)} className={`${inputClass} mt-1 font-mono text-xs`} />
        <p className="mt-1 text-xs text-slate-500">Secrets show as •••••••• — leave them so to keep the stored value.</p>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label htmlFor={id("tries")} className={labelClass}>Tries per step</label>
          <input id={id("tries")} type="number" min={1} max={20} value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} className={`${inputClass} mt-1`} />
          {errors?.maxAttempts && <p className="mt-1 text-sm text-rose-700">{errors.maxAttempts[0]}</p>}
        </div>
        <div>
          <label htmlFor={id("backoff")} className={labelClass}>Backoff from (ms)</label>
          <input id={id("backoff")} type="number" min={100} value={backoffMs} onChange={(e) => setBackoffMs(e.target.value)} className={`${inputClass} mt-1`} />
          {errors?.backoffMs && <p className="mt-1 text-sm text-rose-700">{errors.backoffMs[0]}</p>}
        </div>
        <div>
          <label htmlFor={id("retryable")} className={labelClass}>Also retry HTTP statuses</label>
          <input id={id("retryable")} value={retryable} onChange={(e) => setRetryable(e.target.value)} placeholder="e.g. 409, 423" className={`${inputClass} mt-1`} />
          {errors?.retryableStatuses && <p className="mt-1 text-sm text-rose-700">{errors.retryableStatuses[0]}</p>}
        </div>
      </div>
      {imports(method) && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={importGroups} onChange={(e) => setImportGroups(e.target.checked)} />
          Import the target&apos;s groups as entitlements every hour
        </label>
      )}
      {problem && <p className="rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{problem}</p>}
      {!problem && <ErrorNote message={save.error?.message} />}
      {pending && <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="status">{pending}</p>}
      <div className="flex gap-2">
        <button disabled={save.isPending} className={buttonVariants.primary}>{connector ? "Save connector" : "Add connector"}</button>
        <button type="button" onClick={onClose} className={buttonVariants.quiet}>Cancel</button>
      </div>
    </form>
  );
}
