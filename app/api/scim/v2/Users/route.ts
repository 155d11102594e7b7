import { capScimBody, refuseUnstorableBody, scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { createUser, listUsers } from "@/server/lifecycle/scim-inbound";

// SCIM 2.0 inbound (RFC 7644), as Okta and Entra ID push users: GET lists (filter=userName eq "…",
// startIndex/count), POST creates a person (a joiner). Bearer token: SCIM_INBOUND_TOKEN.

export const dynamic = "force-dynamic";

export const GET = scimAnsweringOutages((request: Request) => listUsers(request, scimContext(request)));

export const POST = scimAnsweringOutages(async (received: Request) => {
  const request = await capScimBody(received);
  if (request instanceof Response) return request;
  return (await refuseUnstorableBody(request)) ?? createUser(request, scimContext(request));
});

const others = notAllowed(["GET", "POST"]);
export { others as PUT, others as PATCH, others as DELETE };
