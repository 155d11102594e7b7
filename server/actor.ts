import "server-only";
import { forbidden } from "@/server/errors";

/** The signed-in person acting, as domain functions receive it (from the session, never from input). */
export type Actor = { id: string; email: string; name: string | null; isAdmin: boolean };

/**
 * The one admin-only check of the domain: "Only admins can <what>." Routers also sit behind
 * adminProcedure; the domain checks again because pages, functions and tests call it directly.
 */
export function assertAdmin(actor: Actor, what: string): void {
  if (!actor.isAdmin) throw forbidden(`Only admins can ${what}.`);
}
