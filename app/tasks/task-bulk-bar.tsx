"use client";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import type { QueueTab } from "@/app/tasks/task-tabs";

/** One action on every selected task, with one comment posted on each. */
export function TaskBulkBar({ tab, ids, onDone }: { tab: QueueTab; ids: string[]; onDone: () => void }) {
  const utils = trpc.useUtils();
  const [comment, setComment] = useState("");
  const bulk = trpc.tasks.bulkComplete.useMutation({
    onSuccess: async () => {
      setComment("");
      onDone();
      await utils.tasks.list.invalidate();
    },
  });
  const fieldError = bulk.error?.data?.fieldErrors?.comment;
  const done = tab === "deprovision" ? "Mark deprovisioned" : "Mark provisioned";
  return (
    <div className="sticky top-2 z-10 mt-4 rounded-xl border border-indigo-200 bg-indigo-50 p-4 shadow-sm" data-testid="bulk-bar">
      <div className="flex flex-wrap items-end gap-2">
        <p className="w-full text-sm font-medium text-indigo-900">{ids.length} selected</p>
        <TextField
          label={<span className="sr-only">Comment posted on every selected task</span>}
          placeholder="Comment posted on every selected task (required)"
          value={comment}
          onChange={setComment}
          error={fieldError}
          className="flex-1 basis-full sm:basis-64"
        />
        <Button variant="good" isDisabled={bulk.isPending} onClick={() => bulk.mutate({ ids, outcome: "DONE", comment })}>{done}</Button>
        <Button variant="bad" isDisabled={bulk.isPending} onClick={() => bulk.mutate({ ids, outcome: "ERRORED", comment })}>Mark errored</Button>
      </div>
      {bulk.error && !fieldError && <ErrorNote message={bulk.error.message} />}
    </div>
  );
}
