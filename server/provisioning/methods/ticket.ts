import "server-only";
import { createJiraIssue, getJiraIssueState, type JiraConfig } from "@/server/connectors/jira";
import { createServiceNowTicket, getServiceNowTicketState, type ServiceNowConfig } from "@/server/connectors/servicenow";
import { env } from "@/server/env";
import { recordEffect } from "../effects";
import type { PlanStep } from "@/universal/provisioning/plan";
import { render } from "@/universal/provisioning/placeholders";
import type { MethodContext, MethodResult } from "./types";

// Helpdesk ticket: open a Jira issue or ServiceNow ticket from the step's template, then follow its
// status. The correlation id is stable per grant, operation and step, so a retry finds the ticket it
// already opened instead of opening a second one.

type TicketConfig = { method: "JIRA"; config: JiraConfig } | { method: "SERVICENOW"; config: ServiceNowConfig };
type TicketStep = Extract<PlanStep, { method: "JIRA" | "SERVICENOW" }>;

export type TicketState = { state: "open" | "resolved" | "failed"; label: string };

function ticketText(ctx: MethodContext, step: TicketStep) {
  const { grant, operation } = ctx;
  const values = {
    action: operation === "PROVISION" ? "Grant" : "Remove",
    "person.name": grant.user.name ?? grant.user.email,
    "person.email": grant.user.email,
    "entitlement.name": grant.entitlement.name,
    "app.name": grant.entitlement.app.name,
    justification: operation === "PROVISION" ? (grant.request?.justification ?? "") : `Revoked (${grant.revokeReason ?? "admin"})`,
    "grant.id": grant.id,
    "portal.url": `${env().APP_URL.replace(/\/+$/, "")}/admin/provisioning/${grant.id}`,
  };
  return { summary: render(step.ticket.summary, values), description: render(step.ticket.description, values) };
}

export async function openTicket(ctx: MethodContext, step: TicketStep, target: TicketConfig): Promise<MethodResult> {
  const { db, grant, stepIndex, operation } = ctx;
  const text = ticketText(ctx, step);
  const correlationId = `${grant.id}-${operation.toLowerCase()}-${stepIndex}`;
  let ref: string;
  let label: string;
  if (target.method === "JIRA") {
    const issue = await createJiraIssue(target.config, { ...text, correlationId });
    ref = issue.key;
    label = `Jira ${issue.key}`;
  } else {
    const ticket = await createServiceNowTicket(target.config, {
      shortDescription: text.summary,
      description: text.description,
      correlationId,
    });
    ref = ticket.sysId;
    label = `ServiceNow ${ticket.number}`;
  }
  if (operation === "PROVISION") {
    await recordEffect(db, grant.id, stepIndex, target.method, { target: label, connectorId: ctx.connectorId, reference: ref, createdByPortal: true });
  }
  return { outcome: "ticket-open", detail: `${label} opened`, ticketRef: ref };
}

export async function ticketState(target: TicketConfig, ref: string): Promise<TicketState> {
  if (target.method === "JIRA") {
    const s = await getJiraIssueState(target.config, ref);
    return { state: s.state, label: `Jira ${ref} ${s.status}${s.resolution ? ` (${s.resolution})` : ""}` };
  }
  const s = await getServiceNowTicketState(target.config, ref);
  return { state: s.state, label: `ServiceNow ticket ${s.label}${s.closeNotes ? `: ${s.closeNotes}` : ""}` };
}
