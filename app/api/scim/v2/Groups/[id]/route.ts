import { scimRoute } from "@/app/api/scim/v2/scim-route";
import { deleteGroup, getGroup, patchGroup, replaceGroup } from "@/server/lifecycle/scim-groups";

// One pushed group: GET, PUT (replace), PATCH (rename, add/remove/replace members) and DELETE.

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = scimRoute({ GET: getGroup, PUT: replaceGroup, PATCH: patchGroup, DELETE: deleteGroup });
