import "server-only";
import { z } from "zod";
import { ConnectorError } from "./errors";
import { basicAuth, callTarget } from "./http";

// Provisioning by ServiceNow ticket (Table API): the portal opens a catalog task or incident for a fulfiller,
// then follows its state. The ticket's correlation_id is the provisioning task's, so a retried step finds the
// ticket an earlier attempt opened instead of opening a second one.

export interface ServiceNowConfig {
  /** e.g. https://acme.service-now.com */
  instanceUrl: string;
  username: string;
  password: string;
  /** default "sc_task" */
  table?: "incident" | "sc_task";
  /** sys_id or name of the group the ticket is assigned to. */
  assignmentGroup?: string;
  /** Per request; defaults to 10 s. */
  timeoutMs?: number;
}

export interface ServiceNowTicket {
  shortDescription: string;
  description: string;
  /** Stable across retries of the same provisioning task. */
  correlationId: string;
}

export interface ServiceNowTicketState {
  state: "open" | "resolved" | "failed";
  /** The state as the instance labels it, e.g. "Work in Progress". */
  label: string;
  closeNotes: string | null;
}

type Table = NonNullable<ServiceNowConfig["table"]>;

const TARGET = "ServiceNow";
const DEFAULT_TIMEOUT_MS = 10_000;
// State values are strings in the Table API. Labels are a fallback for instances that send no display value.
const STATES: Record<Table, { resolved: string[]; failed: string[]; labels: Record<string, string> }> = {
  sc_task: {
    resolved: ["3"],
    failed: ["4", "7"],
    labels: { "-5": "Pending", "1": "Open", "2": "Work in Progress", "3": "Closed Complete", "4": "Closed Incomplete", "7": "Closed Skipped" },
  },
  incident: {
    resolved: ["6", "7"],
    failed: ["8"],
    labels: { "1": "New", "2": "In Progress", "3": "On Hold", "6": "Resolved", "7": "Closed", "8": "Canceled" },
  },
};

export const serviceNowConfigSchema = z.object({
  instanceUrl: z.url({ protocol: /^https?$/, error: "must be your instance's URL, e.g. https://acme.service-now.com" }),
  username: z.string().trim().min(1, { error: "is required (a user with the itil role, or rest_api_explorer and table rights)" }),
  password: z.string().min(1, { error: "is required" }),
  table: z.enum(["incident", "sc_task"], { error: 'must be "sc_task" (catalog task) or "incident"' }).optional(),
  assignmentGroup: z.string().trim().min(1, { error: "must name a group, or be left out" }).optional(),
  timeoutMs: z.number().int().min(100, { error: "must be at least 100 ms" }).max(120_000, { error: "must be at most 120000 ms" }).optional(),
}) satisfies z.ZodType<ServiceNowConfig>;

/** Opens the ticket for this correlation id, or returns the one an earlier attempt opened. */
export async function createServiceNowTicket(
  config: ServiceNowConfig,
  ticket: ServiceNowTicket,
): Promise<{ sysId: string; number: string; url: string; created: boolean }> {
  const existing = await findTicket(config, ticket.correlationId);
  if (existing) return { ...existing, url: ticketUrl(config, existing.sysId), created: false };
  const table = tableOf(config);
  const path = `/api/now/table/${table}?sysparm_fields=sys_id,number`;
  const fields = {
    short_description: ticket.shortDescription,
    description: ticket.description,
    correlation_id: ticket.correlationId,
    correlation_display: "Access Portal",
    ...(config.assignmentGroup ? { assignment_group: config.assignmentGroup } : {}),
  };
  const { body } = await serviceNow(config, "POST", path, fields);
  const result = (body as { result?: { sys_id?: unknown; number?: unknown } } | undefined)?.result;
  if (typeof result?.sys_id === "string" && typeof result.number === "string") {
    return { sysId: result.sys_id, number: result.number, url: ticketUrl(config, result.sys_id), created: true };
  }
  const created = await findTicket(config, ticket.correlationId);
  if (created) return { ...created, url: ticketUrl(config, created.sysId), created: true };
  throw new ConnectorError({ message: `${TARGET} created a ticket on POST /api/now/table/${table} but did not say which`, retryable: true });
}

/** Where the ticket stands, by its state: closed complete (resolved), closed otherwise (failed), or still open. */
export async function getServiceNowTicketState(config: ServiceNowConfig, sysId: string): Promise<ServiceNowTicketState> {
  const table = tableOf(config);
  const query = "sysparm_fields=state,close_notes&sysparm_display_value=all";
  const { body } = await serviceNow(config, "GET", `/api/now/table/${table}/${encodeURIComponent(sysId)}?${query}`);
  const result = (body as { result?: Record<string, unknown> } | undefined)?.result;
  const state = field(result?.state);
  const closeNotes = field(result?.close_notes).value || null;
  const states = STATES[table];
  const label = state.display || states.labels[state.value] || `State ${state.value || "unknown"}`;
  const outcome = states.resolved.includes(state.value) ? "resolved" : states.failed.includes(state.value) ? "failed" : "open";
  return { state: outcome, label, closeNotes };
}

async function findTicket(config: ServiceNowConfig, correlationId: string): Promise<{ sysId: string; number: string } | null> {
  // ^ separates terms in an encoded query; ours are generated ids, so this is a bug rather than bad input.
  if (correlationId.includes("^")) throw new Error(`Correlation id ${correlationId} cannot contain ^`);
  const query = encodeURIComponent(`correlation_id=${correlationId}`);
  const path = `/api/now/table/${tableOf(config)}?sysparm_query=${query}&sysparm_limit=1&sysparm_fields=sys_id,number,correlation_id`;
  const { body } = await serviceNow(config, "GET", path);
  const results = (body as { result?: unknown } | undefined)?.result;
  // Check the match ourselves: ServiceNow ignores query terms it does not understand and lists everything.
  const match = (Array.isArray(results) ? results : []).find(
    (record: Record<string, unknown>) => record?.correlation_id === correlationId && typeof record.sys_id === "string",
  ) as { sys_id: string; number?: unknown } | undefined;
  return match ? { sysId: match.sys_id, number: String(match.number ?? "") } : null;
}

function tableOf(config: ServiceNowConfig): Table {
  return config.table ?? "sc_task";
}

function ticketUrl(config: ServiceNowConfig, sysId: string): string {
  return `${config.instanceUrl.replace(/\/+$/, "")}/${tableOf(config)}.do?sys_id=${encodeURIComponent(sysId)}`;
}

/** A field read with sysparm_display_value=all ({ value, display_value }), or a plain value. */
function field(raw: unknown): { value: string; display: string } {
  if (raw && typeof raw === "object") {
    const { value, display_value } = raw as { value?: unknown; display_value?: unknown };
    return { value: value == null ? "" : String(value), display: display_value == null ? "" : String(display_value) };
  }
  return { value: raw == null ? "" : String(raw), display: "" };
}

async function serviceNow(config: ServiceNowConfig, method: string, path: string, body?: object) {
  return callTarget({
    target: TARGET,
    baseUrl: config.instanceUrl,
    method,
    path,
    headers: {
      Authorization: basicAuth(config.username, config.password),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    explain: serviceNowReason,
  });
}

/** ServiceNow's error body: { error: { message, detail }, status: "failure" }. */
function serviceNowReason(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown; detail?: unknown } } | undefined)?.error;
  if (typeof error?.message !== "string" || !error.message) return undefined;
  return typeof error.detail === "string" && error.detail ? `${error.message} (${error.detail})` : error.message;
}
