"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { trpc } from "@/app/_trpc/client";

export type NavLink = { href: string; label: string; title?: string; count?: number };

/** What the navigation shows of a person's work (me.navigation): counts, and whether they approve or work tasks. */
export type NavCounts = { approvals: { pending: number; approves: boolean }; tasks: { open: number; works: boolean }; reviews: { pending: number; reviewer: boolean } };

/**
 * The main links for this person: Approvals only for those who approve, Tasks only for those who
 * work tasks, Reviews only for those with access reviews, each with how many wait; kept current
 * while the page is open.
 */
function useMainLinks(main: NavLink[], initial: NavCounts | null): NavLink[] {
  const counts = trpc.me.navigation.useQuery(undefined, { initialData: initial ?? undefined, enabled: initial !== null, refetchInterval: 30_000 }).data;
  if (!counts) return main;
  return main.flatMap((l) => {
    if (l.href === "/approvals") return counts.approvals.approves ? [{ ...l, count: counts.approvals.pending }] : [];
    if (l.href === "/tasks") return counts.tasks.works ? [{ ...l, count: counts.tasks.open }] : [];
    if (l.href === "/reviews") return counts.reviews.reviewer ? [{ ...l, count: counts.reviews.pending }] : [];
    return [l];
  });
}

/** Whether `href` is the page shown (or a page under it); the catalog only for "/" itself. */
const isCurrent = (path: string, href: string) => (href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`));
/** The link for the page shown: the most specific match, so "/admin" (Home) is not current on /admin/audit too. */
const currentHref = (path: string, links: NavLink[]) =>
  links.filter((l) => isCurrent(path, l.href)).reduce<string | undefined>((best, l) => (best && best.length >= l.href.length ? best : l.href), undefined);

function Links({ links, label, className, linkClass, onFollow }: { links: NavLink[]; label: string; className: string; linkClass: (current: boolean) => string; onFollow?: () => void }) {
  const shown = currentHref(usePathname(), links);
  return (
    <nav aria-label={label} className={className}>
      {links.map((l) => {
        const current = l.href === shown;
        return (
          <Link key={l.href} href={l.href} title={l.title} aria-current={current ? "page" : undefined} className={linkClass(current)} onClick={onFollow}>
            {l.label}
            {Boolean(l.count) && (
              <span className="ml-1.5 rounded-full bg-indigo-600 px-1.5 py-0.5 text-xs font-semibold text-white" data-testid={`nav-count-${l.href.slice(1)}`}>
                {l.count}
                <span className="sr-only"> waiting</span>
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}

const mainLink = (current: boolean) =>
  `rounded-md px-2 py-1 ${current ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-600 hover:text-slate-900"}`;
const adminLink = (current: boolean) => `rounded px-1.5 py-0.5 ${current ? "font-medium text-indigo-700 underline underline-offset-4" : "text-slate-600 hover:text-slate-900"}`;
const menuLink = (current: boolean) => `block rounded-md px-3 py-2 ${current ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-700 hover:bg-slate-100"}`;

/**
 * The portal's header: the main links and, for admins, a second row of admin links. Below 768 px both
 * fold into one "Menu" button so a phone never scrolls sideways; the page shown is marked
 * (aria-current) in either form.
 */
export function SiteNav({ main: links, admin, account, counts }: { main: NavLink[]; admin: NavLink[]; account: ReactNode; counts: NavCounts | null }) {
  const [open, setOpen] = useState(false);
  const main = useMainLinks(links, counts);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center gap-4 px-4 py-3 text-sm sm:px-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold text-slate-900">
          <span className="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 text-xs font-bold text-white">AP</span>
          Access Portal
        </Link>
        {main.length > 0 && <Links links={main} label="Main" className="hidden items-center gap-1 whitespace-nowrap md:flex" linkClass={mainLink} />}
        <div className={`ml-auto min-w-0 items-center gap-3 ${main.length > 0 ? "hidden md:flex" : "flex"}`}>{account}</div>
        {main.length > 0 && (
          <button
            type="button"
            className="ml-auto shrink-0 rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-700 md:hidden"
            aria-expanded={open}
            aria-controls="site-menu"
            onClick={() => setOpen((o) => !o)}
          >
            {open ? "Close menu" : "Menu"}
          </button>
        )}
      </div>
      {admin.length > 0 && (
        <div className="hidden border-t border-slate-100 bg-slate-50 md:block">
          <div className="mx-auto flex max-w-5xl items-center gap-3 whitespace-nowrap px-6 py-1.5 text-sm">
            <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">Admin</span>
            <Links links={admin} label="Admin" className="flex flex-wrap items-center gap-x-3" linkClass={adminLink} />
          </div>
        </div>
      )}
      {open && (
        <div id="site-menu" className="border-t border-slate-100 px-4 pb-4 pt-2 text-sm md:hidden">
          <Links links={main} label="Main" className="grid gap-1" linkClass={menuLink} onFollow={() => setOpen(false)} />
          {admin.length > 0 && (
            <>
              <p className="mt-3 px-3 text-xs font-semibold uppercase tracking-wide text-slate-500">Admin</p>
              <Links links={admin} label="Admin" className="mt-1 grid grid-cols-2 gap-1" linkClass={menuLink} onFollow={() => setOpen(false)} />
            </>
          )}
          <div className="mt-3 flex min-w-0 flex-wrap items-center gap-3 border-t border-slate-100 px-3 pt-3">{account}</div>
        </div>
      )}
    </header>
  );
}
