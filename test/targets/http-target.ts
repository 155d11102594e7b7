import { createServer, type IncomingHttpHeaders } from "node:http";
import { listenOn } from "@/dev/listen";

// The plumbing every stand-in target shares (webhook receiver, Jira, ServiceNow): a node http server on a free
// port, JSON in and out, Basic auth, and the faults tests inject (error statuses, being down).

export interface FailRule {
  /** Answer this status (with the target's own error body) instead of handling the request. */
  status: number;
  /** How many of the next matching requests fail; 1 when omitted. */
  times?: number;
  /** Sent as Retry-After. */
  retryAfterSeconds?: number;
  /** Only requests with this HTTP method, e.g. "POST". */
  method?: string;
}

export interface TargetRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The raw body, as received (signatures are computed over it). */
  body: string;
}

export interface TargetReply {
  status: number;
  /** Objects are sent as JSON, strings as plain text. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpTargetOptions {
  handle(request: TargetRequest): TargetReply | Promise<TargetReply>;
  /** The target's error body for a status, used by injected faults and unexpected failures. */
  errorBody(status: number, message: string): unknown;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface HttpTarget {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  /** Makes the next `times` matching requests fail with `status`. */
  fail(rule: FailRule): void;
  /** While down, connections are dropped as soon as they open, as when the target is offline. */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

export async function startHttpTarget(options: HttpTargetOptions): Promise<HttpTarget> {
  let down = false;
  let pending: Array<Required<Omit<FailRule, "method">> & { method?: string }> = [];

  const takeFault = (method: string) => {
    const rule = pending.find((candidate) => !candidate.method || candidate.method === method);
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) pending = pending.filter((candidate) => candidate !== rule);
    return rule;
  };

  const server = createServer((req, res) => {
    // Keep-alive sockets opened before the target went down would otherwise still be served.
    if (down) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const method = req.method ?? "GET";
      const reply = async (): Promise<TargetReply> => {
        const fault = takeFault(method);
        if (fault) {
          const headers = fault.retryAfterSeconds > 0 ? { "Retry-After": String(fault.retryAfterSeconds) } : undefined;
          return { status: fault.status, body: options.errorBody(fault.status, "Injected fault"), headers };
        }
        const url = new URL(req.url ?? "/", "http://target.invalid");
        return options.handle({ method, url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      };
      reply()
        .catch((error: unknown): TargetReply => {
          console.error("Stand-in target failed:", error);
          return { status: 500, body: options.errorBody(500, error instanceof Error ? error.message : String(error)) };
        })
        .then(({ status, body, headers }) => {
          const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
          const type = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
          res.writeHead(status, { ...(text ? { "Content-Type": type } : {}), ...headers });
          res.end(text);
        });
    });
  });
  server.on("connection", (socket) => {
    if (down) socket.destroy();
  });

  const origin = await listenOn(server, options.port, options.host);

  return {
    url: origin,
    fail: ({ status, times = 1, retryAfterSeconds = 0, method }) =>
      void pending.push({ status, times, retryAfterSeconds, method: method?.toUpperCase() }),
    setDown(value) {
      down = value;
      if (down) server.closeIdleConnections();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Whether the request carries HTTP Basic credentials `user`:`password`. */
export function hasBasicAuth(headers: IncomingHttpHeaders, user: string, password: string): boolean {
  return headers.authorization === `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** The request body as a JSON object, or undefined when it is not one. */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
