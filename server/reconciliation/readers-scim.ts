import "server-only";
import { ConnectorError } from "@/server/connectors/errors";
import {
  flattenUser,
  GROUP_LIST_ATTRIBUTES,
  groupMembers,
  listPage,
  primaryEmail,
  USER_LIST_ATTRIBUTES,
  type ScimConfig,
  type ScimListPage,
} from "@/server/connectors/scim";
import { withRetry, type RetryPolicy } from "./readers-retry";
import type { TargetAccount, TargetGroup, TargetMembership, TargetReader } from "./types";

// Reads a SCIM target: /Users and /Groups paged by startIndex/count (RFC 7644 §3.4.2.4), then each group's
// members. Only ids seen so far are kept in memory, to drop a resource that shifts into the next page while
// the target changes under us.

const PAGE_SIZE = 1000;
/** Memberships are handed on in batches of about this many, however small the groups. */
const MEMBERSHIP_BATCH = 5000;

export function scimReader(config: ScimConfig, policy: RetryPolicy): TargetReader {
  return {
    async *accounts() {
      for await (const page of pages(policy, (startIndex) => listPage(config, "/Users", USER_LIST_ATTRIBUTES, startIndex, PAGE_SIZE))) {
        yield page.map(toAccount);
      }
    },
    async *groups() {
      for await (const page of pages(policy, (startIndex) => listPage(config, "/Groups", GROUP_LIST_ATTRIBUTES, startIndex, PAGE_SIZE))) {
        yield page.map((group): TargetGroup => ({ id: group.id, name: typeof group.displayName === "string" ? group.displayName : group.id }));
      }
    },
    async *memberships(groups: TargetGroup[]) {
      // A group deleted since it was listed has no members left to compare.
      const read = (group: TargetGroup) => ahead(withRetry(policy, () => groupMembers(config, group.id)));
      let batch: TargetMembership[] = [];
      let next = groups[0] ? read(groups[0]) : null;
      for (let i = 0; next; i++) {
        const members = (await next) ?? [];
        next = groups[i + 1] ? read(groups[i + 1]!) : null;
        for (const memberId of new Set(members)) batch.push({ groupId: groups[i]!.id, memberId });
        if (batch.length >= MEMBERSHIP_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
}

/**
 * Every resource of a list, one page at a time, each page retried on its own. The next page is asked for
 * before this one is handed on, so the target prepares it while the caller stores this one.
 */
async function* pages(policy: RetryPolicy, fetchPage: (startIndex: number) => Promise<ScimListPage>): AsyncGenerator<ScimListPage["resources"]> {
  const seen = new Set<string>();
  const read = (startIndex: number) => ahead(withRetry(policy, () => fetchPage(startIndex)));
  let startIndex = 1;
  for (let next: Promise<ScimListPage> | null = read(startIndex); next; ) {
    const page: ScimListPage = await next;
    const fresh = page.resources.filter((resource) => !seen.has(resource.id));
    // A target that ignores startIndex answers the first page again and again: stop rather than loop.
    if (page.resources.length > 0 && fresh.length === 0 && startIndex > 1) {
      throw new ConnectorError({ message: `SCIM target repeated the resources of an earlier page at startIndex ${startIndex}: it does not page as RFC 7644 requires`, retryable: false });
    }
    for (const resource of fresh) seen.add(resource.id);
    // A server may send fewer than asked for (its own page size): the next page starts after what came.
    startIndex += page.resources.length;
    next = page.resources.length > 0 && startIndex <= page.totalResults ? read(startIndex) : null;
    if (fresh.length > 0) yield fresh;
  }
}

/** A read started ahead of need: if the caller stops before awaiting it, its failure is not an unhandled rejection. */
function ahead<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}

function toAccount(user: ScimListPage["resources"][number]): TargetAccount {
  const userName = typeof user.userName === "string" ? user.userName : user.id;
  const email = primaryEmail(user) ?? (userName.includes("@") ? userName : null);
  const meta = user.meta as { lastModified?: unknown } | undefined;
  return {
    id: user.id,
    name: userName,
    email,
    externalId: typeof user.externalId === "string" ? user.externalId : null,
    // Absent means active (RFC 7643 leaves it optional); some targets send the string "False".
    active: !(user.active === false || (typeof user.active === "string" && user.active.toLowerCase() === "false")),
    attributes: flattenUser(user),
    lastModified: typeof meta?.lastModified === "string" ? meta.lastModified : null,
  };
}
