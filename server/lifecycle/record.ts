import "server-only";
import { z } from "zod";

// One person as an HR feed describes them: a row of the HR CSV, a user pushed over SCIM, or an admin's
// lifecycle action. Every attribute but the email may be left out, which leaves it as it is; an empty
// value ("" or null) clears it. The name can be left out but not cleared.

export const HR_STATUSES = ["active", "leave", "terminated"] as const;
export type HrStatus = (typeof HR_STATUSES)[number];

/** "" and whitespace mean "no value": cleared. */
const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

const text = (label: string, max: number) =>
  z.preprocess(blankToNull, z.string().trim().max(max, `${label} must be at most ${max} characters.`).nullable().optional());

// Addresses are kept as sent (trimmed): every comparison goes through User.emailKey (server/people/email.ts).
const email = (message: string) => z.string().trim().pipe(z.email({ message }));

export const hrRecordSchema = z.object({
  email: z.preprocess(
    (v) => blankToNull(v) ?? "",
    z.string().trim().min(1, "Enter the person's work email.").pipe(z.email({ message: "The email is not a valid address, e.g. ada@example.com." })),
  ),
  // Left out or empty: the name stays as it is (a new person starts without one).
  name: z.preprocess(
    (v) => (blankToNull(v) === null ? undefined : v),
    z.string().trim().max(200, "The name must be at most 200 characters.").optional(),
  ),
  title: text("The title", 200),
  department: text("The department", 200),
  managerEmail: z.preprocess(blankToNull, email("The manager's email is not a valid address.").nullable().optional()),
  location: text("The location", 200),
  employeeId: text("The employee id", 100),
  status: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(HR_STATUSES, { message: "The status must be active, leave or terminated." }).optional(),
  ),
  /** The id the pushing system (an IdP over SCIM) knows the person by. */
  externalId: text("The external id", 200),
  /** SCIM's userName, as sent (unique case-insensitively; not necessarily an email). */
  userName: text("The userName", 300),
  /** SCIM's work email when it is not the sign-in address (SCIM_SIGN_IN_ATTRIBUTE=userName). */
  scimEmail: z.preprocess(blankToNull, email("The work email in emails is not a valid address.").nullable().optional()),
  /** The name's parts; left out while the name changes, they are cleared (they would describe the old name). */
  givenName: text("The given name", 200),
  familyName: text("The family name", 200),
});

export type HrRecord = z.output<typeof hrRecordSchema>;
export type HrRecordInput = z.input<typeof hrRecordSchema>;

/** Where a change came from, as the audit trail says. */
export type HrSource = "csv" | "scim" | "admin";

/** A record as handed to applyHrRecords: its fields, and where it came from in the feed (a CSV line). */
export type HrRow = Record<string, unknown> & { line?: number };

/** "held": a termination the mass-revocation guard keeps for an admin to confirm (nothing applied yet). */
export type RowOutcome = "created" | "updated" | "unchanged" | "terminated" | "held" | "error";

/** Why a row failed, for callers that answer in their own protocol (SCIM maps these to HTTP statuses). */
export type RowErrorKind = "invalid" | "conflict" | "not_found";

export interface RowReport {
  /** The row's line in the feed (a CSV's line number, the header being line 1), or its position from 1. */
  line: number;
  email: string | null;
  outcome: RowOutcome;
  userId?: string;
  /** What happened, in words: "joined", "moved: department Sales → Finance", or the problem. */
  message: string;
  /** Lifecycle events written to the audit trail: person.joined, person.moved, ... */
  events: string[];
  errorKind?: RowErrorKind;
}

/** A row's validation problems, one sentence per field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join(" ");
}
