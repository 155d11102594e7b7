import { z } from "zod";

// The people page's inputs, shared by the forms (validated as you type) and the API (validated again).
// Kept free of server code so the browser can load it.

export const LIFECYCLE_STATES = ["ACTIVE", "LEAVE", "TERMINATED"] as const;
export type LifecycleStateName = (typeof LIFECYCLE_STATES)[number];

/** The HR CSV's columns, in the order the template lists them; email and status are required. */
export const HR_CSV_COLUMNS = ["email", "name", "title", "department", "manager_email", "location", "employee_id", "status"] as const;
export type HrCsvColumn = (typeof HR_CSV_COLUMNS)[number];
export const REQUIRED_CSV_COLUMNS: readonly HrCsvColumn[] = ["email", "status"];
export const MAX_CSV_BYTES = 5_000_000;

export const listPeopleInput = z.object({
  q: z.string().trim().max(200, "Keep the search under 200 characters.").default(""),
  state: z.enum(LIFECYCLE_STATES).optional(),
});

export const importCsvInput = z.object({
  csv: z
    .string({ message: "Choose a CSV file to upload." })
    .min(1, "Choose a CSV file to upload: this one is empty.")
    .max(MAX_CSV_BYTES, "The file is larger than 5 MB: split it and upload the parts."),
});

export const setLifecycleInput = z.object({
  userId: z.string().min(1, "Choose the person."),
  state: z.enum(LIFECYCLE_STATES, { message: "Choose Active, Leave or Terminated." }),
  reason: z.string().trim().min(5, "Say why (at least 5 characters): it goes in the audit trail.").max(500, "Keep the reason under 500 characters."),
});
