"use client";

import { UnavailableNotice, useReadiness } from "@/app/unavailable/unavailable-notice";

// Shown instead of any unexpected server error: a plain message, never a stack trace. Next.js hides
// the error's details from the browser, so whether the database is down is asked of /api/health/ready:
// if it is, people see the calm "briefly unavailable" notice rather than "something went wrong".
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const ready = useReadiness();
  if (ready === null) return null;
  if (!ready) return <UnavailableNotice />;
  return (
    <div className="mx-auto mt-12 max-w-sm rounded-xl border border-rose-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-600">The portal could not show this page. Try again in a moment.</p>
      <button onClick={reset} className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
        Try again
      </button>
    </div>
  );
}
