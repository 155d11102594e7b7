"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonVariants, inputClass } from "@/app/_components/ui/classes";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";

type Comment = { id: string; body: string; createdAt: Date; author: { name: string | null; email: string } };

export function TaskComments({ taskId, comments }: { taskId: string; comments: Comment[] }) {
  const utils = trpc.useUtils();
  const [body, setBody] = useState("");
  const add = trpc.tasks.comment.useMutation({
    onSuccess: async () => {
      setBody("");
      await utils.tasks.byId.invalidate({ id: taskId });
    },
  });
  const fieldError = add.error?.data?.fieldErrors?.body?.[0];
  return (
    <Section title="Comments">
      {comments.length === 0 && <p className="text-sm text-slate-500">No comments yet.</p>}
      <ol className="space-y-3" data-testid="task-comments">
        {comments.map((c) => (
          <li key={c.id} className="text-sm" data-testid="task-comment">
            <p>
              <span className="font-medium">{c.author.name ?? c.author.email}</span>{" "}
              <ExactDate date={c.createdAt} withTime className="text-xs text-slate-500" />
            </p>
            <p className="whitespace-pre-wrap text-slate-700">{c.body}</p>
          </li>
        ))}
      </ol>
      <form
        className="mt-4 space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ id: taskId, body });
        }}
      >
        <label htmlFor="new-comment" className="sr-only">Add a comment</label>
        <textarea id="new-comment" rows={2} value={body} onChange={(e) => setBody(e.target.value)} placeholder="Add a comment…" aria-invalid={Boolean(fieldError)} className={inputClass} />
        {fieldError && <p className="text-sm text-rose-700">{fieldError}</p>}
        {!fieldError && <ErrorNote message={add.error?.message} />}
        <button disabled={add.isPending} className={buttonVariants.secondary}>Add comment</button>
      </form>
    </Section>
  );
}
