import { capScimBody, refuseUnstorableBody, scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { deleteGroup, getGroup, patchGroup, replaceGroup } from "@/server/lifecycle/scim-groups";

// One pushed group: GET, PUT (replace), PATCH (rename, add/remove/replace members) and DELETE.

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Reads the capped body and refuses text the database cannot store before the handler runs. */
function withBody(handle: (request: Request, id: string) => Promise<Response>) {
  return scimAnsweringOutages(async (received: Request, { params }: Params) => {
    const request = await capScimBody(received);
    if (request instanceof Response) return request;
    return (await refuseUnstorableBody(request)) ?? handle(request, (await params).id);
  });
}

export const GET = scimAnsweringOutages(async (request: Request, { params }: Params) => getGroup(request, scimContext(request), (await params).id));
export const PUT = withBody((request, id) => replaceGroup(request, scimContext(request), id));
export const PATCH = withBody((request, id) => patchGroup(request, scimContext(request), id));
export const DELETE = scimAnsweringOutages(async (request: Request, { params }: Params) => deleteGroup(request, scimContext(request), (await params).id));
export const POST = notAllowed(["GET", "PUT", "PATCH", "DELETE"]);
