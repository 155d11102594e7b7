import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { getSchema } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: one schema by its URN, e.g. /Schemas/urn:ietf:params:scim:schemas:core:2.0:User.

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: getSchema });
