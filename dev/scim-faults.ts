import type { RequestHandler } from "express";
import { z } from "zod";

// Fault injection, so tests and the demo can show how the portal copes with a misbehaving target app.

export const faultRuleSchema = z.object({
  /**
   * unavailable: answer 503. rateLimited: answer 429 with Retry-After. hang: never answer (the client times out).
   * conflict: carry the request out, then answer 409 "already exists", as when a concurrent caller won the race.
   */
  kind: z.enum(["unavailable", "rateLimited", "hang", "conflict"]),
  /** How many of the next matching requests fail. */
  times: z.number().int().positive().default(1),
  /** Only requests with this HTTP method, e.g. "POST". */
  method: z.string().toUpperCase().optional(),
  /** Only requests whose path below the SCIM base URL starts with this, e.g. "/Users" or "/Groups/". */
  path: z.string().optional(),
  retryAfterSeconds: z.number().int().nonnegative().default(1),
});
export type FaultRule = z.input<typeof faultRuleSchema>;
type PendingFault = z.output<typeof faultRuleSchema>;

export const faultCommandSchema = z.union([z.object({ down: z.boolean() }).strict(), faultRuleSchema]);

export interface FaultControl {
  /** Makes the next `times` matching requests fail as `kind` describes. */
  inject(rule: FaultRule): void;
  /** While down, every SCIM request has its connection dropped, as when the target app is offline. */
  setDown(down: boolean): void;
  clear(): void;
  snapshot(): { down: boolean; pending: PendingFault[] };
}

export function createFaultControl(): FaultControl & { take(method: string, path: string): PendingFault | "down" | undefined } {
  let down = false;
  let pending: PendingFault[] = [];
  return {
    inject: (rule) => void pending.push(faultRuleSchema.parse(rule)),
    setDown: (value) => void (down = value),
    clear: () => {
      down = false;
      pending = [];
    },
    snapshot: () => ({ down, pending: pending.map((fault) => ({ ...fault })) }),
    take(method, path) {
      if (down) return "down";
      const fault = pending.find(
        (rule) => (!rule.method || rule.method === method) && (!rule.path || path.startsWith(rule.path)),
      );
      if (!fault) return undefined;
      fault.times -= 1;
      if (fault.times === 0) pending = pending.filter((rule) => rule !== fault);
      return { ...fault };
    },
  };
}

export const SCIM_ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

export function scimErrorBody(status: number, detail: string, scimType?: string) {
  return { schemas: [SCIM_ERROR_URN], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** Express middleware applying the faults of `control` to the SCIM routes it is mounted on. */
export function faultMiddleware(control: ReturnType<typeof createFaultControl>): RequestHandler {
  return (req, res, next) => {
    const fault = control.take(req.method, req.path);
    if (fault === undefined) return next();
    if (fault === "down") return void req.socket.destroy();
    res.type("application/scim+json");
    switch (fault.kind) {
      case "unavailable":
        return void res.status(503).send(scimErrorBody(503, "Service temporarily unavailable"));
      case "rateLimited":
        res.setHeader("Retry-After", String(fault.retryAfterSeconds));
        return void res.status(429).send(scimErrorBody(429, "Too many requests"));
      case "hang":
        return; // Leave the request open; stop() closes it.
      case "conflict": {
        const send = res.send.bind(res);
        // Let the request succeed, then swap its success answer for the 409 the race loser would get.
        res.send = (body) => {
          res.send = send;
          if (res.statusCode >= 300) return send(body);
          res.removeHeader("Location");
          return res.status(409).send(scimErrorBody(409, "Resource already exists", "uniqueness"));
        };
        return next();
      }
    }
  };
}
