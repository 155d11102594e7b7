import "server-only";
import type { Db } from "@/server/db";
import type { GrantContext } from "../grant-context";

// What every method's provision/deprovision call gets and gives back.

export interface MethodContext {
  db: Db;
  grant: GrantContext;
  stepIndex: number;
  operation: "PROVISION" | "DEPROVISION";
  connectorId: string;
}

export type MethodResult =
  | { outcome: "done"; detail: string }
  /** A webhook receiver answered 202: it calls back on the completion URL when done. */
  | { outcome: "awaiting-callback"; detail: string }
  /** A helpdesk ticket is open; the plan follows its status. */
  | { outcome: "ticket-open"; detail: string; ticketRef: string };
