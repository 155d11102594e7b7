import { capScimBody, refuseUnstorableBody, scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { createGroup, listGroups } from "@/server/lifecycle/scim-groups";

// SCIM Groups (RFC 7644) as Okta (Push Groups) and Entra ID push them: GET lists (filter=displayName
// eq "…", startIndex/count, excludedAttributes=members), POST creates a pushed group.

export const dynamic = "force-dynamic";

export const GET = scimAnsweringOutages((request: Request) => listGroups(request, scimContext(request)));

export const POST = scimAnsweringOutages(async (received: Request) => {
  const request = await capScimBody(received);
  if (request instanceof Response) return request;
  return (await refuseUnstorableBody(request)) ?? createGroup(request, scimContext(request));
});

const others = notAllowed(["GET", "POST"]);
export { others as PUT, others as PATCH, others as DELETE };
