"use client";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";

// Connector health: whether each target answers, since when it does not, what it last said, and how
// many grants wait for it. "Retry now" probes at once; an answer resumes the waiting grants.
export function ConnectorHealth() {
  const utils = trpc.useUtils();
  const connectors = trpc.provisioning.connectors.useQuery(undefined, { refetchInterval: 5_000 });
  const retry = trpc.provisioning.retryConnector.useMutation({ onSettled: () => utils.provisioning.connectors.invalidate() });

  return (
    <div>
      <h1 className="text-2xl font-semibold">Connector health</h1>
      <p className="mt-1 text-sm text-slate-600">
        After repeated connection errors, timeouts or 5xx a connector is unreachable: its grants wait instead of retrying, it is probed with
        backoff, and they resume on their own when it answers. The app owner is emailed after 15 minutes, and again when it recovers.
      </p>
      <ErrorNote message={connectors.error?.message ?? retry.error?.message} />
      {retry.data && (
        <p className="mt-3 text-sm" role="status" data-testid="retry-result">
          {retry.data.state === "recovered" ? "It answered. Any grants waiting for it resume now." : retry.data.state === "down" ? `Still unreachable: ${retry.data.message}` : "That connector no longer exists."}
        </p>
      )}
      {connectors.data && connectors.data.length === 0 && <p className="mt-10 text-center text-slate-500">No connectors configured yet.</p>}
      {connectors.data && connectors.data.length > 0 && (
        // On a phone the table scrolls sideways rather than hiding its last columns.
        <div className="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full min-w-[48rem] table-fixed text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="w-48 px-4 py-2.5 font-medium">Connector</th>
                <th className="w-48 px-4 py-2.5 font-medium">Health</th>
                <th className="w-40 px-4 py-2.5 font-medium">Last success</th>
                <th className="px-4 py-2.5 font-medium">Last error</th>
                <th className="w-24 px-4 py-2.5 font-medium">Waiting</th>
                <th className="w-28 px-4 py-2.5 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {connectors.data.map((c) => (
                <tr key={c.id} data-testid="connector-row">
                  <td className="px-4 py-3 align-top">
                    <p className="truncate font-medium">{c.app.name}</p>
                    <p className="truncate text-xs text-slate-500">{c.name} · {c.method}</p>
                  </td>
                  <td className="px-4 py-3 align-top">
                    {c.unreachableSince ? (
                      <Badge label={`Unreachable since ${dateTime(c.unreachableSince)}`} tone="bad" />
                    ) : (
                      <Badge label={c.consecutiveFailures > 0 ? `Answering (${c.consecutiveFailures} recent failures)` : "Answering"} tone={c.consecutiveFailures > 0 ? "waiting" : "good"} />
                    )}
                    <p className="mt-1 text-xs text-slate-500">Outage window: {c.outageWindow}</p>
                  </td>
                  <td className="px-4 py-3 align-top text-xs text-slate-600" data-testid="last-success">{c.lastSuccessAt ? dateTime(c.lastSuccessAt) : "never"}</td>
                  <td className="px-4 py-3 align-top text-xs text-slate-600">
                    {c.lastError ? (
                      <>
                        <p className="break-words">{c.lastError}</p>
                        {c.lastErrorAt && <p className="mt-1 text-slate-400">{dateTime(c.lastErrorAt)}</p>}
                      </>
                    ) : (
                      "none"
                    )}
                  </td>
                  <td className="px-4 py-3 align-top" data-testid="grants-waiting">{c.grantsWaiting}</td>
                  <td className="px-4 py-3 align-top">
                    <button
                      type="button"
                      disabled={retry.isPending}
                      onClick={() => retry.mutate({ connectorId: c.id })}
                      className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50"
                    >
                      Retry now
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
