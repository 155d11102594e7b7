import "server-only";
import type { Db } from "@/server/db";

// Names and pages for the objects audit rows are about, looked up in one batch per object type (never
// per row). An object since deleted has no name: the row shows its type and id instead.

/** An object as a reader sees it: what it is called and the page that shows it (if any). */
export type Named = { type: string; label: string; href: string | null };
type Ref = { objectType: string; objectId: string };

type Person = { name: string | null; email: string };
type EntitlementName = { name: string; app: { name: string; slug?: string } };
const who = (p: Person) => p.name ?? p.email;
const what = (e: EntitlementName) => `${e.app.name} / ${e.name}`;

const person = { select: { name: true, email: true } } as const;
const entitlement = { select: { name: true, app: { select: { name: true, slug: true } } } } as const;
const grantParts = { user: person, entitlement } as const;

/** Per object type: fetch these ids, and name each. */
const lookups: Record<string, (db: Db, ids: string[]) => Promise<Array<[string, Omit<Named, "type">]>>> = {
  request: async (db, ids) =>
    (await db.accessRequest.findMany({ where: { id: { in: ids } }, select: { id: true, requester: person, entitlement } })).map((r) => [
      r.id,
      { label: `request for ${what(r.entitlement)} by ${who(r.requester)}`, href: `/requests/${r.id}` },
    ]),
  grant: async (db, ids) =>
    (await db.grant.findMany({ where: { id: { in: ids } }, select: { id: true, ...grantParts } })).map((g) => [
      g.id,
      { label: `${what(g.entitlement)} for ${who(g.user)}`, href: `/admin/provisioning/${g.id}` },
    ]),
  task: async (db, ids) =>
    (await db.provisioningTask.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true, grant: { select: grantParts } } })).map((t) => [
      t.id,
      { label: `task to ${t.kind === "PROVISION" ? "grant" : "remove"} ${what(t.grant.entitlement)} for ${who(t.grant.user)}`, href: `/tasks/${t.id}` },
    ]),
  app: async (db, ids) => (await db.app.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, slug: true } })).map((a) => [a.id, { label: a.name, href: `/admin/apps/${a.slug}` }]),
  entitlement: async (db, ids) =>
    (await db.entitlement.findMany({ where: { id: { in: ids } }, select: { id: true, ...entitlement.select } })).map((e) => [e.id, { label: what(e), href: `/admin/apps/${e.app.slug}` }]),
  connector: async (db, ids) =>
    (await db.connector.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, app: { select: { name: true } } } })).map((c) => [c.id, { label: `${c.app.name} connector ${c.name}`, href: "/admin/connectors" }]),
  account: async (db, ids) =>
    (await db.appAccount.findMany({ where: { id: { in: ids } }, select: { id: true, userName: true, user: person, app: { select: { name: true, slug: true } } } })).map((a) => [
      a.id,
      { label: `${a.app.name} account ${a.userName} of ${who(a.user)}`, href: `/admin/apps/${a.app.slug}` },
    ]),
  user: async (db, ids) => (await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, ...person.select } })).map((u) => [u.id, { label: who(u), href: null }]),
  profile: async (db, ids) => (await db.accessProfile.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [p.id, { label: `profile ${p.name}`, href: `/admin/profiles/${p.id}` }]),
  enrollment: async (db, ids) =>
    (await db.profileEnrollment.findMany({ where: { id: { in: ids } }, select: { id: true, user: person, profile: { select: { id: true, name: true } } } })).map((e) => [
      e.id,
      { label: `${who(e.user)} in profile ${e.profile.name}`, href: `/admin/profiles/${e.profile.id}` },
    ]),
  enrollment_rule: async (db, ids) =>
    (await db.enrollmentRule.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, profile: { select: { id: true, name: true } } } })).map((r) => [
      r.id,
      { label: `enrollment rule ${r.name} of ${r.profile.name}`, href: `/admin/profiles/${r.profile.id}` },
    ]),
  approval_step: async (db, ids) =>
    (await db.approvalStep.findMany({ where: { id: { in: ids } }, select: { id: true, label: true, requestId: true, approver: person } })).map((s) => [
      s.id,
      { label: `the ${s.label} step (${who(s.approver)})`, href: `/requests/${s.requestId}` },
    ]),
  policy: async (db, ids) => (await db.requestPolicy.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [p.id, { label: `policy ${p.name}`, href: "/admin/policies" }]),
  policy_change: async (db, ids) =>
    (await db.policyChange.findMany({ where: { id: { in: ids } }, select: { id: true, summary: true } })).map((c) => [c.id, { label: `policy change “${c.summary}”`, href: "/admin/policies#changes" }]),
  revocation_hold: async (db, ids) =>
    (await db.revocationHold.findMany({ where: { id: { in: ids } }, select: { id: true, title: true } })).map((h) => [h.id, { label: `held revocation “${h.title}”`, href: `/admin/revocations?hold=${h.id}` }]),
  group: async (db, ids) => (await db.userGroup.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((g) => [g.id, { label: `group ${g.name}`, href: null }]),
  review_campaign: async (db, ids) =>
    (await db.reviewCampaign.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((c) => [c.id, { label: `access review ${c.name}`, href: `/admin/reviews/${c.id}` }]),
  review_item: async (db, ids) =>
    (await db.reviewItem.findMany({ where: { id: { in: ids } }, select: { id: true, campaignId: true, grant: { select: grantParts } } })).map((i) => [
      i.id,
      { label: `review of ${what(i.grant.entitlement)} for ${who(i.grant.user)}`, href: `/admin/reviews/${i.campaignId}` },
    ]),
  sod_rule: async (db, ids) => (await db.sodRule.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((r) => [r.id, { label: `SoD rule ${r.name}`, href: "/admin/sod" }]),
  delegation: async (db, ids) =>
    (await db.delegation.findMany({ where: { id: { in: ids } }, select: { id: true, delegator: person, delegate: person } })).map((d) => [
      d.id,
      { label: `delegation from ${who(d.delegator)} to ${who(d.delegate)}`, href: null },
    ]),
};

const key = (type: string, id: string) => `${type}:${id}`;

/** Names every (type, id) in `refs`: one query per type present. Unknown types and deleted objects are left out. */
export async function nameObjects(db: Db, refs: Ref[]): Promise<Map<string, Named>> {
  const byType = new Map<string, Set<string>>();
  for (const r of refs) if (lookups[r.objectType]) byType.set(r.objectType, (byType.get(r.objectType) ?? new Set()).add(r.objectId));
  const found = await Promise.all([...byType].map(async ([type, ids]) => (await lookups[type]!(db, [...ids])).map(([id, n]) => [key(type, id), { type, ...n }] as const)));
  return new Map(found.flat());
}

/** The name for an object, or its type and id when it is gone or of a kind without names. */
export function nameOf(names: Map<string, Named>, objectType: string, objectId: string): Named {
  return names.get(key(objectType, objectId)) ?? { type: objectType, label: `${objectType.replace(/_/g, " ")} ${objectId}`, href: null };
}
