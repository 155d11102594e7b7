import "server-only";
import { adminProcedure, protectedProcedure, router } from "@/server/api/trpc";
import { adoptFinding, ignoreFinding, revokeFinding } from "@/server/reconciliation/actions";
import { requestReconcile, setPortalAuthoritative } from "@/server/reconciliation/actions-run";
import { authoritativeDryRun, reconciliationOverview } from "@/server/reconciliation/read";
import { listFindings } from "@/server/reconciliation/read-findings";
import {
  adoptFindingInput,
  appSlugInput,
  findingsListInput,
  ignoreFindingInput,
  revokeFindingInput,
  runReconcileInput,
  setAuthoritativeInput,
} from "@/universal/reconciliation/inputs";

// Reconciliation of an app's targets (server/reconciliation/). Everything is for the app's owner or an
// admin (the domain checks the app of the slug, finding or connector: FORBIDDEN for anyone else,
// NOT_FOUND for what does not exist); only admins make the portal authoritative.
export const reconciliationRouter = router({
  /** { appSlug } → the app, each connector's readability and last run (poll while one runs), open findings per kind. */
  overview: protectedProcedure.input(appSlugInput).query(({ ctx, input }) => reconciliationOverview(ctx.db, ctx.actor, input)),
  /** { appSlug, kind?, status "open"|"closed"|"all", q?, cursor?, limit } → { findings, nextCursor }. */
  findings: protectedProcedure.input(findingsListInput).query(({ ctx, input }) => listFindings(ctx.db, ctx.actor, input)),
  /** { appSlug } → the orphan accounts and memberships a reconcile would remove were the app authoritative. */
  dryRun: protectedProcedure.input(appSlugInput).query(({ ctx, input }) => authoritativeDryRun(ctx.db, ctx.actor, input)),
  /** { findingId, justification } → unmanaged access becomes a Provisioned grant. */
  adopt: protectedProcedure.input(adoptFindingInput).mutation(({ ctx, input }) => adoptFinding(ctx.db, ctx.actor, input)),
  /** { findingId, reason } → left alone on purpose, across runs. */
  ignore: protectedProcedure.input(ignoreFindingInput).mutation(({ ctx, input }) => ignoreFinding(ctx.db, ctx.actor, input)),
  /** { findingId, reason } → unmanaged access or an orphan account removed from the target (authoritative apps). */
  revoke: protectedProcedure.input(revokeFindingInput).mutation(({ ctx, input }) => revokeFinding(ctx.db, ctx.actor, input)),
  /** { connectorId } → "Reconcile now": queued, or the run already going. */
  run: protectedProcedure.input(runReconcileInput).mutation(({ ctx, input }) => requestReconcile(ctx.db, ctx.actor, input)),
  /** { appSlug, authoritative } → whether reconciliation may remove what the portal did not grant. */
  setAuthoritative: adminProcedure.input(setAuthoritativeInput).mutation(({ ctx, input }) => setPortalAuthoritative(ctx.db, ctx.actor, input)),
});
