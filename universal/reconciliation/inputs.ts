import { z } from "zod";

// What the reconciliation page sends: an owner's decision on one finding, the list's filters, and the
// admin's "portal is authoritative" switch. Shared by the page's forms and the server, which parses
// every input with these.

import { FINDING_KINDS } from "./labels";

const findingId = z.string().min(1, "Choose the finding.").max(100, "That is not a finding's id.");
const appSlug = z.string().trim().min(1, "Choose the app.").max(100, "That is not an app's name in an address.");

export const ADOPT_JUSTIFICATION_MESSAGE = "Say why this access should stay (at least 10 characters).";

/** Adopt unmanaged access: it becomes a grant, so it enters reviews and expiry like any other. */
export const adoptFindingInput = z.object({
  findingId,
  justification: z.string().trim().min(10, ADOPT_JUSTIFICATION_MESSAGE).max(1000, "Keep the justification under 1,000 characters."),
});
export type AdoptFindingInput = z.input<typeof adoptFindingInput>;

const reason = (what: string) => z.string().trim().min(1, what).max(500, "Keep the reason under 500 characters.");

/** Leave a difference alone on purpose (a service account): it stays ignored across runs. */
export const ignoreFindingInput = z.object({ findingId, reason: reason("Say why this can be left alone (a service account, say).") });
export type IgnoreFindingInput = z.input<typeof ignoreFindingInput>;

/** Remove unmanaged access or an orphan account from the target (apps where the portal is authoritative). */
export const revokeFindingInput = z.object({ findingId, reason: reason("Say why this access should be removed.") });
export type RevokeFindingInput = z.input<typeof revokeFindingInput>;

export const FINDING_STATUS_FILTERS = ["open", "closed", "all"] as const;

/** One page of an app's findings. `cursor` is the last finding of the previous page (its `nextCursor`). */
export const findingsListInput = z.object({
  appSlug,
  kind: z.enum(FINDING_KINDS).optional(),
  status: z.enum(FINDING_STATUS_FILTERS).default("open"),
  q: z.string().trim().max(200, "Search with fewer than 200 characters.").optional(),
  cursor: z.string().min(1).max(100, "That is not a page of findings.").optional(),
  limit: z.number().int().min(1).max(100, "Ask for at most 100 findings at a time.").default(50),
});
export type FindingsListInput = z.input<typeof findingsListInput>;

/** The app's reconciliation page (overview) and the dry run of "portal is authoritative". */
export const appSlugInput = z.object({ appSlug });

/** "Reconcile now" for one connector. */
export const runReconcileInput = z.object({ connectorId: z.string().min(1, "Choose the connector.").max(100, "That is not a connector's id.") });

/** Whether the portal may remove what it did not grant on this app's targets (admins only). */
export const setAuthoritativeInput = z.object({ appSlug, authoritative: z.boolean() });
export type SetAuthoritativeInput = z.input<typeof setAuthoritativeInput>;
