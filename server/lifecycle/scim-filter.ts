import "server-only";
import { type Filter, parse } from "scim2-parse-filter";
import type { Prisma } from "@/generated/prisma/client";
import { emailKey } from "@/server/people/email";
import { containing } from "@/server/text-search";
import { byUserName } from "./find-person";
import { ENTERPRISE_SCHEMA, ScimError, USER_SCHEMA } from "./scim-user";

// SCIM filters on /Users (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter and translated into a
// Prisma where over the stored columns, so the database does the matching and paging stays exact.
// Case-insensitive attributes (RFC 7643 caseExact=false: userName, emails, names, title) compare
// through the normalised key columns (emailKey, scimUserNameKey) or as escaped ILIKE patterns.

type Where = Prisma.UserWhereInput;
type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le";
type Value = boolean | null | number | string;
/** What a text comparison becomes: fits both Prisma's required and nullable string filters. */
type TextFilter = { equals?: string; contains?: string; startsWith?: string; endsWith?: string; mode?: "insensitive" };

/** How one attribute is matched: `compare` answers the operators it supports (others: invalidFilter); `absent` is its "no value". */
interface Attribute {
  compare(op: CompareOp, value: Value, name: string): Where;
  absent: Where;
}

/** An ILIKE/LIKE pattern that matches the text literally (`%`, `_` and `\` escaped). */
const literal = (text: string) => containing(text).contains;

const unsupportedOp = (op: string, name: string) =>
  new ScimError(400, `The operator "${op}" is not supported on ${name} in this portal's filters.`, "invalidFilter");

function asText(value: Value, name: string): string {
  if (typeof value !== "string") throw new ScimError(400, `${name} is compared with a quoted string, e.g. ${name} eq "value".`, "invalidFilter");
  return value;
}

/** A text column; caseExact=false compares case-insensitively. */
function textMatch(op: CompareOp, value: string, name: string, caseExact: boolean): TextFilter {
  const mode = caseExact ? {} : { mode: "insensitive" as const };
  const pattern = literal(value);
  switch (op) {
    case "eq":
      // Case-insensitive `equals` is an ILIKE: escaped, so `_` and `%` are not wildcards.
      return caseExact ? { equals: value } : { equals: pattern, ...mode };
    case "co":
      return { contains: pattern, ...mode };
    case "sw":
      return { startsWith: pattern, ...mode };
    case "ew":
      return { endsWith: pattern, ...mode };
    default:
      throw unsupportedOp(op, name);
  }
}

/** A plain text column of User (or of its department). */
function textColumn(column: "name" | "givenName" | "familyName" | "title" | "scimExternalId" | "employeeId" | "id", caseExact: boolean): Attribute {
  return {
    compare: (op, value, name) => {
      if (op === "ne") return { OR: [{ [column]: null }, { NOT: { [column]: textMatch("eq", asText(value, name), name, caseExact) } }] };
      return { [column]: textMatch(op, asText(value, name), name, caseExact) };
    },
    absent: column === "id" ? { id: "" } : { [column]: null },
  };
}

/** userName: the stored one, else (people no IdP named) the email, which SCIM shows as userName. */
const userName: Attribute = {
  compare: (op, value, name) => {
    const text = asText(value, name);
    if (op === "eq") return byUserName(text);
    if (op === "ne") return { NOT: byUserName(text) };
    const match = textMatch(op, text, name, false);
    return { OR: [{ scimUserName: match }, { scimUserName: null, email: match }] };
  },
  absent: { id: "" }, // every person has one
};

/** emails.value: the work email SCIM shows (scimEmail when the sign-in address is the userName, else the email). */
const emailValue: Attribute = {
  compare: (op, value, name) => {
    const text = asText(value, name);
    const stored: Where = { OR: [{ scimEmail: null, emailKey: emailKey(text) }, { scimEmail: textMatch("eq", text, name, false) }] };
    if (op === "eq") return stored;
    if (op === "ne") return { NOT: stored };
    const match = textMatch(op, text, name, false);
    return { OR: [{ scimEmail: null, email: match }, { scimEmail: match }] };
  },
  absent: { id: "" },
};

/** emails.type / emails.primary: the one email the portal keeps is the primary work email. */
const emailType: Attribute = {
  compare: (op, value, name) => {
    if (op !== "eq" && op !== "ne") throw unsupportedOp(op, name);
    const work = asText(value, name).toLowerCase() === "work";
    return (op === "eq") === work ? {} : { id: "" };
  },
  absent: { id: "" },
};
const emailPrimary: Attribute = {
  compare: (op, value, name) => {
    if ((op !== "eq" && op !== "ne") || typeof value !== "boolean") throw unsupportedOp(`${op} ${JSON.stringify(value)}`, name);
    return (op === "eq") === value ? {} : { id: "" };
  },
  absent: { id: "" },
};

/** active: everyone but leavers (on leave still exists and comes back). */
const active: Attribute = {
  compare: (op, value, name) => {
    if ((op !== "eq" && op !== "ne") || typeof value !== "boolean") throw new ScimError(400, `${name} is compared with true or false, e.g. active eq true.`, "invalidFilter");
    const isActive = (op === "eq") === value;
    return isActive ? { lifecycleState: { not: "TERMINATED" } } : { lifecycleState: "TERMINATED" };
  },
  absent: { id: "" },
};

function dateColumn(column: "createdAt" | "updatedAt"): Attribute {
  return {
    compare: (op, value, name) => {
      const at = new Date(asText(value, name));
      if (Number.isNaN(at.getTime())) throw new ScimError(400, `${name} is compared with a date, e.g. ${name} gt "2026-01-01T00:00:00Z".`, "invalidFilter");
      const ops = { eq: "equals", gt: "gt", ge: "gte", lt: "lt", le: "lte" } as const;
      if (op === "ne") return { NOT: { [column]: at } };
      if (!(op in ops)) throw unsupportedOp(op, name);
      return { [column]: { [ops[op as keyof typeof ops]]: at } };
    },
    absent: { id: "" },
  };
}

const department: Attribute = {
  compare: (op, value, name) => {
    if (op === "ne") return { OR: [{ department: null }, { NOT: { department: { name: textMatch("eq", asText(value, name), name, false) } } }] };
    return { department: { name: textMatch(op, asText(value, name), name, false) } };
  },
  absent: { department: null },
};

/** Filterable attributes, by their lower-cased path (attribute names are case-insensitive, RFC 7643 §2.1). */
const ATTRIBUTES: Record<string, Attribute> = {
  id: textColumn("id", true),
  username: userName,
  externalid: textColumn("scimExternalId", true),
  displayname: textColumn("name", false),
  "name.formatted": textColumn("name", false),
  "name.givenname": textColumn("givenName", false),
  "name.familyname": textColumn("familyName", false),
  title: textColumn("title", false),
  active,
  emails: emailValue,
  "emails.value": emailValue,
  "emails.type": emailType,
  "emails.primary": emailPrimary,
  "meta.created": dateColumn("createdAt"),
  "meta.lastmodified": dateColumn("updatedAt"),
  employeenumber: textColumn("employeeId", false),
  department,
};
const SUPPORTED = "id, userName, externalId, displayName, name.givenName, name.familyName, name.formatted, title, active, emails(.value), meta.created, meta.lastModified, and the enterprise employeeNumber and department";

/** The attribute a path names, with its core or enterprise schema URN stripped. */
function attributeOf(path: string): { attribute: Attribute; name: string } {
  let name = path.trim();
  for (const urn of [USER_SCHEMA, ENTERPRISE_SCHEMA]) {
    if (name.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) name = name.slice(urn.length + 1);
  }
  const attribute = ATTRIBUTES[name.toLowerCase()];
  if (!attribute) throw new ScimError(400, `Filtering on "${path}" is not supported: filter on ${SUPPORTED}.`, "invalidFilter");
  return { attribute, name };
}

function translate(filter: Filter, prefix = ""): Where {
  switch (filter.op) {
    case "and":
      return { AND: filter.filters.map((f) => translate(f, prefix)) };
    case "or":
      return { OR: filter.filters.map((f) => translate(f, prefix)) };
    case "not":
      return { NOT: translate(filter.filter, prefix) };
    case "[]":
      // emails[type eq "work" and value eq "…"]: the inner filter is about the entries' sub-attributes.
      return translate(filter.valFilter, `${prefix}${filter.attrPath}.`);
    case "pr": {
      const { attribute } = attributeOf(`${prefix}${filter.attrPath}`);
      return { NOT: attribute.absent };
    }
    default: {
      const { attribute, name } = attributeOf(`${prefix}${filter.attrPath}`);
      return attribute.compare(filter.op, filter.compValue, name);
    }
  }
}

/**
 * The longest filter read. IdPs send one or two comparisons (Entra's longest is a userName and an
 * externalId); a longer one is refused before parsing, since the parser recurses per parenthesis.
 */
export const MAX_FILTER_LENGTH = 1_000;

/** A 400 invalidFilter for a filter over MAX_FILTER_LENGTH, else nothing. */
export function refuseLongFilter(expression: string): void {
  if (expression.length > MAX_FILTER_LENGTH) {
    throw new ScimError(400, `The filter is ${expression.length} characters long; this endpoint reads filters of up to ${MAX_FILTER_LENGTH}.`, "invalidFilter");
  }
}

/** The Prisma where a SCIM filter on users means; a filter it cannot read or does not support is a 400 invalidFilter. */
export function usersWhere(expression: string): Where {
  refuseLongFilter(expression);
  let filter: Filter;
  try {
    filter = parse(expression);
  } catch (error) {
    throw new ScimError(400, `The filter '${expression}' is not valid SCIM filter syntax (${(error as Error).message}).`, "invalidFilter");
  }
  return translate(filter);
}
