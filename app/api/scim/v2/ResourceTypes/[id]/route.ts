import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { getResourceType } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: one resource type by id (User, Group).

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = scimAnsweringOutages(async (request: Request, { params }: Params) => getResourceType(request, scimContext(request), (await params).id));

const others = notAllowed(["GET"]);
export { others as POST, others as PUT, others as PATCH, others as DELETE };
