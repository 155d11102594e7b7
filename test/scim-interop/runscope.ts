import { dispatch } from "./client";

// Replays one request step of a Runscope export (the format of Okta's SCIM SPEC test): substitutes
// {{variables}}, sends the request through the route modules, checks the step's assertions the way
// Runscope does, and extracts the step's variables for the next steps.

export interface RunscopeAssertion {
  comparison: string;
  source: "response_status" | "response_json" | "response_time";
  value: string | null;
  property?: string;
}
export interface RunscopeStep {
  note: string;
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body?: string;
  assertions: RunscopeAssertion[];
  variables: { source: "response_json"; name: string; property: string }[];
}

const fill = (text: string, variables: Record<string, string>) =>
  text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    if (!(name in variables)) throw new Error(`The step uses {{${name}}}, which no earlier step or initial variable set.`);
    return variables[name]!;
  });

/** `Resources[0].name.familyName` read from a JSON value; "" is the value itself. */
function at(json: unknown, property: string): unknown {
  if (!property) return json;
  let value: unknown = json;
  for (const part of property.split(".")) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    if (match[1]) value = (value as Record<string, unknown> | undefined)?.[match[1]];
    for (const index of match[2]!.match(/\d+/g) ?? []) value = (value as unknown[] | undefined)?.[Number(index)];
  }
  return value;
}

function holds(comparison: string, actual: unknown, expected: string | null): boolean {
  switch (comparison) {
    case "equal":
      return actual !== undefined && actual !== null && String(actual) === expected;
    case "equal_number":
      return typeof actual === "number" ? actual === Number(expected) : actual !== "" && Number(actual) === Number(expected);
    case "not_empty":
      return actual !== undefined && actual !== null && actual !== "" && !(Array.isArray(actual) && actual.length === 0);
    case "is_a_number":
      return typeof actual === "number";
    case "is_less_than":
      return Number(actual) < Number(expected);
    case "contains":
      return Array.isArray(actual) ? actual.includes(expected) : typeof actual === "string" && expected !== null && actual.includes(expected);
    case "has_value":
      // An array holding the value, or (the root of the 401 step) an object one of whose values is or holds it.
      if (Array.isArray(actual)) return actual.includes(expected);
      if (typeof actual === "object" && actual !== null) return Object.values(actual).some((v) => v === expected || (Array.isArray(v) && v.includes(expected)));
      return false;
    default:
      throw new Error(`Runscope comparison "${comparison}" is not implemented by this replayer.`);
  }
}

/** Runs the step; answers the assertions that failed, in words (empty: the step passed). */
export async function replayStep(step: RunscopeStep, variables: Record<string, string>): Promise<string[]> {
  const headers = new Headers();
  for (const [name, values] of Object.entries(step.headers)) for (const value of values) headers.append(name, fill(value, variables));
  // Runscope sends the URL as typed; a real client encodes the spaces and quotes of the filter.
  const url = new URL(fill(step.url, variables));
  const body = step.body === undefined ? undefined : fill(step.body, variables);
  const response = await dispatch(new Request(url, { method: step.method, headers, body }));
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const failed: string[] = [];
  // Response-time assertions (Okta's "under 600 ms" on /Groups) are not replayed: on a loaded CI
  // machine they would fail for the machine, not the portal. Speed belongs to `npm run bench`.
  for (const assertion of step.assertions.filter((a) => a.source !== "response_time")) {
    const expected = assertion.value === null ? null : fill(assertion.value, variables);
    const actual = assertion.source === "response_status" ? response.status : at(json, assertion.property ?? "");
    if (!holds(assertion.comparison, actual, expected)) {
      failed.push(`${assertion.source}${assertion.property !== undefined ? ` ${JSON.stringify(assertion.property)}` : ""} ${assertion.comparison} ${JSON.stringify(expected)}: got ${JSON.stringify(actual)}`);
    }
  }
  for (const variable of step.variables) {
    const value = at(json, variable.property);
    if (value !== undefined && value !== null) variables[variable.name] = String(value);
  }
  return failed;
}
