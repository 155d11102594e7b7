import "server-only";
import { z } from "zod";
import { ConnectorError } from "./errors";
import { basicAuth, callTarget } from "./http";

// Provisioning by Jira Cloud ticket (REST API v3): the portal opens an issue for a person to carry out, then
// follows its status. Each issue carries the label portal-<correlationId>, so a retried step finds the issue an
// earlier attempt created instead of opening a second one.

export interface JiraConfig {
  /** e.g. https://your-team.atlassian.net */
  baseUrl: string;
  /** The Atlassian account the API token belongs to. */
  email: string;
  apiToken: string;
  projectKey: string;
  /** default "Task" */
  issueType?: string;
  /** Per request; defaults to 10 s. */
  timeoutMs?: number;
}

export interface JiraTicket {
  summary: string;
  /** Plain text; blank lines separate paragraphs. */
  description: string;
  /** Stable across retries of the same provisioning task. */
  correlationId: string;
}

export interface JiraIssueState {
  state: "open" | "resolved" | "failed";
  /** The workflow status as Jira names it, e.g. "In Progress". */
  status: string;
  resolution: string | null;
}

const TARGET = "Jira";
const DEFAULT_TIMEOUT_MS = 10_000;
// Resolutions that close an issue without doing the work. Compared lower-case, with straight apostrophes.
const FAILED_RESOLUTIONS = new Set(["won't do", "won't fix", "declined", "duplicate", "cannot reproduce", "rejected"]);

export const jiraConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: "must be your Jira site's URL, e.g. https://your-team.atlassian.net" }),
  email: z.email({ error: "must be the email address of the Atlassian account that owns the API token" }),
  apiToken: z.string().trim().min(1, { error: "is required (create one under Atlassian account settings → Security → API tokens)" }),
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]+$/, { error: "must be a Jira project key such as OPS (capital letters, digits, _)" }),
  issueType: z.string().trim().min(1, { error: "must name an issue type of the project, e.g. Task" }).optional(),
  timeoutMs: z.number().int().min(100, { error: "must be at least 100 ms" }).max(120_000, { error: "must be at most 120000 ms" }).optional(),
}) satisfies z.ZodType<JiraConfig>;

/** Opens the issue for this correlation id, or returns the one an earlier attempt opened. */
export async function createJiraIssue(
  config: JiraConfig,
  ticket: JiraTicket,
): Promise<{ key: string; url: string; created: boolean }> {
  const label = correlationLabel(ticket.correlationId);
  // Jira's search is eventually consistent: an issue created seconds ago may not show up yet. Retries come
  // after a backoff, which in practice outlasts the indexing delay.
  const existing = await findIssueByLabel(config, label);
  if (existing) return { key: existing, url: browseUrl(config, existing), created: false };
  const fields = {
    project: { key: config.projectKey },
    summary: ticket.summary,
    description: toDocument(ticket.description),
    issuetype: { name: config.issueType ?? "Task" },
    labels: [label],
  };
  const path = "/rest/api/3/issue";
  const { body } = await jira(config, "POST", path, { fields });
  const key = (body as { key?: unknown } | undefined)?.key;
  if (typeof key === "string" && key) return { key, url: browseUrl(config, key), created: true };
  const created = await findIssueByLabel(config, label);
  if (created) return { key: created, url: browseUrl(config, created), created: true };
  throw new ConnectorError({ message: `${TARGET} created an issue on POST ${path} but did not say its key`, retryable: true });
}

/** Where the issue stands: open until its status category is done; then resolved or failed by its resolution. */
export async function getJiraIssueState(config: JiraConfig, key: string): Promise<JiraIssueState> {
  const { body } = await jira(config, "GET", `/rest/api/3/issue/${encodeURIComponent(key)}?fields=status,resolution`);
  const fields = (body as { fields?: { status?: unknown; resolution?: unknown } } | undefined)?.fields;
  const status = fields?.status as { name?: unknown; statusCategory?: { key?: unknown } } | undefined;
  const resolutionName = (fields?.resolution as { name?: unknown } | null | undefined)?.name;
  const resolution = typeof resolutionName === "string" ? resolutionName : null;
  const name = typeof status?.name === "string" ? status.name : "Unknown";
  if (status?.statusCategory?.key !== "done") return { state: "open", status: name, resolution };
  // Done without a resolution happens in workflows that never set one; the work is done all the same.
  const failed = resolution !== null && FAILED_RESOLUTIONS.has(resolution.toLowerCase().replace(/[\u2018\u2019]/g, "'"));
  return { state: failed ? "failed" : "resolved", status: name, resolution };
}

/** Jira labels cannot contain spaces. */
function correlationLabel(correlationId: string): string {
  return `portal-${correlationId.trim().replace(/\s+/g, "_")}`;
}

async function findIssueByLabel(config: JiraConfig, label: string): Promise<string | null> {
  const jql = `project = ${quote(config.projectKey)} AND labels = ${quote(label)}`;
  const { body } = await jira(config, "POST", "/rest/api/3/search/jql", { jql, fields: ["labels"], maxResults: 10 });
  const issues = (body as { issues?: unknown } | undefined)?.issues;
  // Check the label ourselves rather than trust the query to have matched exactly.
  const match = (Array.isArray(issues) ? issues : []).find((issue: { key?: unknown; fields?: { labels?: unknown } }) => {
    const labels = issue?.fields?.labels;
    return typeof issue?.key === "string" && Array.isArray(labels) && labels.includes(label);
  }) as { key: string } | undefined;
  return match?.key ?? null;
}

function browseUrl(config: JiraConfig, key: string): string {
  return `${config.baseUrl.replace(/\/+$/, "")}/browse/${encodeURIComponent(key)}`;
}

/** Plain text as an Atlassian Document: paragraphs at blank lines, hard breaks at single newlines. */
function toDocument(text: string) {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((paragraph) => ({
      type: "paragraph",
      content: paragraph.split("\n").flatMap((line, index) => [
        ...(index > 0 ? [{ type: "hardBreak" }] : []),
        ...(line ? [{ type: "text", text: line }] : []),
      ]),
    })),
  };
}

/** A JQL string literal. */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

async function jira(config: JiraConfig, method: string, path: string, body?: object) {
  return callTarget({
    target: TARGET,
    baseUrl: config.baseUrl,
    method,
    path,
    headers: {
      Authorization: basicAuth(config.email, config.apiToken),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    explain: jiraReason,
  });
}

/** Jira's error body: { errorMessages: ["…"], errors: { field: "…" } }. */
function jiraReason(body: unknown): string | undefined {
  const { errorMessages, errors } = (body ?? {}) as { errorMessages?: unknown; errors?: unknown };
  const messages = Array.isArray(errorMessages) ? errorMessages.filter((m): m is string => typeof m === "string") : [];
  const fields = errors && typeof errors === "object" ? Object.entries(errors).map(([field, message]) => `${field}: ${String(message)}`) : [];
  const reason = [...messages, ...fields].join("; ");
  return reason || undefined;
}
