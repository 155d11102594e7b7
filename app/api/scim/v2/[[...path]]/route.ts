import { scimCatchAll } from "@/app/api/scim/v2/scim-route";
import { unknownPath } from "@/server/lifecycle/scim-discovery";

// Every other path under /api/scim/v2, and the base URL itself (e.g. /Bulk, /Me, a typo): a SCIM error in JSON after the same
// authentication as the endpoints, instead of Next's HTML 404. Next matches the named folders first.

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimCatchAll(unknownPath);
