import { hasBasicAuth, jsonObject, startHttpTarget, type FailRule, type TargetReply } from "./http-target";

// A small Jira Cloud stand-in speaking the REST API v3 shapes the Jira connector uses (create issue, get issue,
// JQL search by label), with Jira's error bodies, so tests and the demo run against real HTTP.

type StatusCategory = "new" | "indeterminate" | "done";

export interface JiraIssueRecord {
  id: string;
  key: string;
  summary: string;
  /** The Atlassian Document as sent. */
  description: unknown;
  labels: string[];
  issueType: string;
  status: string;
  category: StatusCategory;
  resolution: string | null;
}

export interface JiraServerOptions {
  email: string;
  apiToken: string;
  projectKey: string;
  /** Issue types the project has; Task, Bug, Story and Service Request when omitted. */
  issueTypes?: string[];
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface JiraServer {
  /** The site URL, e.g. http://127.0.0.1:4012 (the connector's baseUrl). */
  url: string;
  issues(): JiraIssueRecord[];
  /** Moves the issue through the workflow, as a person working it would. */
  transition(key: string, to: { status: string; category: StatusCategory; resolution?: string | null }): void;
  fail(rule: FailRule): void;
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

const API = "/rest/api/3";
const CATEGORY_NAMES: Record<StatusCategory, string> = { new: "To Do", indeterminate: "In Progress", done: "Done" };
// The only JQL the connector sends: labels = "x", optionally scoped to a project.
const LABEL_QUERY = /^\s*(?:project\s*=\s*("?)([A-Z][A-Z0-9_]*)\1\s+AND\s+)?labels\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/i;

export async function startJiraServer(options: JiraServerOptions): Promise<JiraServer> {
  const issueTypes = options.issueTypes ?? ["Task", "Bug", "Story", "Service Request"];
  const issues: JiraIssueRecord[] = [];
  let siteUrl = "";

  const find = (keyOrId: string) => issues.find((issue) => issue.key === keyOrId || issue.id === keyOrId);

  const render = (issue: JiraIssueRecord, wanted: string[] | undefined) => {
    const all: Record<string, unknown> = {
      summary: issue.summary,
      description: issue.description,
      labels: issue.labels,
      issuetype: { name: issue.issueType },
      project: { key: options.projectKey },
      status: { name: issue.status, statusCategory: { key: issue.category, name: CATEGORY_NAMES[issue.category] } },
      resolution: issue.resolution === null ? null : { name: issue.resolution },
    };
    const fields = wanted ? Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name))) : all;
    return { id: issue.id, key: issue.key, self: `${siteUrl}${API}/issue/${issue.id}`, fields };
  };

  const create = (body: string): TargetReply => {
    const fields = jsonObject(body)?.fields;
    if (!fields || typeof fields !== "object") return jiraError(400, "Expected a JSON body with fields");
    const { project, summary, description, issuetype, labels = [] } = fields as Record<string, unknown>;
    const errors: Record<string, string> = {};
    if ((project as { key?: unknown } | undefined)?.key !== options.projectKey) errors.project = "valid project is required";
    if (typeof summary !== "string" || !summary.trim()) errors.summary = "You must specify a summary of the issue.";
    const issueType = (issuetype as { name?: unknown } | undefined)?.name;
    if (typeof issueType !== "string" || !issueTypes.includes(issueType)) errors.issuetype = "Specify a valid issue type";
    if (description !== undefined && !isDocument(description)) {
      errors.description = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
    }
    if (!Array.isArray(labels) || labels.some((label) => typeof label !== "string" || /\s/.test(label) || !label)) {
      errors.labels = "Labels must be strings without spaces.";
    }
    if (Object.keys(errors).length > 0) return { status: 400, body: { errorMessages: [], errors } };
    const id = String(10_000 + issues.length);
    const key = `${options.projectKey}-${issues.length + 1}`;
    issues.push({
      id,
      key,
      summary: summary as string,
      description: description ?? null,
      labels: labels as string[],
      issueType: issueType as string,
      status: CATEGORY_NAMES.new,
      category: "new",
      resolution: null,
    });
    return { status: 201, body: { id, key, self: `${siteUrl}${API}/issue/${id}` } };
  };

  const search = (body: string): TargetReply => {
    const request = jsonObject(body);
    const match = typeof request?.jql === "string" ? LABEL_QUERY.exec(request.jql) : null;
    if (!match) return jiraError(400, `Error in the JQL Query: this stand-in only understands labels = "x" (got ${String(request?.jql)})`);
    const [, , project, quoted = ""] = match;
    const label = quoted.replace(/\\(.)/g, "$1");
    const wanted = Array.isArray(request?.fields) ? request.fields.map(String) : undefined;
    const maxResults = typeof request?.maxResults === "number" ? request.maxResults : 50;
    const found = issues.filter((issue) => issue.labels.includes(label) && (!project || project === options.projectKey));
    return { status: 200, body: { issues: found.slice(0, maxResults).map((issue) => render(issue, wanted)), isLast: true } };
  };

  const target = await startHttpTarget({
    port: options.port,
    errorBody: (status, message) => ({ errorMessages: [message], errors: {} }),
    handle({ method, url, headers, body }) {
      if (!hasBasicAuth(headers, options.email, options.apiToken)) {
        return jiraError(401, "Client must be authenticated to access this resource.");
      }
      const path = url.pathname;
      if (path === `${API}/issue` && method === "POST") return create(body);
      if (path === `${API}/search/jql` && method === "POST") return search(body);
      const issuePath = path.startsWith(`${API}/issue/`) ? decodeURIComponent(path.slice(`${API}/issue/`.length)) : null;
      if (issuePath && method === "GET") {
        const issue = find(issuePath);
        if (!issue) return jiraError(404, "Issue does not exist or you do not have permission to see it.");
        const wanted = url.searchParams.get("fields")?.split(",").map((field) => field.trim());
        return { status: 200, body: render(issue, wanted) };
      }
      return jiraError(404, `No ${method} ${path} in this Jira stand-in`);
    },
  });
  siteUrl = target.url;

  return {
    url: target.url,
    issues: () => issues.map((issue) => structuredClone(issue)),
    transition(key, to) {
      const issue = find(key);
      if (!issue) throw new Error(`No issue ${key}`);
      issue.status = to.status;
      issue.category = to.category;
      // Jira clears the resolution when an issue leaves done, and workflows usually set one on entering it.
      issue.resolution = to.category === "done" ? (to.resolution === undefined ? "Done" : to.resolution) : null;
    },
    fail: (rule) => target.fail(rule),
    setDown: (down) => target.setDown(down),
    stop: () => target.stop(),
  };
}

function jiraError(status: number, message: string): TargetReply {
  return { status, body: { errorMessages: [message], errors: {} } };
}

function isDocument(value: unknown): boolean {
  const doc = value as { type?: unknown; version?: unknown; content?: unknown } | null;
  return doc?.type === "doc" && doc.version === 1 && Array.isArray(doc.content);
}
