import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";

/** A card with a heading, as the detail pages lay out their parts. */
export function Section({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid={testId}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">{title}</h2>
        {action}
      </div>
      <div className="mt-3">{children}</div>
    </section>
  );
}

/** An error from the server, in words a person can act on. */
export function ErrorNote({ message }: { message: string | undefined }) {
  if (!message) return null;
  return <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{message}</p>;
}

/** Shown when a page could not be loaded, e.g. it belongs to someone else. */
export function ProblemPanel({ message, back }: { message: string; back: { href: string; label: string } }) {
  return (
    <div className="mx-auto mt-12 max-w-md rounded-xl border border-rose-200 bg-white p-8 text-center shadow-sm" data-testid="problem">
      <p className="text-slate-700">{message}</p>
      <Link href={back.href} className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline">{back.label}</Link>
    </div>
  );
}

/** The "New …" button in a section's header; gone while its form is open. */
export function NewButton({ label, hidden, onClick }: { label: string; hidden: boolean; onClick: () => void }) {
  if (hidden) return null;
  return (
    <Button onClick={onClick}>
      {label}
    </Button>
  );
}
