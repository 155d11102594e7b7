import { requesterName, type InboxItem } from "@/app/approvals/inbox-types";

// The inbox's filters and order, kept in the page's search params so a filtered inbox can be
// bookmarked and survives a reload. Applied in the browser: the inbox loads every pending approval.

export type InboxSort = "oldest" | "newest" | "risk";
export type InboxKind = "" | "person" | "rule";
export type InboxRisk = "" | "LOW" | "MEDIUM" | "HIGH";
export type InboxFilter = { app: string; kind: InboxKind; risk: InboxRisk; q: string; sort: InboxSort };

const sorts: InboxSort[] = ["oldest", "newest", "risk"];
const kinds: InboxKind[] = ["person", "rule"];
const risks: InboxRisk[] = ["LOW", "MEDIUM", "HIGH"];
const pick = <T extends string>(allowed: T[], value: string | null, fallback: T): T => allowed.find((a) => a === value) ?? fallback;

export function readFilter(params: { get: (key: string) => string | null }): InboxFilter {
  return {
    app: params.get("app") ?? "",
    kind: pick(kinds, params.get("kind"), ""),
    risk: pick(risks, params.get("risk"), ""),
    q: params.get("q") ?? "",
    sort: pick(sorts, params.get("sort"), "oldest"),
  };
}

/** The search params for a filter; the defaults are left out, so the plain inbox stays "/approvals". */
export function filterParams(filter: InboxFilter): string {
  const params = new URLSearchParams();
  if (filter.app) params.set("app", filter.app);
  if (filter.kind) params.set("kind", filter.kind);
  if (filter.risk) params.set("risk", filter.risk);
  if (filter.q.trim()) params.set("q", filter.q);
  if (filter.sort !== "oldest") params.set("sort", filter.sort);
  return params.toString();
}

export const isFiltered = (f: InboxFilter) => Boolean(f.app || f.kind || f.risk || f.q.trim());

/** Whether an access profile's rule asked for it ("rule"), or a person ("person"). */
export const kindOf = (item: InboxItem): Exclude<InboxKind, ""> => (item.request.profileEnrollmentId ? "rule" : "person");

const riskRank = (item: InboxItem) => {
  const risk = item.context?.risk;
  if (!risk) return 0;
  return (risk.adminAccess ? 10 : 0) + { LOW: 1, MEDIUM: 2, HIGH: 3 }[risk.level];
};

/** The items the filter keeps, in its order. Waiting time is since the step reached the approver. */
export function applyFilter(items: InboxItem[], filter: InboxFilter): InboxItem[] {
  const q = filter.q.trim().toLocaleLowerCase();
  const kept = items.filter(
    (item) =>
      (!filter.app || item.request.entitlement.app.name === filter.app) &&
      (!filter.kind || kindOf(item) === filter.kind) &&
      (!filter.risk || item.context?.risk.level === filter.risk) &&
      (!q || requesterName(item).toLocaleLowerCase().includes(q) || item.request.requester.email.toLocaleLowerCase().includes(q)),
  );
  const waited = (item: InboxItem) => item.createdAt.getTime();
  const order: Record<InboxSort, (a: InboxItem, b: InboxItem) => number> = {
    oldest: (a, b) => waited(a) - waited(b),
    newest: (a, b) => waited(b) - waited(a),
    risk: (a, b) => riskRank(b) - riskRank(a) || waited(a) - waited(b),
  };
  return [...kept].sort(order[filter.sort]);
}

/** The apps the pending items are for, by name, to choose from. */
export const appsOf = (items: InboxItem[]) => [...new Set(items.map((i) => i.request.entitlement.app.name))].sort((a, b) => a.localeCompare(b));
