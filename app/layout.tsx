import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Toaster } from "@/app/_components/ui/toast";
import { TrpcProvider } from "@/app/_trpc/provider";
import { currentActor, signOut } from "@/server/auth";
import { usesDevMailbox } from "@/server/env";
import "./globals.css";

export const metadata: Metadata = { title: "Access Portal", description: "Request and approve access to apps" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  const devMailbox = usesDevMailbox();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-5xl items-center gap-5 whitespace-nowrap px-6 py-3 text-sm">
            <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold text-slate-900">
              <span className="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 text-xs font-bold text-white">AP</span>
              Access Portal
            </Link>
            {actor && (
              <>
                <Link href="/" className="text-slate-600 hover:text-slate-900">Catalog</Link>
                <Link href="/requests" className="text-slate-600 hover:text-slate-900">My requests</Link>
                <Link href="/approvals" className="text-slate-600 hover:text-slate-900">Approvals</Link>
                <Link href="/tasks" className="text-slate-600 hover:text-slate-900">Tasks</Link>
              </>
            )}
            <div className="ml-auto flex min-w-0 items-center gap-3">
              {devMailbox && (
                <Link href="/dev/mailbox" className="rounded-md bg-amber-100 px-2 py-1 text-xs font-medium text-amber-900 hover:bg-amber-200">
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
                  <button className="text-slate-600 hover:text-slate-900">Sign out</button>
                </form>
              )}
            </div>
          </nav>
          {actor?.isAdmin && (
            // Admin pages get their own row, so the main row keeps room for the signed-in email.
            <div className="border-t border-slate-100 bg-slate-50">
              <nav aria-label="Admin" className="mx-auto flex max-w-5xl items-center gap-5 overflow-x-auto whitespace-nowrap px-6 py-1.5 text-sm">
                <span className="text-xs font-semibold uppercase tracking-wide text-slate-400">Admin</span>
                <Link href="/admin/provisioning" className="text-slate-600 hover:text-slate-900">Monitoring</Link>
                <Link href="/admin/connectors" className="text-slate-600 hover:text-slate-900">Connectors</Link>
                <Link href="/admin/apps" className="text-slate-600 hover:text-slate-900">Apps</Link>
                <Link href="/admin/people" className="text-slate-600 hover:text-slate-900">People</Link>
                <Link href="/admin/revocations" className="text-slate-600 hover:text-slate-900" title="Held mass revocations">Held revocations</Link>
                <Link href="/admin/policies" className="text-slate-600 hover:text-slate-900">Policies</Link>
                <Link href="/admin/profiles" className="text-slate-600 hover:text-slate-900">Profiles</Link>
                <Link href="/admin/sod" className="text-slate-600 hover:text-slate-900" title="Segregation of duties">SoD</Link>
                <Link href="/admin/audit" className="text-slate-600 hover:text-slate-900">Audit</Link>
              </nav>
            </div>
          )}
        </header>
        <main className="mx-auto max-w-5xl px-6 py-8">
          <TrpcProvider>{children}</TrpcProvider>
        </main>
        <Toaster />
      </body>
    </html>
  );
}
