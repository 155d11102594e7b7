import { randomBytes } from "node:crypto";
import { hasBasicAuth, jsonObject, startHttpTarget, type FailRule, type TargetReply } from "./http-target";

// A small ServiceNow stand-in speaking the Table API shapes the ServiceNow connector uses (create, read, and
// list by encoded query on sc_task and incident), with ServiceNow's error bodies, for tests and the demo.

type Table = "sc_task" | "incident";

/** A ticket as the Table API shows it: every field a string. */
export interface ServiceNowRecord {
  table: Table;
  sys_id: string;
  number: string;
  state: string;
  short_description: string;
  description: string;
  correlation_id: string;
  close_notes: string;
  [field: string]: string;
}

export interface ServiceNowServer {
  /** The instance URL, e.g. http://127.0.0.1:4013 (the connector's instanceUrl). */
  url: string;
  tickets(): ServiceNowRecord[];
  /** Works the ticket, as a fulfiller would: state "3" closes an sc_task complete, "6" resolves an incident. */
  setState(sysId: string, state: string, closeNotes?: string): void;
  fail(rule: FailRule): void;
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

const TABLES: Record<Table, { prefix: string; labels: Record<string, string> }> = {
  sc_task: {
    prefix: "SCTASK",
    labels: { "-5": "Pending", "1": "Open", "2": "Work in Progress", "3": "Closed Complete", "4": "Closed Incomplete", "7": "Closed Skipped" },
  },
  incident: {
    prefix: "INC",
    labels: { "1": "New", "2": "In Progress", "3": "On Hold", "6": "Resolved", "7": "Closed", "8": "Canceled" },
  },
};
const TABLE_PATH = /^\/api\/now\/table\/([^/]+)(?:\/([^/]+))?$/;

export async function startServiceNowServer(options: { username: string; password: string; port?: number }): Promise<ServiceNowServer> {
  const records: ServiceNowRecord[] = [];
  const counters: Record<Table, number> = { sc_task: 0, incident: 0 };

  /** The record as the Table API answers: chosen fields, as values, display values, or both. */
  const render = (record: ServiceNowRecord, params: URLSearchParams) => {
    const wanted = params.get("sysparm_fields")?.split(",").map((name) => name.trim());
    const display = params.get("sysparm_display_value") ?? "false";
    const { table, ...fields } = record;
    const shown = Object.entries(fields).filter(([name]) => !wanted || wanted.includes(name));
    return Object.fromEntries(
      shown.map(([name, value]) => {
        const label = name === "state" ? (TABLES[table].labels[value] ?? value) : value;
        return [name, display === "all" ? { value, display_value: label } : display === "true" ? label : value];
      }),
    );
  };

  const create = (table: Table, body: string, params: URLSearchParams): TargetReply => {
    const fields = jsonObject(body);
    if (!fields) return serviceNowError(400, "Exception while reading request", "The payload is not valid JSON.");
    counters[table] += 1;
    const record: ServiceNowRecord = {
      short_description: "",
      description: "",
      correlation_id: "",
      close_notes: "",
      state: "1",
      ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value == null ? "" : String(value)])),
      table,
      sys_id: randomBytes(16).toString("hex"),
      number: `${TABLES[table].prefix}${String(10_000 + counters[table]).padStart(7, "0")}`,
      sys_created_on: new Date().toISOString().replace("T", " ").slice(0, 19),
    };
    records.push(record);
    return { status: 201, body: { result: render(record, params) } };
  };

  const list = (table: Table, params: URLSearchParams): TargetReply => {
    const terms = (params.get("sysparm_query") ?? "").split("^").filter(Boolean);
    const conditions: Array<[string, string]> = [];
    for (const term of terms) {
      const match = /^([a-z_]+)=(.*)$/.exec(term);
      if (!match) return serviceNowError(400, "Unsupported query", `This stand-in only understands field=value terms, not ${term}`);
      conditions.push([match[1]!, match[2]!]);
    }
    const limit = Number(params.get("sysparm_limit") ?? "10000");
    const found = records.filter((record) => record.table === table && conditions.every(([name, value]) => record[name] === value));
    return { status: 200, body: { result: found.slice(0, limit).map((record) => render(record, params)) } };
  };

  const target = await startHttpTarget({
    port: options.port,
    errorBody: (status, message) => ({ error: { message, detail: null }, status: "failure" }),
    handle({ method, url, headers, body }) {
      if (!hasBasicAuth(headers, options.username, options.password)) {
        return serviceNowError(401, "User Not Authenticated", "Required to provide Auth information");
      }
      const match = TABLE_PATH.exec(url.pathname);
      if (!match) return serviceNowError(400, "Requested URI does not represent any resource", null);
      const [, table = "", sysId] = match;
      if (!(table in TABLES)) return serviceNowError(400, `Invalid table ${table}`, null);
      const known = table as Table;
      if (!sysId && method === "POST") return create(known, body, url.searchParams);
      if (!sysId && method === "GET") return list(known, url.searchParams);
      if (sysId && method === "GET") {
        const record = records.find((candidate) => candidate.table === known && candidate.sys_id === decodeURIComponent(sysId));
        if (!record) return serviceNowError(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
        return { status: 200, body: { result: render(record, url.searchParams) } };
      }
      return serviceNowError(405, "Method not Supported", `${method} is not supported here by this stand-in`);
    },
  });

  return {
    url: target.url,
    tickets: () => records.map((record) => ({ ...record })),
    setState(sysId, state, closeNotes) {
      const record = records.find((candidate) => candidate.sys_id === sysId);
      if (!record) throw new Error(`No ticket ${sysId}`);
      record.state = state;
      if (closeNotes !== undefined) record.close_notes = closeNotes;
    },
    fail: (rule) => target.fail(rule),
    setDown: (down) => target.setDown(down),
    stop: () => target.stop(),
  };
}

function serviceNowError(status: number, message: string, detail: string | null): TargetReply {
  return { status, body: { error: { message, detail }, status: "failure" } };
}
