import { db } from "@/server/db";
import { env } from "@/server/env";
import type { ScimContext } from "@/server/lifecycle/scim-inbound";

/** What the inbound SCIM routes run with: the database, the token (unset: disabled), the public base URL. */
export function scimContext(): ScimContext {
  const e = env();
  return { db: db(), token: e.SCIM_INBOUND_TOKEN, baseUrl: `${e.APP_URL.replace(/\/+$/, "")}/api/scim/v2` };
}
