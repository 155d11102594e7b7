"use client";
import { useState, type FormEvent } from "react";
import { FormErrors } from "@/app/_components/form-errors";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/app/_components/ui/field";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { ConnectorSettings, shownSettingKeys } from "@/app/admin/apps/[slug]/connector-settings";
import { TestConnectionButton, TestConnectionResult } from "@/app/admin/apps/[slug]/test-connection";
import { CONNECTOR_FIELDS, formFromSettings, settingsFromForm, settingsHints, type ConnectorMethod } from "@/universal/provisioning/connector-fields";
import { METHOD_LABELS } from "@/universal/provisioning/plan";

export type Connector = AdminApp["connectors"][number];
type Problems = Record<string, string[] | undefined>;

const METHOD_OPTIONS = (Object.keys(CONNECTOR_FIELDS) as ConnectorMethod[]).map((m) => ({ value: m, label: METHOD_LABELS[m] }));

/** Whether a connector of this method can import the target's groups as entitlements. */
export const importsGroups = (method: string) => method === "SCIM" || method === "LDAP_GROUP";

function initialValues(connector: Connector | undefined) {
  const method = connector && connector.method !== "MANUAL" ? connector.method : ("SCIM" as ConnectorMethod);
  return {
    method,
    name: connector?.name ?? "",
    settings: formFromSettings(method, connector?.config ?? {}),
    maxAttempts: String(connector?.maxAttempts ?? 5),
    backoffMs: String(connector?.backoffMs ?? 2000),
    retryable: connector?.retryableStatuses.join(", ") ?? "",
    importGroups: connector?.importGroups ?? false,
  };
}
type Values = ReturnType<typeof initialValues>;

/** The connector's fields, the early hints, the save and the connection test. */
function useConnectorForm(app: AdminApp, connector: Connector | undefined, onClose: () => void) {
  const utils = trpc.useUtils();
  const [values, setValues] = useState(() => initialValues(connector));
  const [hints, setHints] = useState<Problems | null>(null);
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
  const test = trpc.admin.testConnector.useMutation();
  const secretsSet = connector?.secretsSet ?? [];
  const set = <K extends keyof Values>(field: K, value: Values[K]) => setValues((v) => ({ ...v, [field]: value }));
  const setSetting = (key: string, value: string) => {
    setValues((v) => ({ ...v, settings: { ...v.settings, [key]: value } }));
    setHints((h) => (h ? { ...h, [`config.${key}`]: undefined } : h));
  };
  // Another method has other settings: start them empty.
  const setMethod = (method: ConnectorMethod) => {
    setValues((v) => ({ ...v, method, settings: formFromSettings(method, {}) }));
    setHints(null);
  };
  // Early hints first; the server checks again and names what it refuses beside the same fields.
  const checked = () => {
    const found = settingsHints(values.method, values.settings, secretsSet);
    setHints(Object.keys(found).length > 0 ? found : null);
    return Object.keys(found).length === 0;
  };
  const config = () => settingsFromForm(values.method, values.settings);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    test.reset();
    if (!checked()) return;
    save.mutate({
      appId: app.id,
      id: connector?.id,
      method: values.method,
      name: values.name,
      config: config(),
      maxAttempts: Number(values.maxAttempts),
      backoffMs: Number(values.backoffMs),
      retryableStatuses: values.retryable.split(/[\s,]+/).filter(Boolean).map(Number),
      importGroups: importsGroups(values.method) && values.importGroups,
    });
  };
  const runTest = () => {
    save.reset();
    if (checked()) test.mutate({ appId: app.id, connectorId: connector?.id, method: values.method, config: config() });
  };
  const problems: Problems = hints ?? save.error?.data?.fieldErrors ?? test.error?.data?.fieldErrors ?? {};
  return { values, set, setSetting, setMethod, submit, runTest, save, test, secretsSet, problems, pending };
}

export function ConnectorForm({ app, connector, onClose }: { app: AdminApp; connector?: Connector; onClose: () => void }) {
  const { values, set, setSetting, setMethod, submit, runTest, save, test, secretsSet, problems, pending } = useConnectorForm(app, connector, onClose);
  const shown = ["name", "maxAttempts", "backoffMs", "retryableStatuses", ...shownSettingKeys(values.method)];
  const called = values.name.trim() || `the new ${METHOD_LABELS[values.method]}`;
  return (
    <form className="space-y-3" data-testid="connector-form" noValidate onSubmit={submit} aria-label={connector ? `Edit connector ${connector.name}` : "New connector"}>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Method" value={values.method} isDisabled={Boolean(connector)} onChange={(m) => setMethod(m as ConnectorMethod)} options={METHOD_OPTIONS} />
        <TextField label="Name" value={values.name} onChange={(v) => set("name", v)} error={problems.name} />
      </div>
      <ConnectorSettings method={values.method} values={values.settings} onChange={setSetting} secretsSet={secretsSet} problems={problems} />
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField label="Tries per step" type="number" inputMode="numeric" value={values.maxAttempts} onChange={(v) => set("maxAttempts", v)} error={problems.maxAttempts} />
        <TextField label="Backoff from (ms)" type="number" inputMode="numeric" value={values.backoffMs} onChange={(v) => set("backoffMs", v)} error={problems.backoffMs} />
        <TextField label="Also retry HTTP statuses" value={values.retryable} onChange={(v) => set("retryable", v)} placeholder="e.g. 409, 423" error={problems.retryableStatuses} />
      </div>
      {importsGroups(values.method) && (
        <CheckboxField label="Import the target's groups as entitlements every hour" checked={values.importGroups} onChange={(v) => set("importGroups", v)} />
      )}
      {!test.isIdle && <TestConnectionResult test={test} />}
      <FormErrors error={save.error} shown={shown} />
      {pending && <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="status">{pending}</p>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" isDisabled={save.isPending}>{connector ? "Save connector" : "Add connector"}</Button>
        <TestConnectionButton name={called} test={test} onPress={runTest} />
        <Button variant="quiet" onClick={onClose} aria-label={connector ? `Cancel editing ${connector.name}` : "Cancel the new connector"}>Cancel</Button>
      </div>
    </form>
  );
}
