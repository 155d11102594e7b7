"use client";

import { useEffect, useState } from "react";

/** How often the notice asks whether the portal is back. */
const RECHECK_MS = 3_000;

/**
 * The calm page people see while the portal's database restarts: no stack, no "something went wrong",
 * and it reloads by itself as soon as /api/health/ready says the portal is back.
 */
export function UnavailableNotice() {
  useEffect(() => {
    const timer = setInterval(async () => {
      if (await portalIsReady()) window.location.reload();
    }, RECHECK_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <div role="status" data-testid="portal-unavailable" className="mx-auto mt-12 max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold text-slate-900">The portal is briefly unavailable</h1>
      <p className="mt-2 text-sm text-slate-600">
        Its database is restarting. This page will reload by itself as soon as the portal is back, usually within a few seconds.
      </p>
      <p className="mt-2 text-sm text-slate-500">Requests and approvals already made are kept.</p>
    </div>
  );
}

/** True when the readiness check answers 200; false while it answers 503 or cannot be reached. */
export async function portalIsReady(): Promise<boolean> {
  try {
    const res = await fetch("/api/health/ready", { cache: "no-store" });
    return res.ok;
  } catch {
    return false;
  }
}

/** null while asking, then whether the portal's database answers. */
export function useReadiness(): boolean | null {
  const [ready, setReady] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    void portalIsReady().then((answer) => live && setReady(answer));
    return () => {
      live = false;
    };
  }, []);
  return ready;
}
