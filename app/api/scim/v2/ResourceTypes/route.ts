import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { listResourceTypes } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: the resource types this endpoint serves (User with its extensions, Group).

export const dynamic = "force-dynamic";

export const GET = scimAnsweringOutages((request: Request) => listResourceTypes(request, scimContext(request)));

const others = notAllowed(["GET"]);
export { others as POST, others as PUT, others as PATCH, others as DELETE };
