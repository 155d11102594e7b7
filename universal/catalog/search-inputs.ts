import { z } from "zod";

// What the catalog search takes: the words typed, the filters above the list, and the page. Shared so
// the page's selects offer exactly what the server accepts.

export const ENTITLEMENT_KINDS = [
  { value: "GROUP", label: "Groups" },
  { value: "ROLE", label: "Roles" },
] as const;

export const RISK_LEVELS = [
  { value: "LOW", label: "Low risk" },
  { value: "MEDIUM", label: "Medium risk" },
  { value: "HIGH", label: "High risk" },
] as const;

/** Rows (entitlements) per page: the demo's whole catalog fits on the first one. */
export const CATALOG_PAGE_SIZE = 200;

export const catalogSearchInput = z.object({
  q: z.string().max(100, "Search for at most 100 characters.").default(""),
  kind: z.enum(["GROUP", "ROLE"]).optional(),
  risk: z.enum(["LOW", "MEDIUM", "HIGH"]).optional(),
  /** An app's slug. */
  app: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(500).default(CATALOG_PAGE_SIZE),
  /** Where the page starts: the previous page's nextCursor (an offset into the listing). */
  cursor: z.number().int().min(0).nullish(),
});

export type CatalogSearchInput = z.input<typeof catalogSearchInput>;
