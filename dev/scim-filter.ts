import SCIMMY from "scimmy";

// scimmy's Filter parses some malformed filters into half-built expressions (`userName eq` with no value,
// trailing `and`) or throws plain TypeErrors, and its `match()` compares strings case-sensitively and crashes
// on missing complex attributes. These helpers close those gaps for the test target.

type Json = Record<string, unknown>;

const COMPARATORS = new Set(["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le", "pr", "np"]);
const ATTRIBUTE = /^(urn:[\w.:-]+|[A-Za-z$][\w$-]*)$/;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
// scimmy silently drops a logical operator with nothing after it: 'userName eq "a" and', 'emails[value eq "a" or]'.
const DANGLING = /\b(and|or|not)\s*($|[)\]])/i;

export class InvalidFilterError extends Error {}

/** Parses a SCIM filter, throwing InvalidFilterError for anything malformed. */
export function parseFilter(expression: string): SCIMMY.Types.Filter {
  let filter: SCIMMY.Types.Filter;
  try {
    filter = new SCIMMY.Types.Filter(expression);
  } catch (error) {
    // scimmy's own SCIMErrors explain themselves; its TypeErrors ("reading 'toLowerCase'") do not.
    const explained = error instanceof SCIMMY.Types.Error;
    throw new InvalidFilterError(explained ? error.message : `Malformed filter '${expression}'`);
  }
  if (DANGLING.test(expression.replace(QUOTED, '""'))) throw new InvalidFilterError(`Incomplete filter '${expression}'`);
  for (const branch of filter) checkExpression(branch, expression);
  return filter;
}

function checkExpression(node: unknown, source: string): void {
  if (!isObject(node)) throw new InvalidFilterError(`Malformed filter '${source}'`);
  for (const [attribute, value] of Object.entries(node)) {
    if (!ATTRIBUTE.test(attribute)) throw new InvalidFilterError(`Unexpected '${attribute}' in filter '${source}'`);
    if (!Array.isArray(value)) checkExpression(value, source);
    else if (value.every(Array.isArray)) value.forEach((leaf) => checkComparison(leaf, source));
    else checkComparison(value, source);
  }
}

function checkComparison(leaf: unknown[], source: string): void {
  const [operator, ...operands] = leaf[0] === "not" ? leaf.slice(1) : leaf;
  const comparator = typeof operator === "string" ? operator.toLowerCase() : "";
  const wanted = comparator === "pr" || comparator === "np" ? 0 : 1;
  if (!COMPARATORS.has(comparator) || operands.length !== wanted) {
    throw new InvalidFilterError(`Incomplete comparison in filter '${source}'`);
  }
}

/**
 * Returns the records the filter selects, comparing strings case-insensitively (RFC 7643 makes userName,
 * displayName, emails and names caseExact=false; our ids are lower-case UUIDs, so folding them is harmless).
 */
export function matchFilter<T extends Json>(filter: SCIMMY.Types.Filter, records: T[]): T[] {
  const plain = JSON.parse(JSON.stringify(filter)) as Json[];
  const folded = new SCIMMY.Types.Filter(plain.map((branch) => fold(branch) as Json));
  const projections = records.map((record, index) => {
    const projection = fold(record) as Json;
    for (const branch of plain) fillComplex(projection, branch);
    return { ...projection, [INDEX]: index };
  });
  return folded.match(projections).map((match: Json) => records[match[INDEX] as number] as T);
}

const INDEX = "__recordIndex";

function fold(value: unknown, key = ""): unknown {
  if (key === "meta") return value; // dates must keep their ISO spelling
  if (typeof value === "string") return value.toLowerCase();
  if (Array.isArray(value)) return value.map((item) => fold(item));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fold(v, k)]));
  return value;
}

// A filter on `name.givenName` or `emails[...]` crashes scimmy when the record lacks `name`/`emails`.
function fillComplex(target: Json, expression: Json): void {
  for (const [attribute, value] of Object.entries(expression)) {
    if (Array.isArray(value)) continue;
    const key = Object.keys(target).find((k) => k.toLowerCase() === attribute.toLowerCase()) ?? attribute;
    const current = target[key];
    if (current === undefined || current === null) target[key] = {};
    else if (isObject(current) && isObject(value)) fillComplex(current, value);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
