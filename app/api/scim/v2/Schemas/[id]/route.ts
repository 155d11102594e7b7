import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { getSchema } from "@/server/lifecycle/scim-discovery";

// RFC 7644 §4: one schema by its URN, e.g. /Schemas/urn:ietf:params:scim:schemas:core:2.0:User.

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = scimAnsweringOutages(async (request: Request, { params }: Params) => getSchema(request, scimContext(request), decodeURIComponent((await params).id)));

const others = notAllowed(["GET"]);
export { others as POST, others as PUT, others as PATCH, others as DELETE };
