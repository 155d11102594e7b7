import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { getResourceType } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: one resource type by id (User, Group).

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: getResourceType });
