import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { createGroup, listGroups } from "@/server/lifecycle/scim-groups";

// SCIM Groups (RFC 7644) as Okta (Push Groups) and Entra ID push them: GET lists (filter=displayName
// eq "…", startIndex/count, excludedAttributes=members), POST creates a pushed group.

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: listGroups, POST: createGroup });
