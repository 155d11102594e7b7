import { z } from "zod";
import type { ProvisioningMethod } from "@/generated/prisma/enums";
import { unknownPlaceholders } from "./placeholders";

// A provisioning plan: the ordered steps that give (and later take away) an entitlement, as
// ConductorOne's methods combine them, e.g. webhook, then ticket, then connector. The app has a default;
// an entitlement may override it. No plan at all means a provisioner does it by hand.

/** Placeholders a ticket template may use. */
export const TICKET_PLACEHOLDERS = [
  "action",
  "person.name",
  "person.email",
  "entitlement.name",
  "app.name",
  "justification",
  "grant.id",
  "portal.url",
] as const;

const ticketText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      const unknown = unknownPlaceholders(text, TICKET_PLACEHOLDERS);
      if (unknown.length > 0) {
        ctx.addIssue({ code: "custom", message: `Unknown placeholder {{${unknown[0]}}}; use one of ${TICKET_PLACEHOLDERS.join(", ")}.` });
      }
    });

export const ticketTemplateSchema = z.object({
  summary: ticketText(250).default("{{action}}: {{entitlement.name}} in {{app.name}} for {{person.name}}"),
  description: ticketText(5000).default(
    "{{action}} access to {{entitlement.name}} in {{app.name}} for {{person.name}} ({{person.email}}).\n" +
      "Justification: {{justification}}\nRequested through the access portal: {{portal.url}}",
  ),
});

const connectorStep = z.object({ method: z.enum(["SCIM", "LDAP_GROUP", "WEBHOOK"]), connectorId: z.string().min(1, "Pick a connector") });
const ticketStep = z.object({
  method: z.enum(["JIRA", "SERVICENOW"]),
  connectorId: z.string().min(1, "Pick a connector"),
  ticket: ticketTemplateSchema.default(() => ticketTemplateSchema.parse({})),
});
const manualStep = z.object({ method: z.literal("MANUAL") });

export const planStepSchema = z.discriminatedUnion("method", [connectorStep, ticketStep, manualStep]);
export const planSchema = z.array(planStepSchema).max(10, "A plan has at most 10 steps");
export type PlanStep = z.output<typeof planStepSchema>;
export type Plan = PlanStep[];

const MANUAL_ONLY: Plan = [{ method: "MANUAL" }];

/** The plan that applies to an entitlement. A stored plan that no longer parses is treated as manual, never skipped. */
export function effectivePlan(entitlementPlan: unknown, appPlan: unknown): Plan {
  const chosen = entitlementPlan ?? appPlan;
  const parsed = planSchema.safeParse(chosen);
  if (!parsed.success || parsed.data.length === 0) return MANUAL_ONLY;
  return parsed.data;
}

export const METHOD_LABELS: Record<ProvisioningMethod, string> = {
  SCIM: "SCIM connector",
  LDAP_GROUP: "Directory group (LDAP)",
  WEBHOOK: "Webhook",
  JIRA: "Jira ticket",
  SERVICENOW: "ServiceNow ticket",
  MANUAL: "Manual task",
};

export function describePlan(plan: Plan): string {
  return plan.map((step, i) => `${i + 1}. ${METHOD_LABELS[step.method]}`).join(" → ");
}
