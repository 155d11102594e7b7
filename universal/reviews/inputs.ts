import { z } from "zod";

// What an admin sends to start an access review, and what a reviewer sends to decide: shared by the
// forms (browser) and the server, which parses every input with these.

const ids = (what: string) => z.array(z.string().min(1)).max(500, `Choose at most 500 ${what}.`).default([]);

/**
 * What is reviewed. Access (apps, entitlements, access profiles) and holders (departments, people)
 * narrow independently: empty means all. Everything empty, or `everything`, reviews all access.
 */
export const reviewScope = z.object({
  everything: z.boolean().default(false),
  appIds: ids("apps"),
  entitlementIds: ids("entitlements"),
  profileIds: ids("access profiles"),
  departmentIds: ids("departments"),
  personIds: ids("people"),
});
export type ReviewScope = z.output<typeof reviewScope>;

export const REVIEWER_TYPES = ["MANAGER", "APP_OWNER", "ENTITLEMENT_OWNER", "PEOPLE", "GROUP"] as const;
export const REVIEWER_LABELS: Record<(typeof REVIEWER_TYPES)[number], string> = {
  MANAGER: "The person's manager",
  APP_OWNER: "The app's owner",
  ENTITLEMENT_OWNER: "The entitlement's owner (else the app's owner)",
  PEOPLE: "Named people (items shared out evenly)",
  GROUP: "A group (items shared out evenly among its members)",
};

export const reviewerRule = z.discriminatedUnion("type", [
  z.object({ type: z.literal("MANAGER") }),
  z.object({ type: z.literal("APP_OWNER") }),
  z.object({ type: z.literal("ENTITLEMENT_OWNER") }),
  z.object({ type: z.literal("PEOPLE"), userIds: z.array(z.string().min(1)).min(1, "Choose at least one reviewer.").max(50, "Choose at most 50 reviewers.") }),
  z.object({ type: z.literal("GROUP"), groupId: z.string().min(1, "Choose the group.") }),
]);
export type ReviewerRule = z.output<typeof reviewerRule>;

export const RECURRENCES = ["NONE", "QUARTERLY", "HALF_YEARLY", "YEARLY"] as const;
export const RECURRENCE_LABELS: Record<(typeof RECURRENCES)[number], string> = { NONE: "Once", QUARTERLY: "Every quarter", HALF_YEARLY: "Every six months", YEARLY: "Every year" };
/** Months between runs of a recurring campaign. */
export const RECURRENCE_MONTHS: Record<(typeof RECURRENCES)[number], number> = { NONE: 0, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12 };

const DAY_MS = 86_400_000;
/** Two weeks to review, unless the admin says otherwise. */
export const DEFAULT_REVIEW_DAYS = 14;

export const campaignInput = z
  .object({
    name: z.string().trim().min(3, "Name the campaign (at least 3 characters).").max(120, "Keep the name under 120 characters."),
    description: z.string().trim().max(1000, "Keep the description under 1,000 characters.").optional(),
    scope: reviewScope,
    reviewerRule,
    fallbackReviewerId: z.string().min(1).nullish(),
    startsAt: z.coerce.date().optional(),
    dueAt: z.coerce.date().optional(),
    undecided: z.enum(["KEEP", "REVOKE"]).default("KEEP"),
    recurrence: z.enum(RECURRENCES).default("NONE"),
  })
  .transform((c) => {
    const startsAt = c.startsAt ?? new Date();
    return { ...c, startsAt, dueAt: c.dueAt ?? new Date(startsAt.getTime() + DEFAULT_REVIEW_DAYS * DAY_MS) };
  })
  .superRefine((c, ctx) => {
    if (c.dueAt.getTime() <= c.startsAt.getTime() + 60 * 60_000) ctx.addIssue({ code: "custom", path: ["dueAt"], message: "The due date must be after the start (at least an hour)." });
    if (c.dueAt.getTime() - c.startsAt.getTime() > 366 * DAY_MS) ctx.addIssue({ code: "custom", path: ["dueAt"], message: "A review lasts at most a year." });
  });
export type CampaignInput = z.input<typeof campaignInput>;

const reasonText = z.string().trim().max(500, "Keep the reason under 500 characters.");

export const reviewDecisionInput = z
  .object({
    itemIds: z.array(z.string().min(1)).min(1, "Choose at least one item.").max(200, "Decide at most 200 items at once."),
    decision: z.enum(["KEEP", "REVOKE", "KEEP_UNTIL"]),
    reason: reasonText.optional(),
    keepUntil: z.coerce.date().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.decision === "REVOKE" && (d.reason ?? "").length < 5) ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why the access should go (at least 5 characters)." });
    if (d.decision === "KEEP_UNTIL") {
      if (!d.keepUntil) ctx.addIssue({ code: "custom", path: ["keepUntil"], message: "Choose until when to keep it." });
      else if (d.keepUntil.getTime() <= Date.now()) ctx.addIssue({ code: "custom", path: ["keepUntil"], message: "Choose a date in the future." });
      else if (d.keepUntil.getTime() > Date.now() + 366 * DAY_MS) ctx.addIssue({ code: "custom", path: ["keepUntil"], message: "Choose a date within a year." });
    }
  });
export type ReviewDecisionInput = z.input<typeof reviewDecisionInput>;

export const reassignReviewInput = z.object({
  itemIds: z.array(z.string().min(1)).min(1, "Choose at least one item.").max(200, "Reassign at most 200 items at once."),
  toUserId: z.string().min(1, "Choose who reviews it instead."),
  reason: z.string().trim().min(5, "Say why you hand it on (at least 5 characters).").max(500, "Keep the reason under 500 characters."),
});
