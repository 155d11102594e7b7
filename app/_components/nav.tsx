"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";

export type NavLink = { href: string; label: string; title?: string };

/** Whether `href` is the page shown (or a page under it); the catalog only for "/" itself. */
const isCurrent = (path: string, href: string) => (href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`));

function Links({ links, label, className, linkClass, onFollow }: { links: NavLink[]; label: string; className: string; linkClass: (current: boolean) => string; onFollow?: () => void }) {
  const path = usePathname();
  return (
    <nav aria-label={label} className={className}>
      {links.map((l) => {
        const current = isCurrent(path, l.href);
        return (
          <Link key={l.href} href={l.href} title={l.title} aria-current={current ? "page" : undefined} className={linkClass(current)} onClick={onFollow}>
            {l.label}
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
export function SiteNav({ main, admin, account }: { main: NavLink[]; admin: NavLink[]; account: ReactNode }) {
  const [open, setOpen] = useState(false);
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
            <span className="text-xs font-semibold uppercase tracking-wide text-slate-400">Admin</span>
            <Links links={admin} label="Admin" className="flex flex-wrap items-center gap-x-3" linkClass={adminLink} />
          </div>
        </div>
      )}
      {open && (
        <div id="site-menu" className="border-t border-slate-100 px-4 pb-4 pt-2 text-sm md:hidden">
          <Links links={main} label="Main" className="grid gap-1" linkClass={menuLink} onFollow={() => setOpen(false)} />
          {admin.length > 0 && (
            <>
              <p className="mt-3 px-3 text-xs font-semibold uppercase tracking-wide text-slate-400">Admin</p>
              <Links links={admin} label="Admin" className="mt-1 grid grid-cols-2 gap-1" linkClass={menuLink} onFollow={() => setOpen(false)} />
            </>
          )}
          <div className="mt-3 flex min-w-0 flex-wrap items-center gap-3 border-t border-slate-100 px-3 pt-3">{account}</div>
        </div>
      )}
    </header>
  );
}
