import Link from "next/link";

export type QueueTab = "provision" | "deprovision" | "completed";

// Short names on a phone, so the three tabs fit on one line at 390 px.
const tabLabels: Record<QueueTab, { long: string; short: string }> = {
  provision: { long: "Awaiting provisioning", short: "To give" },
  deprovision: { long: "Awaiting deprovisioning", short: "To remove" },
  completed: { long: "Completed", short: "Done" },
};

/** The queue's tabs: links, so each tab has its own address. */
export function TaskTabs({ tab, counts }: { tab: QueueTab; counts: Record<QueueTab, number> | undefined }) {
  return (
    <nav className="mt-6 flex gap-x-1 overflow-x-auto border-b border-slate-200" aria-label="Task tabs">
      {(Object.keys(tabLabels) as QueueTab[]).map((t) => (
        <Link
          key={t}
          href={t === "provision" ? "/tasks" : `/tasks?tab=${t}`}
          aria-current={t === tab ? "page" : undefined}
          data-testid={`tab-${t}`}
          className={`-mb-px flex shrink-0 items-center gap-1.5 whitespace-nowrap border-b-2 px-2 py-2 text-sm font-medium sm:gap-2 sm:px-3 ${
            t === tab ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"
          }`}
        >
          <span className="sm:hidden" aria-hidden>{tabLabels[t].short}</span>
          <span className="max-sm:sr-only">{tabLabels[t].long}</span>
          <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="tab-count">
            {counts?.[t] ?? "–"}
          </span>
        </Link>
      ))}
    </nav>
  );
}
