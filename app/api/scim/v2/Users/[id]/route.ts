import { capScimBody, refuseUnstorableBody, scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { deleteUser, getUser, patchUser, replaceUser } from "@/server/lifecycle/scim-inbound";

// One SCIM user: GET, PUT (replace), PATCH (add/replace/remove, incl. active=false: a leaver) and
// DELETE (the person left: terminated, kept in the directory for the audit trail).

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = scimAnsweringOutages(async (request: Request, { params }: Params) => getUser(request, scimContext(request), (await params).id));

export const PUT = scimAnsweringOutages(async (received: Request, { params }: Params) => {
  const request = await capScimBody(received);
  if (request instanceof Response) return request;
  return (await refuseUnstorableBody(request)) ?? replaceUser(request, scimContext(request), (await params).id);
});

export const PATCH = scimAnsweringOutages(async (received: Request, { params }: Params) => {
  const request = await capScimBody(received);
  if (request instanceof Response) return request;
  return (await refuseUnstorableBody(request)) ?? patchUser(request, scimContext(request), (await params).id);
});

export const DELETE = scimAnsweringOutages(async (request: Request, { params }: Params) => deleteUser(request, scimContext(request), (await params).id));

export const POST = notAllowed(["GET", "PUT", "PATCH", "DELETE"]);
