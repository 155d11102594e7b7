// "{{name}}" placeholders in admin-written templates (account attributes, ticket text). Unknown names are
// reported when the admin saves the template, so a typo never reaches a target as literal braces.

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

/** Names used in `template` that are not in `known`. */
export function unknownPlaceholders(template: string, known: readonly string[]): string[] {
  return placeholdersIn(template).filter((name) => !known.includes(name));
}

/** Fills each placeholder; a value that is missing for this person becomes the empty string. */
export function render(template: string, values: Record<string, string | null | undefined>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? "").trim();
}
