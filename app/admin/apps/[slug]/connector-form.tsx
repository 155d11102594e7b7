"use client";
import { useState, type FormEvent } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/app/_components/ui/field";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { JsonField } from "@/app/admin/apps/[slug]/json-field";
import { METHOD_LABELS } from "@/universal/provisioning/plan";

export type Connector = AdminApp["connectors"][number];
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
const METHOD_OPTIONS = (Object.keys(EXAMPLE_CONFIG) as ConnectorMethod[]).map((m) => ({ value: m, label: METHOD_LABELS[m] }));
const asJson = (value: unknown) => JSON.stringify(value, null, 2);

/** Whether a connector of this method can import the target's groups as entitlements. */
export const importsGroups = (method: string) => method === "SCIM" || method === "LDAP_GROUP";

function initialValues(connector: Connector | undefined) {
  return {
    method: connector && connector.method !== "MANUAL" ? connector.method : ("SCIM" as ConnectorMethod),
    name: connector?.name ?? "",
    config: asJson(connector?.config ?? EXAMPLE_CONFIG.SCIM),
    maxAttempts: String(connector?.maxAttempts ?? 5),
    backoffMs: String(connector?.backoffMs ?? 2000),
    retryable: connector?.retryableStatuses.join(", ") ?? "",
    importGroups: connector?.importGroups ?? false,
  };
}
type Values = ReturnType<typeof initialValues>;

/** The connector's fields, the JSON check before sending, and the save. */
function useConnectorForm(app: AdminApp, connector: Connector | undefined, onClose: () => void) {
  const utils = trpc.useUtils();
  const [values, setValues] = useState(() => initialValues(connector));
  const [problem, setProblem] = useState<string | null>(null);
  // A change that would put an entitlement on an admin group waits for a second admin: say so, keep the form open.
  const [pending, setPending] = useState<string | null>(null);
  const save = trpc.admin.saveConnector.useMutation({
    onSuccess: async (result) => {
      await utils.admin.app.invalidate({ slug: app.slug });
      if (result.status === "PENDING") return setPending(result.message);
      toast.success(connector ? "Connector saved" : "Connector added", values.name);
      onClose();
    },
  });
  const set = <K extends keyof Values>(field: K, value: Values[K]) => setValues((v) => ({ ...v, [field]: value }));
  // Another method starts from its own example settings.
  const setMethod = (method: ConnectorMethod) => setValues((v) => ({ ...v, method, config: asJson(EXAMPLE_CONFIG[method]) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.config);
    } catch (error) {
      return setProblem(`The settings are not valid JSON: ${(error as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return setProblem("The settings must be a JSON object.");
    save.mutate({
      appId: app.id,
      id: connector?.id,
      method: values.method,
      name: values.name,
      config: parsed as Record<string, unknown>,
      maxAttempts: Number(values.maxAttempts),
      backoffMs: Number(values.backoffMs),
      retryableStatuses: values.retryable.split(/[\s,]+/).filter(Boolean).map(Number),
      importGroups: importsGroups(values.method) && values.importGroups,
    });
  };
  return { values, set, setMethod, submit, save, problem, pending, errors: save.error?.data?.fieldErrors };
}

export function ConnectorForm({ app, connector, onClose }: { app: AdminApp; connector?: Connector; onClose: () => void }) {
  const { values, set, setMethod, submit, save, problem, pending, errors } = useConnectorForm(app, connector, onClose);
  return (
    <form className="space-y-3" data-testid="connector-form" noValidate onSubmit={submit}>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Method" value={values.method} isDisabled={Boolean(connector)} onChange={(m) => setMethod(m as ConnectorMethod)} options={METHOD_OPTIONS} />
        <TextField label="Name" value={values.name} onChange={(v) => set("name", v)} error={errors?.name} />
      </div>
      <JsonField
        label="Settings (JSON)"
        rows={8}
        value={values.config}
        onChange={(v) => set("config", v)}
        hint="Secrets show as •••••••• — leave them so to keep the stored value."
      />
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField label="Tries per step" type="number" inputMode="numeric" value={values.maxAttempts} onChange={(v) => set("maxAttempts", v)} error={errors?.maxAttempts} />
        <TextField label="Backoff from (ms)" type="number" inputMode="numeric" value={values.backoffMs} onChange={(v) => set("backoffMs", v)} error={errors?.backoffMs} />
        <TextField label="Also retry HTTP statuses" value={values.retryable} onChange={(v) => set("retryable", v)} placeholder="e.g. 409, 423" error={errors?.retryableStatuses} />
      </div>
      {importsGroups(values.method) && (
        <CheckboxField label="Import the target's groups as entitlements every hour" checked={values.importGroups} onChange={(v) => set("importGroups", v)} />
      )}
      {problem && <p className="rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{problem}</p>}
      {!problem && <ErrorNote message={save.error?.message} />}
      {pending && <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="status">{pending}</p>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" isDisabled={save.isPending}>{connector ? "Save connector" : "Add connector"}</Button>
        <Button variant="quiet" onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}
