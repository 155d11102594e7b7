"use client";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { ExactDate } from "@/app/_components/when";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";

type Connector = RouterOutputs["provisioning"]["connectors"][number];

// Connector health: whether each target answers, since when it does not, what it last said, and how
// many grants wait for it. "Retry now" probes at once; an answer resumes the waiting grants.
export function ConnectorHealth() {
  const utils = trpc.useUtils();
  const connectors = trpc.provisioning.connectors.useQuery(undefined, { refetchInterval: 5_000 });
  const retry = trpc.provisioning.retryConnector.useMutation({ onSettled: () => utils.provisioning.connectors.invalidate() });
  const columns: Column<Connector>[] = [
    {
      id: "connector",
      header: "Connector",
      sortBy: (c) => `${c.app.name} ${c.name}`.toLowerCase(),
      className: "sm:w-48",
      cell: (c) => (
        <>
          <p className="break-words font-medium">{c.app.name}</p>
          <p className="break-words text-xs text-slate-500">{c.name} · {c.method}</p>
        </>
      ),
    },
    { id: "health", header: "Health", sortBy: (c) => (c.unreachableSince ? 0 : c.consecutiveFailures > 0 ? 1 : 2), className: "sm:w-48", cell: (c) => <HealthCell connector={c} /> },
    {
      id: "success",
      header: "Last success",
      sortBy: (c) => c.lastSuccessAt ?? undefined,
      className: "sm:w-40 text-xs text-slate-600",
      cell: (c) => <span data-testid="last-success">{c.lastSuccessAt ? <ExactDate date={c.lastSuccessAt} withTime /> : "never"}</span>,
    },
    { id: "error", header: "Last error", sortBy: (c) => c.lastErrorAt ?? undefined, className: "text-xs text-slate-600", cell: (c) => <LastErrorCell connector={c} /> },
    { id: "waiting", header: "Waiting", sortBy: (c) => c.grantsWaiting, className: "sm:w-24", cell: (c) => <span data-testid="grants-waiting">{c.grantsWaiting}</span> },
    {
      id: "retry",
      header: "Retry",
      hideHeader: true,
      className: "sm:w-32",
      cell: (c) => (
        <Button variant="secondary" className="whitespace-nowrap" aria-label={`Retry now: ${c.app.name} ${c.name}`} isDisabled={retry.isPending} onClick={() => retry.mutate({ connectorId: c.id })}>
          Retry now
        </Button>
      ),
    },
  ];

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
      {connectors.data && (
        <div className="mt-4">
          <DataTable label="Connectors" rows={connectors.data} rowId={(c) => c.id} rowTestId="connector-row" columns={columns} empty="No connectors configured yet." />
        </div>
      )}
    </div>
  );
}

function HealthCell({ connector: c }: { connector: Connector }) {
  return (
    <>
      {c.unreachableSince ? (
        <>
          <Badge label="Unreachable" tone="bad" />
          <p className="mt-1 text-xs text-rose-800">
            since <ExactDate date={c.unreachableSince} withTime />
          </p>
        </>
      ) : (
        <Badge label={c.consecutiveFailures > 0 ? `Answering (${c.consecutiveFailures} recent failures)` : "Answering"} tone={c.consecutiveFailures > 0 ? "waiting" : "good"} />
      )}
      <p className="mt-1 text-xs text-slate-500">Outage window: {c.outageWindow}</p>
    </>
  );
}

function LastErrorCell({ connector: c }: { connector: Connector }) {
  if (!c.lastError) return <>none</>;
  return (
    <>
      <p className="break-all">{c.lastError}</p>
      {c.lastErrorAt && <p className="mt-1 text-slate-500"><ExactDate date={c.lastErrorAt} withTime /></p>}
    </>
  );
}
