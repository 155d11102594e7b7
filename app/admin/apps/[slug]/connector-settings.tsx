"use client";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { CONNECTOR_FIELDS, type ConnectorField, type ConnectorMethod, type FormValues } from "@/universal/provisioning/connector-fields";

type Problems = Record<string, string[] | undefined>;

/** The HTML input each kind of setting gets: phones show the fitting keyboard. */
const INPUT: Record<ConnectorField["kind"], { type?: string; inputMode?: "url" | "email" | "numeric" | "text" }> = {
  url: { type: "url", inputMode: "url" },
  text: { type: "text" },
  email: { type: "email", inputMode: "email" },
  secret: { type: "password" },
  number: { type: "text", inputMode: "numeric" },
  select: {},
  statuses: { type: "text", inputMode: "numeric" },
};

function SecretHint({ field, isSet }: { field: ConnectorField; isSet: boolean }) {
  if (!isSet) return <>{field.help}</>;
  return (
    <>
      <span className="font-medium text-slate-700" data-testid={`secret-set-${field.key}`}>Set — leave empty to keep.</span> {field.help}
    </>
  );
}

function SettingField({ field, value, onChange, isSet, error }: { field: ConnectorField; value: string; onChange: (v: string) => void; isSet: boolean; error?: string[] }) {
  const label = field.unit ? `${field.label} (${field.unit})` : field.label;
  if (field.kind === "select") {
    return <SelectField label={label} value={value} onChange={onChange} options={field.options ?? []} hint={field.help} error={error} />;
  }
  const input = INPUT[field.kind];
  return (
    <TextField
      label={label}
      value={value}
      onChange={onChange}
      type={input.type}
      inputMode={input.inputMode}
      autoComplete={field.kind === "secret" ? "new-password" : "off"}
      spellCheck="false"
      placeholder={field.kind === "secret" && isSet ? "Leave empty to keep" : field.placeholder}
      hint={field.kind === "secret" ? <SecretHint field={field} isSet={isSet} /> : field.help}
      error={error}
    />
  );
}

/** One field per setting of the method, each with its own problem beside it ("config.<key>" in `problems`). */
export function ConnectorSettings({
  method,
  values,
  onChange,
  secretsSet,
  problems,
}: {
  method: ConnectorMethod;
  values: FormValues;
  onChange: (key: string, value: string) => void;
  secretsSet: readonly string[];
  problems: Problems;
}) {
  return (
    <fieldset className="min-w-0 rounded-lg border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">Settings</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {CONNECTOR_FIELDS[method].map((field) => (
          <SettingField
            key={`${method}-${field.key}`}
            field={field}
            value={values[field.key] ?? ""}
            onChange={(v) => onChange(field.key, v)}
            isSet={secretsSet.includes(field.key)}
            error={problems[`config.${field.key}`]}
          />
        ))}
      </div>
    </fieldset>
  );
}

/** The problems keys the settings fields show themselves, so a summary lists only the rest. */
export const shownSettingKeys = (method: ConnectorMethod) => CONNECTOR_FIELDS[method].map((f) => `config.${f.key}`);
