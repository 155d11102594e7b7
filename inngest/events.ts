import { eventType } from "inngest";
import { z } from "zod";

// Every event the portal sends or reacts to, declared once: used as a trigger and to build the
// payload the outbox relay sends.

/** A request was submitted; its first approval step waits for a decision. */
export const requestSubmitted = eventType("access/request.submitted", {
  schema: z.object({ requestId: z.string(), stepId: z.string() }),
});

/** A request was denied; the requester is told. */
export const requestDenied = eventType("access/request.denied", {
  schema: z.object({ requestId: z.string() }),
});

/** An approved request produced a grant that must now be provisioned on the target. */
export const grantApproved = eventType("access/grant.approved", {
  schema: z.object({ grantId: z.string(), requestId: z.string() }),
});

export const events = { requestSubmitted, requestDenied, grantApproved } as const;
export type EventName = (typeof events)[keyof typeof events]["name"];
export type EventData<E extends { schema: unknown }> = E["schema"] extends z.ZodType<infer D> ? D : never;
