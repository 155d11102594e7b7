import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { listResourceTypes } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: the resource types this endpoint serves (User with its extensions, Group).

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: listResourceTypes });
