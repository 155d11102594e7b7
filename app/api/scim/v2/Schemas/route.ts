import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { listSchemas } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: the schemas this endpoint serves (User, EnterpriseUser, the portal's extension, Group).

export const dynamic = "force-dynamic";

export const GET = scimAnsweringOutages((request: Request) => listSchemas(request, scimContext(request)));

const others = notAllowed(["GET"]);
export { others as POST, others as PUT, others as PATCH, others as DELETE };
