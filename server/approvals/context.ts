import "server-only";
import type { RiskLevel } from "@/generated/prisma/enums";
import type { Tx } from "@/server/db";

// What an approver needs to decide a request, said the same way in the inbox, on the email link's page
// and in the approval email: how long, what the access is, how risky, whether the requester's peers hold
// it, what the requester already has in that app, and who asked (the person, or an access profile's rule).
// Only for requests the viewer was asked to decide; peers are a count, never names.

export type ApproverContext = {
  /** The access profile (and its rule) that asked, when the portal asked for the person; null: a person asked. */
  asker: string | null;
  /** "Erin Walsh wants" or "The rule “Sales” of the access profile “Sales kit” asks for Erin Walsh to get": the access follows. */
  lead: string;
  /** "for 7 days", "until 19 Dec 2026, 23:59 UTC" (an end date the requester chose) or "until no longer needed". */
  duration: string;
  /** The end date the requester chose, for pages to show in the reader's language and zone; null for a number of days or no end. */
  endsAt: Date | null;
  description: string | null;
  risk: { level: RiskLevel; adminAccess: boolean; label: string };
  /** Null when the requester has no department on record. */
  peers: { department: string; holders: number; people: number; text: string } | null;
  /** The requester's provisioned entitlements in the app, this one included if they hold it (an extension). */
  holds: { app: string; entitlements: string[]; text: string };
};

// Emails have no reader's zone, so an end date is said in UTC, with its time: the end of a day picked
// west of Greenwich falls on the next day in UTC.
const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function durationText(r: { durationDays: number | null; endsAt: Date | null }): string {
  if (r.endsAt) return `until ${utc.format(r.endsAt)} UTC`;
  return r.durationDays ? `for ${r.durationDays} day${r.durationDays === 1 ? "" : "s"}` : "until no longer needed";
}

const riskWord: Record<RiskLevel, string> = { LOW: "Low risk", MEDIUM: "Medium risk", HIGH: "High risk" };

/** The approver's context of each request, by request id: a fixed handful of queries, however many requests. */
export async function approverContexts(db: Tx, requestIds: string[]): Promise<Map<string, ApproverContext>> {
  const ids = [...new Set(requestIds)];
  if (ids.length === 0) return new Map();
  const [requests, peerRows, enrollmentsAsked, portalAsked] = await Promise.all([
    db.accessRequest.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        requesterId: true,
        durationDays: true,
        endsAt: true,
        requester: { select: { name: true, email: true, department: { select: { name: true } } } },
        entitlement: { select: { id: true, name: true, description: true, riskLevel: true, adminAccess: true, appId: true, app: { select: { name: true } } } },
        profileEnrollment: { select: { profile: { select: { name: true } }, rule: { select: { name: true } } } },
      },
    }),
    // Everyone else active in the requester's department, and how many of them hold the entitlement.
    db.$queryRaw<{ requestId: string; people: number; holders: number }[]>`
      SELECT r.id AS "requestId", COUNT(u.id)::int AS people,
        COUNT(u.id) FILTER (WHERE EXISTS (
          SELECT 1 FROM "Grant" g WHERE g."userId" = u.id AND g."entitlementId" = r."entitlementId" AND g.status::text = 'PROVISIONED'))::int AS holders
      FROM "AccessRequest" r
      JOIN "User" q ON q.id = r."requesterId"
      JOIN "User" u ON u."departmentId" = q."departmentId" AND u.id <> q.id AND u."lifecycleState"::text = 'ACTIVE'
      WHERE r.id = ANY(${ids}::text[])
      GROUP BY r.id`,
    // A request for a profile's enrollment entitlement, made by the sync for an enrollment row.
    db.profileEnrollment.findMany({ where: { requestId: { in: ids } }, select: { requestId: true, profile: { select: { name: true } }, rule: { select: { name: true } } } }),
    // Submitted with no acting person: the portal asked, for an access profile.
    db.auditEvent.findMany({ where: { requestId: { in: ids }, action: "request.submitted", actorId: null }, select: { requestId: true } }),
  ]);
  const held = await db.grant.findMany({
    where: { userId: { in: requests.map((r) => r.requesterId) }, status: "PROVISIONED", entitlement: { appId: { in: requests.map((r) => r.entitlement.appId) } } },
    select: { userId: true, entitlement: { select: { name: true, appId: true } } },
    orderBy: { entitlement: { name: "asc" } },
  });

  const peers = new Map(peerRows.map(({ requestId, people, holders }) => [requestId, { people, holders }]));
  const enrollmentOf = new Map(enrollmentsAsked.map((e) => [e.requestId, e]));
  const byPortal = new Set(portalAsked.map((a) => a.requestId));
  const result = new Map<string, ApproverContext>();
  for (const r of requests) {
    const who = r.requester.name ?? r.requester.email;
    const enrollment = byPortal.has(r.id) ? (r.profileEnrollment ?? enrollmentOf.get(r.id) ?? null) : null;
    const asker = enrollment ? `${enrollment.rule ? `The rule “${enrollment.rule.name}” of the` : "The"} access profile “${enrollment.profile.name}”` : null;
    const { entitlement: e } = r;
    const names = [...new Set(held.filter((g) => g.userId === r.requesterId && g.entitlement.appId === e.appId).map((g) => g.entitlement.name))];
    const department = r.requester.department?.name;
    const peer = peers.get(r.id) ?? { people: 0, holders: 0 };
    result.set(r.id, {
      asker,
      lead: asker ? `${asker} asks for ${who} to get` : `${who} wants`,
      duration: durationText(r),
      endsAt: r.endsAt,
      description: e.description.trim() || null,
      risk: { level: e.riskLevel, adminAccess: e.adminAccess, label: `${riskWord[e.riskLevel]}${e.adminAccess ? " · admin access" : ""}` },
      peers: department
        ? { department, ...peer, text: peer.people === 0 ? `Nobody else in ${department}` : `${peer.holders} of ${peer.people} other ${peer.people === 1 ? "person" : "people"} in ${department} ${peer.holders === 1 ? "has" : "have"} it` }
        : null,
      holds: { app: e.app.name, entitlements: names, text: names.length ? `In ${e.app.name} already: ${names.join(", ")}` : `Nothing yet in ${e.app.name}` },
    });
  }
  return result;
}

/** One request's context; null when there is no such request. */
export async function approverContext(db: Tx, requestId: string): Promise<ApproverContext | null> {
  return (await approverContexts(db, [requestId])).get(requestId) ?? null;
}

/** The context as lines of text, for the approval email. */
export function contextLines(c: ApproverContext): string[] {
  return [
    `Duration: ${c.duration}`,
    ...(c.description ? [`What it gives: ${c.description}`] : []),
    `Risk: ${c.risk.label}`,
    ...(c.peers ? [`Peers: ${c.peers.text}`] : []),
    c.holds.text,
  ];
}
