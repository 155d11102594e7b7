import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { serviceProviderConfig } from "@/server/lifecycle/scim-discovery";

// RFC 7643 §5: what this endpoint supports (filter and PATCH; no bulk, sort or ETags).

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: serviceProviderConfig });
