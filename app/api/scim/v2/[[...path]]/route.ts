import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { unknownPath } from "@/server/lifecycle/scim-discovery";

// Every other path under /api/scim/v2, and the base URL itself (e.g. /Bulk, /Me, a typo): a SCIM error in JSON after the same
// authentication as the endpoints, instead of Next's HTML 404. Next matches the named folders first.

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ path?: string[] }> };

const handler = scimAnsweringOutages(async (request: Request, { params }: Params) => unknownPath(request, scimContext(request), (await params).path ?? []));
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
