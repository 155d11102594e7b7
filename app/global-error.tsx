"use client";

import { UnavailableNotice, useReadiness } from "@/app/unavailable/unavailable-notice";
import "./globals.css";

// Replaces the root layout when the layout itself fails: it reads the session from the database on
// every page, so this is what people meet first while the database restarts. As in app/error.tsx,
// /api/health/ready decides between the calm "briefly unavailable" notice and a plain error message.
export default function GlobalError({ reset }: { error: Error; reset: () => void }) {
  const ready = useReadiness();
  return (
    <html lang="en">
      <body className="min-h-screen">
        {ready === false && <UnavailableNotice />}
        {ready === true && (
          <div className="mx-auto mt-12 max-w-sm rounded-xl border border-rose-200 bg-white p-8 text-center shadow-sm">
            <h1 className="text-xl font-semibold">Something went wrong</h1>
            <p className="mt-2 text-sm text-slate-600">The portal could not show this page. Try again in a moment.</p>
            <button onClick={reset} className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
              Try again
            </button>
          </div>
        )}
      </body>
    </html>
  );
}
