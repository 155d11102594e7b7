import {
  ACCOUNT_ATTRIBUTES,
  accountTemplateSchema,
  PERSON_ATTRIBUTES,
  type AccountTemplate,
  type PersonAttribute,
} from "@/universal/provisioning/account-template";

// The account template as the form edits it: rows of account attribute → value, and rules as rows of
// "when this person attribute is this value, set that and/or add to this group". Checked with the
// server's own schema before it is sent, each problem placed next to the row it is about.

export type AccountAttribute = (typeof ACCOUNT_ATTRIBUTES)[number];
export type AttributeRow = { attribute: AccountAttribute; value: string };
export type RuleRow = { when: PersonAttribute; equals: string; setAttribute: AccountAttribute | ""; setValue: string; group: string };
export type TemplateDraft = { userName: string; attributes: AttributeRow[]; rules: RuleRow[] };
export type TemplateProblems = { userName?: string; attributes: Record<number, string>; rules: Record<number, string>; form?: string };

/** How each account attribute is named in the form (its SCIM path after it, for those who know SCIM). */
export const ACCOUNT_ATTRIBUTE_LABELS: Record<AccountAttribute, string> = {
  displayName: "Display name",
  "name.givenName": "First name",
  "name.familyName": "Last name",
  email: "Email",
  title: "Job title",
  department: "Department",
  division: "Division",
  organization: "Organization",
  costCenter: "Cost center",
  employeeNumber: "Employee number",
  manager: "Manager",
};

export const PERSON_ATTRIBUTE_LABELS: Record<PersonAttribute, string> = {
  email: "Email",
  name: "Full name",
  firstName: "First name",
  lastName: "Last name",
  title: "Job title",
  department: "Department",
  managerEmail: "Manager's email",
};
export { PERSON_ATTRIBUTES };

export function draftFromTemplate(t: AccountTemplate): TemplateDraft {
  return {
    userName: t.userName,
    // In the schema's order: the stored JSON's key order is the database's (jsonb sorts keys by length).
    attributes: (Object.entries(t.attributes) as Array<[AccountAttribute, string | undefined]>)
      .map(([attribute, value]) => ({ attribute, value: value ?? "" }))
      .sort((a, b) => ACCOUNT_ATTRIBUTES.indexOf(a.attribute) - ACCOUNT_ATTRIBUTES.indexOf(b.attribute)),
    rules: t.rules.map((r) => ({ when: r.when.attribute, equals: r.when.equals, setAttribute: r.set?.attribute ?? "", setValue: r.set?.value ?? "", group: r.group ?? "" })),
  };
}

/** The first account attribute no row uses yet, for "Add attribute"; undefined when all are used. */
export function unusedAttribute(rows: AttributeRow[]): AccountAttribute | undefined {
  return ACCOUNT_ATTRIBUTES.find((a) => !rows.some((r) => r.attribute === a));
}

function candidateOf(d: TemplateDraft) {
  return {
    userName: d.userName.trim(),
    attributes: Object.fromEntries(d.attributes.map((r) => [r.attribute, r.value.trim()])),
    rules: d.rules.map((r) => ({
      when: { attribute: r.when, equals: r.equals.trim() },
      ...(r.setAttribute ? { set: { attribute: r.setAttribute, value: r.setValue.trim() } } : {}),
      ...(r.group.trim() ? { group: r.group.trim() } : {}),
    })),
  };
}

/** The template to send, or what is wrong with which row. A row that sets an attribute twice is refused (the last would win silently). */
export function templateFromDraft(d: TemplateDraft): { template: AccountTemplate } | { problems: TemplateProblems } {
  const problems: TemplateProblems = { attributes: {}, rules: {} };
  d.attributes.forEach((r, i) => {
    if (d.attributes.findIndex((o) => o.attribute === r.attribute) < i) problems.attributes[i] = `${ACCOUNT_ATTRIBUTE_LABELS[r.attribute]} is already set above.`;
  });
  const parsed = accountTemplateSchema.safeParse(candidateOf(d));
  if (parsed.success && Object.keys(problems.attributes).length === 0) return { template: parsed.data };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [area, key] = issue.path;
    if (area === "userName") problems.userName ??= issue.message;
    else if (area === "attributes") {
      const i = d.attributes.findIndex((r) => r.attribute === key);
      if (i >= 0) problems.attributes[i] ??= issue.message;
    } else if (area === "rules" && typeof key === "number") {
      const field = issue.path[2] === "when" ? "The value to match" : issue.path[2] === "group" ? "The group" : "";
      problems.rules[key] ??= field && issue.code === "too_small" ? `${field} is missing.` : issue.message;
    } else problems.form ??= issue.message;
  }
  return { problems };
}
