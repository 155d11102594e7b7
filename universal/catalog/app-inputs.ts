import { z } from "zod";

// What an admin enters to add an app or an entitlement. Plain zod, no database: the forms check the
// same schemas before sending, and the server checks them again.

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The address an app gets from its name: "Google Workspace" → "google-workspace". */
export const slugFromName = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/(^-|-$)/g, "")
    .slice(0, 60)
    .replace(/-$/, "");

export const createAppInput = z.object({
  name: z.string().trim().min(2, "Name the app (at least 2 characters).").max(80, "Keep the name under 80 characters."),
  slug: z
    .string()
    .trim()
    .min(2, "Give the app a slug of at least 2 characters.")
    .max(60, "Keep the slug under 60 characters.")
    .regex(SLUG_PATTERN, "Use lowercase letters, digits and single dashes, e.g. google-workspace."),
  description: z.string().trim().max(1000, "Keep the description under 1000 characters.").default(""),
  ownerId: z.string({ error: "Choose the app's owner." }).min(1, "Choose the app's owner.").max(100, "That is not a person in the directory."),
  deprovisionAction: z.enum(["SUSPEND", "DELETE"], { error: "Choose what happens to accounts when access is removed." }).default("SUSPEND"),
});

export const createEntitlementInput = z.object({
  appId: z.string().min(1),
  name: z.string().trim().min(2, "Name the entitlement (at least 2 characters).").max(100, "Keep the name under 100 characters."),
  kind: z.enum(["GROUP", "ROLE"], { error: "Choose group or role." }).default("GROUP"),
  description: z.string().trim().max(1000, "Keep the description under 1000 characters.").default(""),
  /** The group on the target: a SCIM group name, or a directory group's cn or DN. */
  externalName: z.string().trim().min(1, "Enter the group or role on the target.").max(500, "Keep it under 500 characters."),
  requestable: z.boolean().default(true),
});
