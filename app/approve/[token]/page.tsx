import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requireActor } from "@/app/_components/require-actor";
import { Badge } from "@/app/_components/ui/badge";
import { ExactDate } from "@/app/_components/when";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { api } from "@/app/_trpc/server";
import { riskTone } from "@/app/approvals/request-context";
import type { ApproverContext } from "@/server/approvals/context";
import { DENY_REASON_REQUIRED } from "@/server/approvals/decide";
import type { ApprovalLinkView } from "@/server/approvals/link";
import { linkProblemText } from "@/server/approvals/tokens";
import { AppError } from "@/server/errors";

export const dynamic = "force-dynamic";

/**
 * An approval email link. GET only shows the request and a confirmation button (mail scanners that
 * prefetch links decide nothing); the POST of that form decides, once, as the signed-in approver.
 * Both go through the API (approvals.link, approvals.decideByLink), which checks the token.
 */
export default async function ApproveLinkPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ done?: string; failed?: string }>;
}) {
  const { token } = await params;
  const { done, failed } = await searchParams;
  await requireActor(`/approve/${token}`);
  const link = await viewLink(token);
  // Right after a decision the link is spent; say what was decided rather than "already used".
  if ((done === "APPROVE" || done === "DENY") && !link.ok && link.problem === "used" && link.action === done) {
    return (
      <Panel tone="good" title={done === "APPROVE" ? "Approved" : "Denied"}>
        Your decision is recorded and the requester has been told.{" "}
        <Link href="/approvals" className="text-indigo-700 underline">Back to approvals</Link>
      </Panel>
    );
  }
  if (!link.ok) {
    const text = linkProblemText[link.problem];
    return (
      <Panel tone="bad" title={text.title}>
        {text.detail}
        {link.problem !== "wrong-user" && (
          <>
            {" "}
            <Link href="/approvals" className="text-indigo-700 underline">Open your approvals</Link>
          </>
        )}
      </Panel>
    );
  }

  const approve = link.action === "APPROVE";
  async function confirm(formData: FormData) {
    "use server";
    await requireActor(`/approve/${token}`);
    const comment = String(formData.get("comment") ?? "").trim().slice(0, 2000) || undefined;
    try {
      await api.approvals.decideByLink({ token, comment });
    } catch (e) {
      // The domain's refusals (spent, decided, reassigned meanwhile) say "try again"; bugs and outages do not.
      if (e instanceof TRPCError && e.cause instanceof AppError) redirect(`/approve/${token}?failed=${e.cause.message === DENY_REASON_REQUIRED ? "reason" : "1"}`);
      throw e;
    }
    redirect(`/approve/${token}?done=${approve ? "APPROVE" : "DENY"}`);
  }

  return <Confirmation link={link} failed={failed === "reason" ? "reason" : failed ? "other" : null} confirm={confirm} />;
}

/** The link as the API reads it; a token it refuses to read at all (say, a NUL in it) is not a valid link. */
async function viewLink(token: string): Promise<ApprovalLinkView> {
  try {
    return await api.approvals.link({ token });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "BAD_REQUEST") return { ok: false, problem: "invalid" };
    throw e;
  }
}

function Confirmation({ link, failed, confirm }: { link: Extract<ApprovalLinkView, { ok: true }>; failed: "reason" | "other" | null; confirm: (formData: FormData) => Promise<void> }) {
  const { step, requester, access, context } = link;
  const approve = link.action === "APPROVE";
  return (
    <div className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-8">
      {failed === "other" && <p className="mb-4 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">That did not go through. Try again.</p>}
      <h1 className="text-xl font-semibold">{approve ? "Approve" : "Deny"} this request?</h1>
      <p className="mt-1 text-sm text-slate-600" data-testid="link-step">
        Step {step.position + 1} of {step.count}: <span className="font-medium text-slate-900">{step.label}</span>
        {step.requireAll ? " · every approver of this step must approve" : ""}
      </p>
      {link.policyName && <p className="text-xs text-slate-500">Policy: {link.policyName}</p>}
      {step.because && <p className="mt-2 text-sm text-slate-600">{step.because}</p>}
      {step.routingNote && <p className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900">{step.routingNote}</p>}
      <dl className="mt-4 space-y-2 text-sm">
        <div><dt className="inline text-slate-500">Requester: </dt><dd className="inline font-medium">{requester.name ?? requester.email}{requester.department ? ` (${requester.department})` : ""}</dd></div>
        {context?.asker && <div><dt className="inline text-slate-500">Asked by: </dt><dd className="inline" data-testid="link-asker">{context.asker}</dd></div>}
        <div><dt className="inline text-slate-500">Access: </dt><dd className="inline font-medium">{access.app} / {access.entitlement}</dd></div>
        {context && <ContextRows context={context} />}
        <div><dt className="text-slate-500">Justification:</dt><dd className="mt-1 border-l-4 border-slate-200 pl-3 text-slate-800">{link.justification}</dd></div>
      </dl>
      <form action={confirm} className="mt-6 space-y-3">
        <label htmlFor="comment" className={labelClass}>{approve ? "Comment (optional)" : "Reason for denying"}</label>
        {!approve && <p id="comment-hint" className="text-xs text-slate-500">The requester reads this in their email and on their request.</p>}
        <textarea
          id="comment"
          name="comment"
          rows={approve ? 2 : 3}
          maxLength={2000}
          required={!approve}
          minLength={approve ? undefined : 5}
          aria-invalid={failed === "reason"}
          aria-describedby={approve ? undefined : failed === "reason" ? "comment-hint comment-error" : "comment-hint"}
          className={inputClass}
        />
        {failed === "reason" && <p id="comment-error" className="text-sm text-rose-700" role="alert">{DENY_REASON_REQUIRED}</p>}
        <button className={`w-full ${approve ? buttonVariants.good : buttonVariants.bad}`}>
          {approve ? "Confirm approval" : "Confirm denial"}
        </button>
      </form>
    </div>
  );
}

/** What the approver needs to decide (server/approvals/context.ts), as rows of the request's <dl>. */
function ContextRows({ context }: { context: ApproverContext }) {
  return (
    <>
      <div><dt className="inline text-slate-500">Duration: </dt><dd className="inline" data-testid="link-duration">{context.endsAt ? <>until <ExactDate date={context.endsAt} withTime /></> : context.duration}</dd></div>
      {context.description && <div><dt className="text-slate-500">What it gives:</dt><dd className="mt-1 break-words text-slate-800" data-testid="link-description">{context.description}</dd></div>}
      <div><dt className="inline text-slate-500">Risk: </dt><dd className="inline"><Badge label={context.risk.label} tone={riskTone(context.risk)} testId="risk" /></dd></div>
      {context.peers && <div><dt className="inline text-slate-500">Peers: </dt><dd className="inline" data-testid="link-peers">{context.peers.text}</dd></div>}
      <div>
        <dt className="inline text-slate-500">Already in {context.holds.app}: </dt>
        <dd className="inline" data-testid="link-holds">{context.holds.entitlements.length ? context.holds.entitlements.join(", ") : "nothing yet"}</dd>
      </div>
    </>
  );
}

function Panel({ tone, title, children }: { tone: "good" | "bad"; title: string; children: React.ReactNode }) {
  return (
    <div className={`mx-auto max-w-lg rounded-xl border bg-white p-5 text-center sm:p-8 shadow-sm ${tone === "good" ? "border-emerald-200" : "border-rose-200"}`} data-testid="link-result">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{children}</p>
    </div>
  );
}
