import { describe, expect, it } from "vitest";
import { applyFilter, filterParams, readFilter, type InboxFilter } from "@/app/approvals/inbox-filter";
import type { InboxItem } from "@/app/approvals/inbox-types";

// Only the fields the filter reads; the rest of an inbox item does not matter here.
function item(id: string, o: { who: string; app: string; minutesAgo: number; risk?: "LOW" | "MEDIUM" | "HIGH"; admin?: boolean; rule?: boolean }): InboxItem {
  return {
    id,
    createdAt: new Date(Date.now() - o.minutesAgo * 60_000),
    context: o.risk ? { risk: { level: o.risk, adminAccess: o.admin ?? false, label: "" } } : null,
    request: { requester: { name: o.who, email: `${o.who.split(" ")[0]!.toLowerCase()}@example.com` }, entitlement: { name: "X", app: { name: o.app } }, profileEnrollmentId: o.rule ? "enr" : null },
  } as unknown as InboxItem;
}

const items = [
  item("hugo", { who: "Hugo Laurent", app: "AWS", minutesAgo: 30, risk: "LOW" }),
  item("ines", { who: "Ines Duarte", app: "Figma", minutesAgo: 90, risk: "MEDIUM" }),
  item("mia", { who: "Mia Schultz", app: "AWS", minutesAgo: 10, risk: "HIGH", admin: true }),
  item("kofi", { who: "Kofi Mensah", app: "AWS", minutesAgo: 60, risk: "HIGH", rule: true }),
];
const none: InboxFilter = { app: "", kind: "", risk: "", q: "", sort: "oldest" };
const ids = (f: Partial<InboxFilter>) => applyFilter(items, { ...none, ...f }).map((i) => i.id);

describe("the approvals inbox filter", () => {
  it("shows the approval waiting longest first, unless asked otherwise", () => {
    expect(ids({})).toEqual(["ines", "kofi", "hugo", "mia"]);
    expect(ids({ sort: "newest" })).toEqual(["mia", "hugo", "kofi", "ines"]);
    // Admin access first, then high risk, oldest first among equals.
    expect(ids({ sort: "risk" })).toEqual(["mia", "kofi", "ines", "hugo"]);
  });

  it("keeps only what matches the app, who asked, the risk and the requester's name", () => {
    expect(ids({ app: "AWS" })).toEqual(["kofi", "hugo", "mia"]);
    expect(ids({ kind: "rule" })).toEqual(["kofi"]);
    expect(ids({ kind: "person", app: "AWS" })).toEqual(["hugo", "mia"]);
    expect(ids({ risk: "HIGH" })).toEqual(["kofi", "mia"]);
    expect(ids({ q: " schultz " })).toEqual(["mia"]);
    expect(ids({ q: "ines@" })).toEqual(["ines"]);
  });

  it("round-trips through the address, leaving the defaults out", () => {
    expect(filterParams(none)).toBe("");
    const chosen: InboxFilter = { app: "AWS", kind: "person", risk: "HIGH", q: "mia", sort: "risk" };
    expect(readFilter(new URLSearchParams(filterParams(chosen)))).toEqual(chosen);
    expect(readFilter(new URLSearchParams("kind=robot&sort=sideways"))).toEqual(none);
  });
});
