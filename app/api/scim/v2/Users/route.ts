import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { createUser, listUsers } from "@/server/lifecycle/scim-inbound";

// SCIM 2.0 inbound (RFC 7644), as Okta and Entra ID push users: GET lists (filter=userName eq "…",
// startIndex/count), POST creates a person (a joiner). Bearer token: SCIM_INBOUND_TOKEN.

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: listUsers, POST: createUser });
