import "server-only";
import { parse, type Filter } from "scim2-parse-filter";
import type { Prisma } from "@/generated/prisma/client";
import { GROUP_SCHEMA } from "./scim-discovery";
import { refuseLongFilter } from "./scim-filter";
import { ScimError } from "./scim-user";

// SCIM filters on /Groups (RFC 7644 §3.4.2.2) as a Prisma condition. IdPs look groups up by
// `displayName eq "…"` (Entra ID, Okta), sometimes by externalId, id or a member; and/or/not and
// co/sw/ew work on the text attributes. displayName is not case-exact (RFC 7643 §4.2), externalId is (§3.1).

type Where = Prisma.UserGroupWhereInput;

const invalid = (detail: string) => new ScimError(400, detail, "invalidFilter");

/** Parses a filter string with scim2-parse-filter; a syntax error is a 400 invalidFilter. */
export function parseScimFilter(filter: string): Filter {
  refuseLongFilter(filter);
  try {
    return parse(filter);
  } catch (error) {
    throw invalid(`The filter '${filter}' is not valid SCIM filter syntax (RFC 7644 §3.4.2.2): ${(error as Error).message}`);
  }
}

export function groupWhere(filter: string): Where {
  return translate(parseScimFilter(filter), "");
}

/** `urn:…:Group:displayName` → `displayname`; a value path's attributes get its prefix ("members."). */
function attribute(path: string, prefix: string): string {
  const bare = path.toLowerCase().startsWith(`${GROUP_SCHEMA.toLowerCase()}:`) ? path.slice(GROUP_SCHEMA.length + 1) : path;
  return `${prefix}${bare}`.toLowerCase();
}

function translate(f: Filter, prefix: string): Where {
  switch (f.op) {
    case "and":
      return { AND: f.filters.map((c) => translate(c, prefix)) };
    case "or":
      return { OR: f.filters.map((c) => translate(c, prefix)) };
    case "not":
      return { NOT: translate(f.filter, prefix) };
    case "[]": {
      if (prefix || attribute(f.attrPath, "") !== "members") throw invalid(`Value filters work on members only (members[value eq "…"]), not on ${f.attrPath}.`);
      return translate(f.valFilter, "members.");
    }
    case "pr":
      switch (attribute(f.attrPath, prefix)) {
        case "id":
        case "displayname":
          return {};
        case "externalid":
          return { scimExternalId: { not: null } };
        case "members":
        case "members.value":
          return { members: { some: {} } };
        default:
          throw unsupported(f.attrPath);
      }
    default:
      return compare(attribute(f.attrPath, prefix), f.op, f.compValue, f.attrPath);
  }
}

function compare(attr: string, op: string, value: unknown, shown: string): Where {
  if (typeof value !== "string") throw invalid(`${shown} is text: compare it with a quoted string, e.g. ${shown} eq "Engineering".`);
  const text = (caseExact: boolean): Prisma.StringFilter => {
    const mode = caseExact ? {} : { mode: "insensitive" as const };
    switch (op) {
      case "eq":
        return { equals: value, ...mode };
      case "ne":
        return { not: { equals: value, ...mode } };
      case "co":
        return { contains: value, ...mode };
      case "sw":
        return { startsWith: value, ...mode };
      case "ew":
        return { endsWith: value, ...mode };
      default:
        throw invalid(`The operator "${op}" does not apply to ${shown}: use eq, ne, co, sw or ew.`);
    }
  };
  switch (attr) {
    case "displayname":
      return { name: text(false) };
    case "externalid":
      return op === "ne" ? { OR: [{ scimExternalId: text(true) }, { scimExternalId: null }] } : { scimExternalId: text(true) };
    case "id":
      return { id: text(true) };
    case "members":
    case "members.value":
      if (op !== "eq") throw invalid(`Members are matched by id: members[value eq "<user id>"].`);
      return { members: { some: { userId: value } } };
    default:
      throw unsupported(shown);
  }
}

const unsupported = (shown: string) => invalid(`Groups cannot be filtered by ${shown}: use displayName, externalId, id or members[value eq "…"].`);
