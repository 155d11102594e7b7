import { Badge } from "@/app/_components/ui/badge";
import type { StatusTone } from "@/universal/requests/status";

/** The approver's context of a request (server/approvals/context.ts), as the inbox and the link page receive it. */
export type RequestContextView = {
  description: string | null;
  risk: { level: "LOW" | "MEDIUM" | "HIGH"; adminAccess: boolean; label: string };
  peers: { text: string } | null;
  holds: { text: string };
};

export function riskTone(risk: RequestContextView["risk"]): StatusTone {
  if (risk.adminAccess || risk.level === "HIGH") return "bad";
  return risk.level === "MEDIUM" ? "waiting" : "neutral";
}

/** A compact block under an inbox item's title: risk, peers, what the requester holds, what the access gives. */
export function RequestContext({ context }: { context: RequestContextView }) {
  return (
    <div className="mt-2 text-xs text-slate-600" data-testid="approval-context">
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Badge label={context.risk.label} tone={riskTone(context.risk)} testId="risk" />
        {context.peers && <span data-testid="context-peers">{context.peers.text}</span>}
        <span data-testid="context-holds">{context.holds.text}</span>
      </p>
      {context.description && <p className="mt-1 break-words text-sm text-slate-700" data-testid="context-description">{context.description}</p>}
    </div>
  );
}
