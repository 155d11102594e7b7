import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { deleteUser, getUser, patchUser, replaceUser } from "@/server/lifecycle/scim-inbound";

// One SCIM user: GET, PUT (replace), PATCH (add/replace/remove, incl. active=false: a leaver) and
// DELETE (the person left: terminated, kept in the directory for the audit trail).

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: getUser, PUT: replaceUser, PATCH: patchUser, DELETE: deleteUser });
