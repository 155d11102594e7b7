import "server-only";
import { ZodRealError, type ZodError } from "zod";
import { AppError } from "@/server/errors";
import { SecretsKeyError } from "@/server/security/secrets";
import {
  connectorSettingsForAdmin,
  openConnectorConfig,
  parseConnectorConfig,
  SECRET_FIELDS,
  SECRET_MASK,
  URL_FIELDS,
  type ConfigIssue,
  type ConnectorConfig,
  type ConnectorMethod,
} from "./config";

// An admin's edit of a connector's settings, merged into what is stored. Secrets are write-only: the form
// never receives them, so an empty secret (or the old form's mask) keeps the stored one. A kept secret never
// follows the connector to a new address: whoever runs that host would receive it.

/** Settings the form does not edit but a save keeps: the webhook's rotation window (rotate-webhook-secret.ts). */
const CARRIED: Partial<Record<ConnectorMethod, string[]>> = { WEBHOOK: ["previousSecret", "previousSecretExpiresAt"] };

/**
 * Problems with settings, as a zod error keyed "config.<setting>", so the form shows each beside its field.
 * ZodRealError is the Error subclass `parse` throws; tRPC passes only Errors through as the cause.
 */
export function settingsProblems(issues: ConfigIssue[]): ZodError {
  return new ZodRealError(issues.map((i) => ({ code: "custom" as const, path: [i.field ? `config.${i.field}` : "config"], message: i.message, input: undefined })));
}

const isEmpty = (v: unknown) => v === undefined || v === "" || v === SECRET_MASK;

function openStored(method: ConnectorMethod, stored: unknown): Record<string, unknown> {
  try {
    return openConnectorConfig(method, stored).config;
  } catch (e) {
    if (!(e instanceof SecretsKeyError)) throw e;
    throw new AppError("BAD_REQUEST", `The stored secrets cannot be read (${e.message}) Enter them again.`);
  }
}

/**
 * The settings to check and store: the edit, with each empty secret replaced by the stored one and the
 * webhook's rotation window carried over (dropped when the address changes). `existing` is the stored config,
 * or null for a new connector.
 */
export function mergeConnectorEdit(method: ConnectorMethod, existing: unknown, edit: Record<string, unknown>): Record<string, unknown> {
  const carried = CARRIED[method] ?? [];
  const { settings: before, secretsSet } = existing == null ? { settings: {}, secretsSet: [] } : connectorSettingsForAdmin(existing);
  const moved = URL_FIELDS.some((k) => k in before && edit[k] !== before[k]);
  const kept = secretsSet.filter((k) => !carried.includes(k) && isEmpty(edit[k]));
  if (moved && kept.length > 0) {
    throw settingsProblems(kept.map((field) => ({ field, message: "The address changed: enter the secret again, so the stored one is not sent to the new address." })));
  }
  const carry = moved ? [] : carried.filter((k) => isEmpty(edit[k]) && (k in before || secretsSet.includes(k)));
  const plain = kept.length > 0 || carry.some((k) => secretsSet.includes(k)) ? openStored(method, existing) : before;
  const merged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(edit)) {
    if (carried.includes(k) && isEmpty(v)) continue;
    // An empty secret with nothing stored stays empty, so the check names it.
    merged[k] = SECRET_FIELDS.includes(k) && v === SECRET_MASK ? "" : v;
  }
  for (const k of [...kept, ...carry]) merged[k] = plain[k];
  return merged;
}

/** The merged settings, checked by the method's schema; each problem is thrown beside its field. */
export function checkedConnectorEdit(method: ConnectorMethod, existing: unknown, edit: Record<string, unknown>): ConnectorConfig {
  const parsed = parseConnectorConfig(method, mergeConnectorEdit(method, existing, edit));
  if (!parsed.success) throw settingsProblems(parsed.issues);
  return parsed.data;
}
