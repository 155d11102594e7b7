import "server-only";
import { reconcileRequested } from "@/inngest/events";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, found } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { runReconcileInput, setAuthoritativeInput, type SetAuthoritativeInput } from "@/universal/reconciliation/inputs";
import { assertMayReconcile, connectorReadability, readableConnectorSelect } from "./actions-guard";
import type { ReadableConnector } from "./readers";

// Starting a reconciliation ("Reconcile now", a settings change) and the admin's switch that lets the
// portal remove what it did not grant. The run itself is the reconcile-connector function's.

/** A run still RUNNING after this long died without finishing (a crashed worker): it no longer blocks a new one. */
const STALE_RUN_MS = 30 * 60_000;

/**
 * "Reconcile now": queues a run of the connector, in the same transaction as its audit row. When a run
 * is already going (or queued and not yet started), that one is returned instead of starting another;
 * the page polls the overview for its progress.
 */
export async function requestReconcile(db: Db, actor: Actor, input: { connectorId: string }) {
  const { connectorId } = runReconcileInput.parse(input);
  return db.$transaction(async (tx) => {
    // Serialises two clicks at once: the second sees the first's queued event.
    await tx.$queryRaw`SELECT id FROM "Connector" WHERE id = ${connectorId} FOR UPDATE`;
    const connector = found(
      await tx.connector.findUnique({ where: { id: connectorId }, select: { ...readableConnectorSelect, name: true, app: { select: { id: true, name: true, ownerId: true } } } }),
      "That connector",
    );
    assertMayReconcile(actor, connector.app);
    const readability = connectorReadability(connector);
    if (!readability.readable) throw new AppError("BAD_REQUEST", `${connector.name} cannot be reconciled: ${readability.reason}`);
    const running = await tx.reconcileRun.findFirst({
      where: { connectorId, status: "RUNNING", startedAt: { gte: new Date(Date.now() - STALE_RUN_MS) } },
      orderBy: { startedAt: "desc" },
      select: { id: true, progress: true },
    });
    if (running) return { connectorId, queued: false, runId: running.id, progress: running.progress };
    const waiting = await tx.outboxEvent.findFirst({ where: { name: reconcileRequested.name, sentAt: null, data: { path: ["connectorId"], equals: connectorId } }, select: { id: true } });
    if (waiting) return { connectorId, queued: false, runId: null, progress: "Starting" };
    await enqueueEvent(tx, reconcileRequested, { connectorId, trigger: `on demand by ${actor.name ?? actor.email}`, requestedById: actor.id });
    await recordAudit(tx, { actorId: actor.id, action: "connector.reconcile_requested", objectType: "connector", objectId: connectorId, after: { trigger: "on demand" } });
    return { connectorId, queued: true, runId: null, progress: "Starting" };
  });
}

/**
 * A connector's settings changed (a new address, another directory base): what its target holds may
 * read differently now, so a reconciliation is queued with the change, for targets that can be read.
 */
export async function reconcileAfterSettingsChange(tx: Tx, connector: ReadableConnector, actorId: string | null): Promise<void> {
  if (!connectorReadability(connector).readable) return;
  await enqueueEvent(tx, reconcileRequested, { connectorId: connector.id, trigger: "settings changed", requestedById: actorId });
}

/**
 * Whether reconciliation may remove from this app's targets what the portal did not grant (orphan
 * accounts automatically, unmanaged access on request). Admins only; the dry run shows what would go.
 */
export async function setPortalAuthoritative(db: Db, actor: Actor, input: SetAuthoritativeInput) {
  assertAdmin(actor, "decide whether the portal is authoritative for an app");
  const { appSlug, authoritative } = setAuthoritativeInput.parse(input);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "App" WHERE slug = ${appSlug} FOR UPDATE`;
    const app = found(await tx.app.findUnique({ where: { slug: appSlug }, select: { id: true, portalAuthoritative: true, isSystem: true } }), "That app");
    if (app.isSystem) throw new AppError("BAD_REQUEST", "Access profiles live only in the portal; there is no target to be authoritative for.");
    if (app.portalAuthoritative !== authoritative) {
      await tx.app.update({ where: { id: app.id }, data: { portalAuthoritative: authoritative } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "app.authority_changed",
        objectType: "app",
        objectId: app.id,
        before: { portalAuthoritative: app.portalAuthoritative },
        after: { portalAuthoritative: authoritative },
      });
    }
    return { appSlug, portalAuthoritative: authoritative };
  });
}
