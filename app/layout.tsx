import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { requestLocale } from "@/app/_components/locale";
import { SiteNav, type NavLink } from "@/app/_components/nav";
import { LocaleProvider } from "@/app/_components/when";
import { HydrationMark } from "@/app/_components/hydration-mark";
import { Toaster } from "@/app/_components/ui/toast";
import { TrpcProvider } from "@/app/_trpc/provider";
import { api } from "@/app/_trpc/server";
import { currentActor, signOut } from "@/server/auth";
import { usesDevMailbox } from "@/server/env";
import "./globals.css";

export const metadata: Metadata = { title: "Access Portal", description: "Request and approve access to apps" };

const MAIN_LINKS: NavLink[] = [
  { href: "/", label: "Catalog" },
  { href: "/requests", label: "My requests" },
  { href: "/access", label: "My access" },
  { href: "/approvals", label: "Approvals" },
  { href: "/tasks", label: "Tasks" },
  { href: "/reviews", label: "Reviews", title: "Access reviews" },
];

const ADMIN_LINKS: NavLink[] = [
  { href: "/admin", label: "Home", title: "Admin home: what needs attention" },
  { href: "/admin/provisioning", label: "Monitoring" },
  { href: "/admin/connectors", label: "Connectors" },
  { href: "/admin/apps", label: "Apps" },
  { href: "/admin/people", label: "People" },
  { href: "/admin/revocations", label: "Held revocations", title: "Held mass revocations" },
  { href: "/admin/policies", label: "Policies" },
  { href: "/admin/profiles", label: "Profiles" },
  { href: "/admin/sod", label: "SoD", title: "Segregation of duties" },
  { href: "/admin/reviews", label: "Reviews", title: "Access reviews" },
  { href: "/admin/audit", label: "Audit" },
];

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  const devMailbox = usesDevMailbox();
  const counts = actor ? await api.me.navigation() : null;
  const locale = await requestLocale();
  const account = (
    <>
      {devMailbox && (
        <Link href="/dev/mailbox" className="shrink-0 rounded-md bg-amber-100 px-2 py-1 text-xs font-medium text-amber-900 hover:bg-amber-200">
          Dev mailbox
        </Link>
      )}
      {actor && (
        <form
          action={async () => {
            "use server";
            await signOut({ redirectTo: "/signin" });
          }}
          className="flex min-w-0 items-center gap-3"
        >
          <span className="truncate text-slate-500" data-testid="signed-in-as" title={actor.email}>{actor.email}</span>
          <button className="shrink-0 text-slate-600 hover:text-slate-900">Sign out</button>
        </form>
      )}
    </>
  );
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-40 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow">
          Skip to content
        </a>
        <TrpcProvider>
          <LocaleProvider locale={locale}>
          <SiteNav main={actor ? MAIN_LINKS : []} admin={actor?.isAdmin ? ADMIN_LINKS : []} account={account} counts={counts} />
          <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
            {children}
          </main>
          </LocaleProvider>
        </TrpcProvider>
        <Toaster />
        <HydrationMark />
      </body>
    </html>
  );
}
