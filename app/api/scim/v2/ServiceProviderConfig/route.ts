import { scimContext } from "@/app/api/scim/v2/scim-context";
import { serviceProviderConfig } from "@/server/lifecycle/scim-inbound";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return serviceProviderConfig(request, scimContext(request));
}
