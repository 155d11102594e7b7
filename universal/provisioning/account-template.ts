import { z } from "zod";
import { render, unknownPlaceholders } from "./placeholders";

// SailPoint's create-account specification and OneLogin's rules, per app: how a new account's attributes
// come from the person's attributes, and rules that map person attributes to app values
// (department "Sales" → group "Sales and Marketing").

/** The person attributes a template can use, as {{name}}. */
export const PERSON_ATTRIBUTES = ["email", "name", "firstName", "lastName", "title", "department", "managerEmail"] as const;
export type PersonAttribute = (typeof PERSON_ATTRIBUTES)[number];
export type PersonAttributes = Record<PersonAttribute, string | null>;

/** Account attributes the SCIM connector knows where to put (core User schema and the enterprise extension). */
export const ACCOUNT_ATTRIBUTES = [
  "displayName",
  "name.givenName",
  "name.familyName",
  "email",
  "title",
  "department",
  "division",
  "organization",
  "costCenter",
  "employeeNumber",
  "manager",
] as const;

const template = z
  .string()
  .max(500)
  .superRefine((text, ctx) => {
    const unknown = unknownPlaceholders(text, PERSON_ATTRIBUTES);
    if (unknown.length > 0) {
      ctx.addIssue({ code: "custom", message: `Unknown placeholder {{${unknown[0]}}}; use one of ${PERSON_ATTRIBUTES.join(", ")}.` });
    }
  });

const rule = z.object({
  when: z.object({ attribute: z.enum(PERSON_ATTRIBUTES), equals: z.string().min(1) }),
  /** Set an account attribute to a value, and/or add the account to a group on the target. */
  set: z.object({ attribute: z.enum(ACCOUNT_ATTRIBUTES), value: z.string().max(500) }).optional(),
  group: z.string().trim().min(1).max(200).optional(),
}).refine((r) => r.set || r.group, { message: "A rule must set an attribute or add a group." });

export const accountTemplateSchema = z.object({
  userName: template.default("{{email}}"),
  attributes: z.partialRecord(z.enum(ACCOUNT_ATTRIBUTES), template).default({
    displayName: "{{name}}",
    "name.givenName": "{{firstName}}",
    "name.familyName": "{{lastName}}",
    email: "{{email}}",
    title: "{{title}}",
    department: "{{department}}",
  }),
  rules: z.array(rule).max(100).default([]),
});
export type AccountTemplate = z.output<typeof accountTemplateSchema>;

export interface AccountSpec {
  userName: string;
  /** Only attributes with a value; an empty value is left out rather than written as "". */
  attributes: Partial<Record<(typeof ACCOUNT_ATTRIBUTES)[number], string>>;
  /** Groups the rules put the account in, besides the requested entitlement. */
  groups: string[];
}

export function personAttributes(person: {
  email: string;
  name: string | null;
  title: string | null;
  department: { name: string } | null;
  manager: { email: string } | null;
}): PersonAttributes {
  const [firstName, ...rest] = (person.name ?? "").trim().split(/\s+/);
  return {
    email: person.email,
    name: person.name,
    firstName: firstName || null,
    lastName: rest.join(" ") || null,
    title: person.title,
    department: person.department?.name ?? null,
    managerEmail: person.manager?.email ?? null,
  };
}

/** The account the template describes for this person. A stored template that no longer parses falls back to the defaults. */
export function buildAccount(stored: unknown, person: PersonAttributes): AccountSpec {
  const parsed = accountTemplateSchema.safeParse(stored ?? {});
  const spec = parsed.success ? parsed.data : accountTemplateSchema.parse({});
  const attributes: AccountSpec["attributes"] = {};
  for (const [name, text] of Object.entries(spec.attributes) as Array<[keyof AccountSpec["attributes"], string | undefined]>) {
    if (!text) continue;
    const value = render(text, person);
    if (value) attributes[name] = value;
  }
  const groups: string[] = [];
  for (const r of spec.rules) {
    if ((person[r.when.attribute] ?? "").toLowerCase() !== r.when.equals.toLowerCase()) continue;
    if (r.set) attributes[r.set.attribute] = r.set.value;
    if (r.group && !groups.includes(r.group)) groups.push(r.group);
  }
  return { userName: render(spec.userName, person) || (person.email ?? ""), attributes, groups };
}
