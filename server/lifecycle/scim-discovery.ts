import "server-only";
import { guarded, itemId, MAX_RESULTS, ok, scimBase, scimError, type ScimContext, type ScimRequest, type ScimResponse } from "./scim-protocol";
import { ENTERPRISE_SCHEMA, LIST_SCHEMA, PORTAL_SCHEMA, ScimError, USER_SCHEMA } from "./scim-user";

// SCIM discovery (RFC 7644 §4): /ServiceProviderConfig, /Schemas and /ResourceTypes say what this endpoint
// stores and supports, so an IdP (Entra ID lists /Schemas as required) maps only attributes that stick.
// The definitions follow RFC 7643 §7 and describe the attributes the portal keeps, not all of §4.

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
interface Attribute {
  name: string;
  type: "string" | "boolean" | "complex" | "reference" | "dateTime" | "integer";
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: "always" | "default" | "never" | "request";
  uniqueness: "none" | "server" | "global";
  subAttributes?: Attribute[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

/** An attribute with RFC 7643 §7's defaults (optional, not case-exact, read-write, returned by default, not unique). */
function attr(name: string, type: Attribute["type"], description: string, more: Partial<Attribute> = {}): Attribute {
  return { name, type, multiValued: false, description, required: false, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "none", ...more };
}

const TYPE_PRIMARY = [
  attr("type", "string", 'A label for the value: the portal reads "work".', { canonicalValues: ["work", "home", "other"] }),
  attr("primary", "boolean", "The preferred value; the portal takes the primary one, else the work one, else the first."),
];

const SCHEMAS = [
  {
    id: USER_SCHEMA,
    name: "User",
    description: "A person in the portal's directory. The portal stores the attributes below; others are accepted and ignored.",
    attributes: [
      attr("userName", "string", "The identifier the identity provider knows the person by (e.g. the UPN), stored as sent; matched case-insensitively.", { required: true, uniqueness: "server" }),
      attr("name", "complex", "The person's name, stored in parts.", {
        subAttributes: [attr("formatted", "string", "The full name as displayed."), attr("familyName", "string", "Family name."), attr("givenName", "string", "Given name.")],
      }),
      attr("displayName", "string", "The name shown in the portal."),
      attr("title", "string", "Job title; enrollment rules can match it."),
      attr("active", "boolean", 'false (or DELETE) makes the person a leaver: their access is revoked. Entra ID\'s "True"/"False" strings are accepted.'),
      attr("emails", "complex", "Email addresses; the work (or primary) one is where the portal writes to the person.", {
        multiValued: true,
        subAttributes: [attr("value", "string", "The address, stored as sent."), ...TYPE_PRIMARY],
      }),
      attr("addresses", "complex", "Postal addresses; the work locality is the person's location.", {
        multiValued: true,
        subAttributes: [attr("locality", "string", "City or office, the person's location; enrollment rules can match it."), ...TYPE_PRIMARY],
      }),
    ],
  },
  {
    id: ENTERPRISE_SCHEMA,
    name: "EnterpriseUser",
    description: "Enterprise User (RFC 7643 §4.3): department, employee number and manager.",
    attributes: [
      attr("employeeNumber", "string", "The HR system's number for the person; unique in the portal.", { uniqueness: "server" }),
      attr("department", "string", "Department; enrollment rules can match it."),
      attr("manager", "complex", "The person's manager, who approves their requests.", {
        subAttributes: [
          attr("value", "string", "The manager's id on this endpoint (or their externalId or email)."),
          attr("$ref", "reference", "The manager's URI.", { referenceTypes: ["User"] }),
          attr("displayName", "string", "The manager's name.", { mutability: "readOnly" }),
        ],
      }),
    ],
  },
  {
    id: PORTAL_SCHEMA,
    name: "AccessPortalLifecycle",
    description: "The portal's own extension: location and lifecycle state, for HR feeds that send them.",
    attributes: [
      attr("location", "string", "The person's location (the same value as the work address's locality)."),
      attr("lifecycleState", "string", "active; leave (kept, access kept); terminated (a leaver).", { canonicalValues: ["active", "leave", "terminated"] }),
    ],
  },
  {
    id: GROUP_SCHEMA,
    name: "Group",
    description: "A team pushed by the identity provider. Kept apart from the groups the portal's admins manage; a name clash with one is refused.",
    attributes: [
      attr("displayName", "string", "The group's name, unique in the portal (case-insensitively).", { required: true, uniqueness: "server" }),
      attr("members", "complex", "The people in the group.", {
        multiValued: true,
        subAttributes: [
          attr("value", "string", "A user's id on this endpoint.", { mutability: "immutable" }),
          attr("$ref", "reference", "The user's URI.", { mutability: "immutable", referenceTypes: ["User"] }),
          attr("display", "string", "The user's name.", { mutability: "readOnly" }),
          attr("type", "string", "Only User: groups do not nest.", { mutability: "immutable", canonicalValues: ["User"] }),
        ],
      }),
    ],
  },
];

const RESOURCE_TYPES = [
  {
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "People in the portal's directory: a create is a joiner, a change a mover, active=false or DELETE a leaver.",
    schema: USER_SCHEMA,
    schemaExtensions: [
      { schema: ENTERPRISE_SCHEMA, required: false },
      { schema: PORTAL_SCHEMA, required: false },
    ],
  },
  { id: "Group", name: "Group", endpoint: "/Groups", description: "Teams pushed by the identity provider.", schema: GROUP_SCHEMA, schemaExtensions: [] },
];

function schemaResource(ctx: ScimContext, s: (typeof SCHEMAS)[number]) {
  return { schemas: [SCHEMA_SCHEMA], ...s, meta: { resourceType: "Schema", location: `${scimBase(ctx)}/Schemas/${s.id}` } };
}
function resourceTypeResource(ctx: ScimContext, t: (typeof RESOURCE_TYPES)[number]) {
  return { schemas: [RESOURCE_TYPE_SCHEMA], ...t, meta: { resourceType: "ResourceType", location: `${scimBase(ctx)}/ResourceTypes/${t.id}` } };
}

const list = (resources: unknown[]) => ({ schemas: [LIST_SCHEMA], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources });

/** RFC 7644 §4: a filter on a discovery endpoint SHOULD be refused with 403, so no client assumes it matched. */
function refuseFilter(request: ScimRequest) {
  if (request.query.has("filter")) throw new ScimError(403, "Discovery endpoints do not take a filter (RFC 7644 §4): ask for the whole list or one item by id.");
}

/** A schema's URN from the path: its colons may arrive percent-encoded (%3A). */
function decodedId(request: ScimRequest): string {
  try {
    return decodeURIComponent(itemId(request));
  } catch {
    return itemId(request);
  }
}

/** GET /Schemas */
export function listSchemas(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    refuseFilter(request);
    return ok(list(SCHEMAS.map((s) => schemaResource(ctx, s))));
  });
}

/** GET /Schemas/{urn} */
export function getSchema(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = decodedId(request);
    const found = SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (!found) throw new ScimError(404, `No schema "${id}" on this endpoint. It has: ${SCHEMAS.map((s) => s.id).join(", ")}.`);
    return ok(schemaResource(ctx, found));
  });
}

/** GET /ResourceTypes */
export function listResourceTypes(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    refuseFilter(request);
    return ok(list(RESOURCE_TYPES.map((t) => resourceTypeResource(ctx, t))));
  });
}

/** GET /ResourceTypes/{id} */
export function getResourceType(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = itemId(request);
    const found = RESOURCE_TYPES.find((t) => t.id.toLowerCase() === id.toLowerCase());
    if (!found) throw new ScimError(404, `No resource type "${id}" on this endpoint. It has: User, Group.`);
    return ok(resourceTypeResource(ctx, found));
  });
}

/** GET /ServiceProviderConfig (RFC 7643 §5): only what is true of this endpoint. */
export function serviceProviderConfig(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    refuseFilter(request);
    return ok({
      schemas: [CONFIG_SCHEMA],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_RESULTS },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: "oauthbearertoken",
          name: "Bearer token",
          description: "The portal's SCIM_INBOUND_TOKEN, sent as Authorization: Bearer <token>.",
          specUri: "https://www.rfc-editor.org/rfc/rfc6750",
          primary: true,
        },
      ],
      meta: { resourceType: "ServiceProviderConfig", location: `${scimBase(ctx)}/ServiceProviderConfig` },
    });
  });
}

/** The endpoints there are, for errors that name them. */
const ENDPOINTS = "/Users, /Groups, /Schemas, /ResourceTypes and /ServiceProviderConfig";

/** Any path under /api/scim/v2 that is not an endpoint: a SCIM 404 (501 for the optional /Bulk and /Me), after authentication. */
export function unknownPath(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const path = request.params.path ?? [];
    const shown = `/${path.join("/")}`;
    const head = (path[0] ?? "").toLowerCase();
    // RFC 7644 §3.11 (/Me) and §3.7 (/Bulk, advertised as unsupported in ServiceProviderConfig).
    if (head === "me") throw new ScimError(501, "/Me is not supported: the portal's SCIM clients are identity providers, not people. Use /Users/{id}.");
    if (head === "bulk") throw new ScimError(501, "Bulk operations are not supported (ServiceProviderConfig says bulk.supported=false): send one request per change.");
    throw new ScimError(404, `There is no SCIM endpoint at ${shown}. This portal serves ${ENDPOINTS}.`);
  });
}

/** A method the endpoint does not take: a SCIM 405 with Allow (RFC 9110 §15.5.6), after authentication. */
export function methodNotAllowed(request: ScimRequest, ctx: ScimContext, allowed: string[]): Promise<ScimResponse> {
  return guarded(request, ctx, async () =>
    scimError(new ScimError(405, `${request.method} is not allowed on ${request.path}; it takes ${allowed.join(", ")}.`), { allow: allowed.join(", ") }),
  );
}
