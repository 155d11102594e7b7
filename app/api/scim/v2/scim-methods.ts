import { scimAnsweringOutages, scimContext } from "@/app/api/scim/v2/scim-context";
import { methodNotAllowed } from "@/server/lifecycle/scim-discovery";

/**
 * A handler for the methods an endpoint does not take: a SCIM 405 naming the ones it does, instead
 * of Next's bodiless 405. Export it under each method name the route leaves out.
 */
export function notAllowed(allowed: string[]) {
  return scimAnsweringOutages((request: Request) => methodNotAllowed(request, scimContext(request), allowed));
}
