import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { notAllowed } from "@/app/api/scim/v2/scim-methods";
import { serviceProviderConfig } from "@/server/lifecycle/scim-discovery";

// RFC 7643 §5: what this endpoint supports (filter and PATCH; no bulk, sort or ETags).

export const dynamic = "force-dynamic";

export const GET = scimAnsweringOutages((request: Request) => serviceProviderConfig(request, scimContext(request)));

const others = notAllowed(["GET"]);
export { others as POST, others as PUT, others as PATCH, others as DELETE };
