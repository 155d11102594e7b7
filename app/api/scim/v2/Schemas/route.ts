import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { listSchemas } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: the schemas this endpoint serves (User, EnterpriseUser, the portal's extension, Group).

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: listSchemas });
