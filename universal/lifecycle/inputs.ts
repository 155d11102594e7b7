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

/** "" (or only spaces) clears an attribute; a field left out stays as it is. */
const attribute = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text.` })
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .optional();

/**
 * An admin's edit of a person's attributes. Only the fields sent change; an empty one clears the
 * attribute. The manager is a person picked from the directory (null: no manager).
 */
export const updatePersonInput = z
  .object({
    userId: z.string({ message: "Choose the person." }).min(1, "Choose the person."),
    name: z
      .string({ message: "The name must be text." })
      .trim()
      .min(1, "Enter their name: it can be changed but not left empty.")
      .max(200, "The name must be at most 200 characters.")
      .optional(),
    title: attribute("The title", 200),
    department: attribute("The department", 200),
    location: attribute("The location", 200),
    employeeId: attribute("The employee id", 100),
    managerId: z.string({ message: "Pick the manager from the directory." }).min(1, "Pick the manager from the directory.").nullable().optional(),
  })
  .refine((v) => !v.managerId || v.managerId !== v.userId, { path: ["managerId"], message: "A person cannot be their own manager: pick someone else." });
