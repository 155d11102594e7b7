// How an enrollment rule's attribute values (department, title, location) compare with people's:
// trimmed and case-insensitive. The sync's SQL compares lower(btrim(column)) with these keys, and the
// rule form uses the same keys to say which typed values match nobody, so both always agree.

export const RULE_ATTRIBUTES = ["department", "title", "location"] as const;
export type RuleAttribute = (typeof RULE_ATTRIBUTES)[number];

/** The white space trimmed from both ends: the same characters in SQL's btrim and here. */
export const TRIMMED = " \t\n\r\f\v\u00a0";
const ends = new RegExp(`^[${TRIMMED}]+|[${TRIMMED}]+$`, "g");

/** The comparison key of a value: "  Engineering " and "engineering" are the same department. */
export const attributeKey = (value: string) => value.replace(ends, "").toLowerCase();

/** Whether a person's value satisfies one of a rule's values. A person without the attribute never does. */
export function attributeMatches(personValue: string | null | undefined, ruleValues: readonly string[]): boolean {
  if (personValue == null) return false;
  const key = attributeKey(personValue);
  return ruleValues.some((v) => attributeKey(v) === key);
}

/**
 * Whether a person has every attribute a rule lists (attributes the rule leaves out do not count).
 * The JavaScript twin of the sync's SQL match on attributes (server/enrollment/apply.ts).
 */
export function matchesRuleAttributes(person: Partial<Record<RuleAttribute, string | null>>, rule: Partial<Record<RuleAttribute, readonly string[]>>): boolean {
  return RULE_ATTRIBUTES.every((a) => {
    const values = rule[a];
    return !values?.length || attributeMatches(person[a], values);
  });
}
