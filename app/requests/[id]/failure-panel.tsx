"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";
import { RequestDialog } from "@/app/request-dialog";

/** A failure reason in a sentence a requester can act on; the technical text stays folded below it. */
export function failureSentence(reason: string | null, app: string): string {
  const r = reason ?? "";
  if (/^Deprovisioning failed/i.test(r)) return `Removing this access from ${app} failed. An admin has been told and will retry the removal.`;
  const manual = /marked (?:the task )?errored: (.*)$/i.exec(r);
  if (manual) return `The person who sets up ${app} access could not do it. They wrote: “${manual[1]}”`;
  if (/no admin approved provisioning/i.test(r)) return `No admin approved setting this up in ${app} in time, so it was not done.`;
  if (/\b(401|403)\b|unauthori[sz]ed|forbidden|credential|token/i.test(r)) return `${app} refused the portal's credentials, so your access could not be set up. An admin has to fix the connection to ${app}.`;
  if (/timed? ?out|ECONNREFUSED|ENOTFOUND|unreachable|could not be reached|\b50[234]\b/i.test(r)) return `${app} could not be reached, so your access could not be set up.`;
  return `${app} reported an error, so your access could not be set up.`;
}

type Failed = {
  requestId: string;
  grantId: string;
  reason: string | null;
  app: string;
  entitlement: { id: string; name: string };
  /** The viewer may retry (an admin, or the app's owner). */
  canRetry: boolean;
  /** The viewer may ask again (the person the access was for). */
  canRequestAgain: boolean;
};

/**
 * What a requester and an admin see of failed access: Failed in words, the technical detail folded,
 * Retry for those who fix connectors, and Request again for the person who needs it.
 */
export function FailurePanel({ failed }: { failed: Failed }) {
  const utils = trpc.useUtils();
  const [asking, setAsking] = useState(false);
  const retry = trpc.provisioning.retry.useMutation({
    onSuccess: async () => {
      toast.success("Retrying", `${failed.app} / ${failed.entitlement.name} is being set up again.`);
      await utils.requests.byId.invalidate({ id: failed.requestId });
    },
  });
  const removal = /^Deprovisioning failed/i.test(failed.reason ?? "");
  return (
    <section className="rounded-xl border border-rose-200 bg-rose-50/60 p-5" data-testid="failure" aria-labelledby="failure-title">
      <h2 id="failure-title" className="font-semibold text-rose-900">{removal ? "Removal failed" : "Setting up this access failed"}</h2>
      <p className="mt-1 text-sm text-rose-900" data-testid="failure-sentence">{failureSentence(failed.reason, failed.app)}</p>
      <details className="mt-2 text-sm text-slate-700">
        <summary className="cursor-pointer text-slate-600">Technical detail</summary>
        <p className="mt-1 break-words rounded bg-white/70 p-2 font-mono text-xs" data-testid="failure-detail">{failed.reason ?? "No detail was recorded."}</p>
      </details>
      {retry.error && <p className="mt-2 text-sm text-rose-700" role="alert">{retry.error.message}</p>}
      <div className="mt-3 flex flex-wrap gap-2">
        {failed.canRetry && !removal && (
          <Button variant="primary" isDisabled={retry.isPending} onClick={() => retry.mutate({ grantId: failed.grantId })}>
            {retry.isPending ? "Retrying…" : "Retry provisioning"}
          </Button>
        )}
        {failed.canRequestAgain && !removal && (
          <Button variant="secondary" onClick={() => setAsking(true)}>Request again</Button>
        )}
      </div>
      {asking && <RequestDialog chosen={{ id: failed.entitlement.id, name: failed.entitlement.name, app: failed.app }} onClose={() => setAsking(false)} />}
    </section>
  );
}
