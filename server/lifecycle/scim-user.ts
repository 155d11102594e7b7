import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { isWorkEmail } from "@/server/people/email";
import type { HrStatus } from "./record";

// A person as a SCIM 2.0 User (RFC 7643), the way Okta and Entra ID push them. userName, the work email
// and externalId are separate attributes, each stored as sent; one of userName and the work email is
// the person's portal email (their sign-in address, SCIM_SIGN_IN_ATTRIBUTE). Also name (formatted or
// displayName, givenName, familyName), title, the enterprise extension's department, employeeNumber
// and manager, addresses[0].locality (or the portal's own extension) → location, and active.

/** Which SCIM attribute is the portal email people sign in with: the work email, or userName. */
export type SignInAttribute = "email" | "userName";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** The portal's extension: location and the lifecycle state (active / leave / terminated). */
export const PORTAL_SCHEMA = "urn:accessportal:params:scim:schemas:extension:lifecycle:2.0:User";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export type ScimType = "invalidValue" | "invalidSyntax" | "uniqueness" | "invalidFilter" | "invalidPath" | "mutability" | "noTarget";

/** A failure answered as a SCIM error (RFC 7644 §3.12). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

export const scimPersonSelect = {
  id: true,
  email: true,
  name: true,
  title: true,
  location: true,
  employeeId: true,
  scimExternalId: true,
  scimUserName: true,
  scimEmail: true,
  givenName: true,
  familyName: true,
  lifecycleState: true,
  createdAt: true,
  updatedAt: true,
  department: { select: { name: true } },
  manager: { select: { id: true, email: true, name: true } },
} as const;
export type ScimPerson = Prisma.UserGetPayload<{ select: typeof scimPersonSelect }>;

const STATE_TEXT = { ACTIVE: "active", LEAVE: "leave", TERMINATED: "terminated" } as const;

/** The name's parts as stored; people added before the parts were kept (or by CSV) get them from the name. */
function nameParts(p: ScimPerson): { givenName: string | null; familyName: string | null } {
  if (p.givenName !== null || p.familyName !== null) return { givenName: p.givenName, familyName: p.familyName };
  const [first, ...rest] = (p.name ?? "").trim().split(/\s+/);
  return { givenName: first || null, familyName: rest.join(" ") || null };
}

/** The person as a SCIM User resource. */
export function toScimUser(p: ScimPerson, usersUrl: string) {
  const { givenName, familyName } = nameParts(p);
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA, PORTAL_SCHEMA],
    id: p.id,
    ...(p.scimExternalId ? { externalId: p.scimExternalId } : {}),
    // People no IdP named yet (CSV, admin) show their email, as IdPs match existing users by it.
    userName: p.scimUserName ?? p.email,
    name: { ...(p.name ? { formatted: p.name } : {}), ...(givenName ? { givenName } : {}), ...(familyName ? { familyName } : {}) },
    ...(p.name ? { displayName: p.name } : {}),
    ...(p.title ? { title: p.title } : {}),
    // On leave is still active in SCIM terms (the person exists and comes back); terminated is not.
    active: p.lifecycleState !== "TERMINATED",
    emails: [{ value: p.scimEmail ?? p.email, type: "work", primary: true }],
    ...(p.location ? { addresses: [{ type: "work", locality: p.location, primary: true }] } : {}),
    [ENTERPRISE_SCHEMA]: {
      ...(p.employeeId ? { employeeNumber: p.employeeId } : {}),
      ...(p.department ? { department: p.department.name } : {}),
      ...(p.manager ? { manager: { value: p.manager.id, $ref: `${usersUrl}/${p.manager.id}`, displayName: p.manager.name ?? p.manager.email } } : {}),
    },
    [PORTAL_SCHEMA]: { lifecycleState: STATE_TEXT[p.lifecycleState], ...(p.location ? { location: p.location } : {}) },
    meta: { resourceType: "User", created: p.createdAt.toISOString(), lastModified: p.updatedAt.toISOString(), location: `${usersUrl}/${p.id}` },
  };
}

/** A SCIM user flattened to what the portal stores; `touched` says which a request set. */
export interface ScimAttrs {
  userName: string | null;
  email: string | null;
  formatted: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  title: string | null;
  active: boolean | null;
  externalId: string | null;
  department: string | null;
  employeeNumber: string | null;
  /** A manager's SCIM id (the portal's person id), external id or email. */
  manager: string | null;
  location: string | null;
  lifecycleState: HrStatus | null;
}
type Key = keyof ScimAttrs;

export function emptyAttrs(): ScimAttrs {
  return {
    userName: null,
    email: null,
    formatted: null,
    displayName: null,
    givenName: null,
    familyName: null,
    title: null,
    active: null,
    externalId: null,
    department: null,
    employeeNumber: null,
    manager: null,
    location: null,
    lifecycleState: null,
  };
}

/** The stored person, flattened. */
export function attrsOf(p: ScimPerson): ScimAttrs {
  const { givenName, familyName } = nameParts(p);
  return {
    userName: p.scimUserName ?? p.email,
    email: p.scimEmail ?? p.email,
    formatted: p.name,
    displayName: p.name,
    givenName,
    familyName,
    title: p.title,
    active: p.lifecycleState !== "TERMINATED",
    externalId: p.scimExternalId,
    department: p.department?.name ?? null,
    employeeNumber: p.employeeId,
    manager: p.manager?.id ?? null,
    location: p.location,
    lifecycleState: STATE_TEXT[p.lifecycleState],
  };
}

/** Sets SCIM attributes on flat attrs, recording which were touched. Unknown attributes are ignored (IdPs send many). */
export class AttrWriter {
  readonly touched = new Set<Key>();
  constructor(readonly attrs: ScimAttrs) {}

  private set<K extends Key>(key: K, value: ScimAttrs[K]) {
    this.attrs[key] = value;
    this.touched.add(key);
  }

  /** `path` as in a PATCH operation or a resource key: "title", "name.givenName", "<urn>:department", `emails[type eq "work"].value`. */
  write(path: string, value: unknown): void {
    const { schema, attribute } = splitPath(path);
    if (!schema) {
      // A whole schema's attributes under its URN, as resources and path-less PATCH values carry them.
      const urn = attribute.toLowerCase();
      if (urn === ENTERPRISE_SCHEMA.toLowerCase()) return this.writeEnterprise("", "", value);
      if (urn === PORTAL_SCHEMA.toLowerCase()) return this.writePortal("", value);
      if (urn === USER_SCHEMA.toLowerCase()) {
        if (isObject(value)) for (const [k, v] of Object.entries(value)) this.write(k, v);
        return;
      }
    }
    const [head, ...restParts] = attribute.split(".");
    const rest = restParts.join(".");
    const name = stripFilter(head ?? "").toLowerCase();
    if (schema === ENTERPRISE_SCHEMA.toLowerCase()) return this.writeEnterprise(name, rest, value);
    if (schema === PORTAL_SCHEMA.toLowerCase()) return this.writePortal(name, value);
    if (schema && schema !== USER_SCHEMA.toLowerCase()) return; // another extension: not ours
    switch (name) {
      case "":
        if (isObject(value)) for (const [k, v] of Object.entries(value)) this.write(k, v);
        return;
      case "username":
        return this.set("userName", text(value, "userName"));
      case "externalid":
        return this.set("externalId", text(value, "externalId"));
      case "displayname":
        return this.set("displayName", text(value, "displayName"));
      case "title":
        return this.set("title", text(value, "title"));
      case "active":
        return this.set("active", bool(value, "active"));
      case "name":
        if (!rest) {
          if (value === null) return ["formatted", "givenName", "familyName"].forEach((k) => this.set(k as Key, null as never));
          if (!isObject(value)) throw invalid("name must be an object, e.g. {\"givenName\": \"Ada\", \"familyName\": \"Lovelace\"}.");
          for (const [k, v] of Object.entries(value)) this.write(`name.${k}`, v);
          return;
        }
        switch (rest.toLowerCase()) {
          case "formatted":
            return this.set("formatted", text(value, "name.formatted"));
          case "givenname":
            return this.set("givenName", text(value, "name.givenName"));
          case "familyname":
            return this.set("familyName", text(value, "name.familyName"));
          default:
            return;
        }
      case "emails":
        return this.set("email", rest ? text(value, "emails.value") : pickFromList(value, "value", "emails"));
      case "addresses":
        if (rest && rest.toLowerCase() !== "locality") return;
        return this.set("location", rest ? text(value, "addresses.locality") : pickFromList(value, "locality", "addresses"));
      default:
        return;
    }
  }

  private writeEnterprise(name: string, rest: string, value: unknown) {
    switch (name) {
      case "":
        if (value === null) return ["department", "employeeNumber", "manager"].forEach((k) => this.set(k as Key, null as never));
        if (isObject(value)) for (const [k, v] of Object.entries(value)) this.writeEnterprise(k.toLowerCase(), "", v);
        return;
      case "department":
        return this.set("department", text(value, "department"));
      case "employeenumber":
        return this.set("employeeNumber", text(value, "employeeNumber"));
      case "manager": {
        // Okta and Entra send {"value": "<id>"}, or the id alone as a string; "manager.value" as a path.
        const ref = rest ? value : isObject(value) ? value.value : value;
        return this.set("manager", text(ref ?? null, "manager.value"));
      }
      default:
        return;
    }
  }

  private writePortal(name: string, value: unknown) {
    switch (name) {
      case "":
        if (value === null) return ["location", "lifecycleState"].forEach((k) => this.set(k as Key, null as never));
        if (isObject(value)) for (const [k, v] of Object.entries(value)) this.writePortal(k.toLowerCase(), v);
        return;
      case "location":
        return this.set("location", text(value, "location"));
      case "lifecyclestate": {
        const state = text(value, "lifecycleState")?.toLowerCase() ?? null;
        if (state !== null && state !== "active" && state !== "leave" && state !== "terminated") throw invalid("lifecycleState must be active, leave or terminated.");
        return this.set("lifecycleState", state);
      }
      default:
        return;
    }
  }
}

function splitPath(path: string): { schema: string; attribute: string } {
  const trimmed = path.trim();
  if (!/^urn:/i.test(trimmed)) return { schema: "", attribute: trimmed };
  for (const urn of [ENTERPRISE_SCHEMA, PORTAL_SCHEMA, USER_SCHEMA]) {
    if (trimmed.toLowerCase() === urn.toLowerCase()) return { schema: "", attribute: urn };
    if (trimmed.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) return { schema: urn.toLowerCase(), attribute: trimmed.slice(urn.length + 1) };
  }
  const at = trimmed.lastIndexOf(":");
  return { schema: trimmed.slice(0, at).toLowerCase(), attribute: trimmed.slice(at + 1) };
}

/** `emails[type eq "work"]` → `emails`: the portal keeps one email and one location. */
const stripFilter = (segment: string) => segment.replace(/\[.*\]$/, "");

const invalid = (detail: string) => new ScimError(400, detail, "invalidValue");

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function text(value: unknown, attribute: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") throw invalid(`${attribute} must be a string.`);
  return value.trim() || null;
}

function bool(value: unknown, attribute: string): boolean {
  // Entra ID sends "True" / "False" as strings.
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw invalid(`${attribute} must be true or false.`);
}

/** The primary entry of a multi-valued attribute (else the work one, else the first), or null. */
function pickFromList(value: unknown, field: string, attribute: string): string | null {
  if (value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  const entries = list.filter(isObject);
  const chosen = entries.find((e) => e.primary === true) ?? entries.find((e) => e.type === "work") ?? entries[0];
  return chosen ? text(chosen[field], `${attribute}.${field}`) : null;
}

/** An HR record (record.ts) made from a SCIM user: what applyHrRecords takes, with the identifying attributes typed. */
export type ScimRecord = Record<string, unknown> & { email: string; userName: string; externalId: string | null; employeeId: string | null };

/** The HR record a SCIM user's attributes make, given what the request touched and the person as stored (null: new). */
export async function recordFromAttrs(
  tx: Tx,
  attrs: ScimAttrs,
  touched: ReadonlySet<Key>,
  current: ScimPerson | null,
  /** replace (POST, PUT): the name comes from what was sent; patch: from the parts the operations touched. */
  mode: "replace" | "patch",
  signIn: SignInAttribute = "email",
): Promise<ScimRecord> {
  const { userName } = attrs;
  if (!userName) throw new ScimError(400, "userName is required: send the name the person is known by in your identity provider (often their work email).", "invalidValue");
  let email: string;
  let scimEmail: string | null = null;
  if (signIn === "userName") {
    if (!isWorkEmail(userName)) {
      throw new ScimError(400, `userName "${userName}" is not an email address: this portal signs people in with their userName (SCIM_SIGN_IN_ATTRIBUTE=userName), so it must be one.`, "invalidValue");
    }
    email = userName;
    scimEmail = attrs.email;
  } else {
    const address = attrs.email ?? (isWorkEmail(userName) ? userName : null);
    if (!address) {
      throw new ScimError(
        400,
        `userName "${userName}" is not an email address and no work email was sent: send the person's work email in emails (it becomes their sign-in address).`,
        "invalidValue",
      );
    }
    email = address;
  }
  const join = [attrs.givenName, attrs.familyName].filter(Boolean).join(" ") || null;
  // The portal's name is what SCIM calls displayName (else name.formatted, else the parts joined).
  const name =
    mode === "replace"
      ? (attrs.displayName ?? attrs.formatted ?? join)
      : touched.has("displayName")
        ? attrs.displayName
        : touched.has("formatted")
          ? attrs.formatted
          : touched.has("givenName") || touched.has("familyName")
            ? join
            : undefined;
  let status: HrStatus | undefined;
  if (touched.has("lifecycleState") && attrs.lifecycleState) status = attrs.lifecycleState;
  else if (touched.has("active") && attrs.active === false) status = "terminated";
  else if (touched.has("active") && attrs.active === true && (!current || current.lifecycleState === "TERMINATED")) status = "active";
  return {
    email,
    userName,
    scimEmail,
    name: name ?? undefined,
    // Always sent (the stored parts on a PATCH that leaves them alone), so a new displayName keeps them.
    givenName: attrs.givenName,
    familyName: attrs.familyName,
    title: attrs.title,
    department: attrs.department,
    employeeId: attrs.employeeNumber,
    location: attrs.location,
    externalId: attrs.externalId,
    managerEmail: await managerEmail(tx, attrs.manager),
    ...(status ? { status } : {}),
  };
}

/** A manager reference (the manager's SCIM id, their external id, or their email) as their email. */
async function managerEmail(tx: Tx, ref: string | null): Promise<string | null> {
  if (!ref) return null;
  if (ref.includes("@")) return ref;
  const manager =
    (await tx.user.findUnique({ where: { id: ref }, select: { email: true } })) ?? (await tx.user.findUnique({ where: { scimExternalId: ref }, select: { email: true } }));
  if (!manager) throw new ScimError(400, `manager.value "${ref}" is neither the id of a user on this portal nor an email: provision the manager first, or send their email.`, "invalidValue");
  return manager.email;
}
