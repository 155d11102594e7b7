import "server-only";
import type { Actor } from "@/server/actor";
import type { Tx } from "@/server/db";
import { forbidden, found } from "@/server/errors";
import { readerFor, type ReadableConnector } from "./readers";

// Who may see and act on an app's reconciliation: its owner and admins. Every action and read checks
// here, so the router only parses and forwards.

type OwnedApp = { id: string; name: string; ownerId: string };

/** Throws FORBIDDEN unless the actor owns the app or is an admin. */
export function assertMayReconcile(actor: Actor, app: OwnedApp): void {
  if (!actor.isAdmin && app.ownerId !== actor.id) throw forbidden(`Only admins and the owner of ${app.name} can reconcile its access.`);
}

const appSelect = { id: true, slug: true, name: true, ownerId: true, portalAuthoritative: true, isSystem: true } as const;

/** The app by its slug, for its owner or an admin; NOT_FOUND when there is none, FORBIDDEN for anyone else. */
export async function reconcilableApp(db: Tx, actor: Actor, appSlug: string) {
  const app = found(await db.app.findUnique({ where: { slug: appSlug }, select: appSelect }), "That app");
  assertMayReconcile(actor, app);
  return app;
}

/**
 * The finding with the row locked until the transaction ends, so two owners deciding at once are served
 * one after the other and the second sees the first's decision.
 */
export async function lockedFinding(tx: Tx, actor: Actor, findingId: string) {
  await tx.$queryRaw`SELECT id FROM "ReconcileFinding" WHERE id = ${findingId} FOR UPDATE`;
  const finding = found(
    await tx.reconcileFinding.findUnique({
      where: { id: findingId },
      include: {
        app: { select: { ...appSelect, provisioningPlan: true } },
        connector: { select: { id: true, name: true, method: true } },
        user: { select: { id: true, name: true, email: true } },
        entitlement: { select: { id: true, name: true, externalName: true, provisioningPlan: true } },
      },
    }),
    "That finding",
  );
  assertMayReconcile(actor, finding.app);
  return finding;
}
export type LockedFinding = Awaited<ReturnType<typeof lockedFinding>>;

/** Status words for a message: "already adopted", "already ignored". */
export const FINDING_STATUS_WORDS: Record<string, string> = {
  OPEN: "open",
  REPAIRING: "being repaired",
  REPAIRED: "repaired",
  ADOPTED: "adopted",
  REVOKING: "being removed",
  REVOKED: "removed",
  IGNORED: "ignored",
  RESOLVED: "resolved (a later reconciliation no longer saw it)",
};

/**
 * Whether a reconciliation can read this connector's target, and why not (a webhook, a ticket system,
 * settings that do not parse). Making the reader touches no network.
 */
export function connectorReadability(connector: ReadableConnector): { readable: true } | { readable: false; reason: string } {
  const readability = readerFor(connector);
  return readability.readable ? { readable: true } : { readable: false, reason: readability.reason };
}

/** What connectorReadability needs of a connector row. */
export const readableConnectorSelect = { id: true, method: true, config: true, maxAttempts: true, backoffMs: true, retryableStatuses: true } as const;
