"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { AttemptList, type Attempt } from "@/app/_components/attempt-list";
import { ExactDate, RelativeDate } from "@/app/_components/when";
import type { AppRouter } from "@/server/api/root";

type ManualTask = inferRouterOutputs<AppRouter>["tasks"]["forRequest"][number];
type Grant = { status: string; attempts: (Attempt & { operation: "PROVISION" | "DEPROVISION" })[] };

const OPERATIONS = [
  { key: "PROVISION", title: "Provisioning", done: "Done", todo: "set it up" },
  { key: "DEPROVISION", title: "Removal", done: "Removed", todo: "remove it" },
] as const;

type Operation = (typeof OPERATIONS)[number];

/** What a person did (or is to do) by hand: who, when, and what they wrote. */
function ManualTaskLine({ task, op }: { task: ManualTask; op: Operation }) {
  if (task.status === "OPEN") {
    return (
      <p className="text-sm text-slate-700">
        Waiting for <span className="font-medium">{task.assignee}</span> to {op.todo} by hand (asked <RelativeDate date={task.openedAt} />).
      </p>
    );
  }
  const done = task.status === "DONE";
  const who = <span className="font-medium">{task.doneBy ?? task.assignee}</span>;
  const when = task.doneAt && (
    <>
      {" "}on <ExactDate date={task.doneAt} withTime />
    </>
  );
  return (
    <div className="text-sm">
      <p className={done ? "text-emerald-800" : "text-rose-800"} data-testid="manual-outcome">
        {done ? <>{op.done} by {who}{when}</> : <>{who} could not {op.todo} by hand{when}</>}
      </p>
      {task.note && <blockquote className="mt-1 break-words border-l-4 border-slate-200 pl-3 text-slate-700" data-testid="manual-note">{task.note}</blockquote>}
    </div>
  );
}

/** Why an operation shows nothing: not started yet, or a grant from before the portal kept records. */
function NothingYet({ grant }: { grant: Grant }) {
  const waiting = grant.status === "PENDING" || grant.status === "PROVISIONING";
  return <p className="text-sm text-slate-500">{waiting ? "Not started yet." : "No record of how it was set up."}</p>;
}

/**
 * How the access was set up and taken away: the portal's automatic tries, and the tasks people
 * did by hand, each under its operation. Removal appears once it has begun.
 */
export function GrantWork({ grant, tasks }: { grant: Grant; tasks: ManualTask[] }) {
  return (
    <>
      {OPERATIONS.map((op) => {
        const attempts = grant.attempts.filter((a) => a.operation === op.key);
        const manual = tasks.filter((t) => t.kind === op.key);
        if (op.key === "DEPROVISION" && attempts.length === 0 && manual.length === 0) return null;
        return (
          <section key={op.key} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid={`attempts-${op.key.toLowerCase()}`}>
            <h2 className="font-semibold">{op.title}</h2>
            <div className="mt-3 space-y-4">
              {attempts.length > 0 && <AttemptList attempts={attempts} />}
              {manual.map((t) => (
                <div key={t.id} data-testid="manual-task">
                  <ManualTaskLine task={t} op={op} />
                </div>
              ))}
              {attempts.length === 0 && manual.length === 0 && <NothingYet grant={grant} />}
            </div>
          </section>
        );
      })}
    </>
  );
}
