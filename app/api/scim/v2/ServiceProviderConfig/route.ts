import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { serviceProviderConfig } from "@/server/lifecycle/scim-inbound";

export const dynamic = "force-dynamic";

export const GET = scimAnsweringOutages((request: Request) => serviceProviderConfig(request, scimContext(request)));
