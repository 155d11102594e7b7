import "server-only";
import { z } from "zod";
import type { Actor } from "@/server/actor";
import type { Db, Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { evaluateRequest, type Evaluation } from "@/server/policies/evaluate";
import { sodBlockMessage } from "@/server/policies/sod";
import { assertMayAskFor, createRequestInput, openRequestFor, submitRequest } from "./create-request";
import { lengthInDays, lengthProblem, requestLength } from "./duration";

// A cart: several entitlements asked for at once, for yourself or (a manager) for several reports or
// (an admin) for anyone, with one justification and one length. Each (person, entitlement) pair is
// its own request under its own policy. Submission is all or nothing: one transaction creates every
// request, and if any pair cannot be submitted nothing is, and each pair says why or that it waited.

const MAX_PAIRS = 50;

export const cartInput = z.object({
  entitlementIds: z.array(z.string().min(1)).min(1, "Add something to the cart first.").max(20, "At most 20 entitlements at once."),
  /** Whom for: omitted or empty, yourself. */
  forUserIds: z.array(z.string().min(1)).max(20, "At most 20 people at once.").optional(),
  ...requestLength,
});
export type CartInput = z.infer<typeof cartInput>;
export const submitCartInput = cartInput.extend({ justification: createRequestInput.shape.justification });

export type CartOutcome = {
  /** AUTO and APPROVAL can be submitted; the others stop the cart until the item is removed. APPROVAL says who approves, step by step. */
  status: "AUTO" | "APPROVAL" | "BLOCKED" | "HELD" | "PENDING" | "REFUSED";
  text: string;
  /** The pending request that already asks for it. */
  requestId?: string;
  /** Time-bound access already held: approving this extends it from this end. */
  extendsFrom?: Date;
};

type Pair = { personId: string; entitlementId: string };

/**
 * Every (person, entitlement) pair, people in id order so concurrent carts lock people in one order.
 * Anyone the actor may not ask for refuses the whole cart: nothing is said about that person.
 */
async function authorizedPairs(tx: Tx, actor: Actor, input: CartInput): Promise<Pair[]> {
  const people = [...new Set(input.forUserIds?.length ? input.forUserIds : [actor.id])].sort();
  const entitlements = [...new Set(input.entitlementIds)];
  const pairs = people.flatMap((personId) => entitlements.map((entitlementId) => ({ personId, entitlementId })));
  if (pairs.length > MAX_PAIRS) throw new AppError("BAD_REQUEST", `At most ${MAX_PAIRS} requests at once: ask for fewer people or entitlements.`);
  for (const personId of people) await assertMayAskFor(tx, actor, personId);
  return pairs;
}

/** Names for the answer: "App / Entitlement" and each person's name. */
async function labels(tx: Tx, pairs: Pair[]) {
  const [entitlements, people] = await Promise.all([
    tx.entitlement.findMany({ where: { id: { in: pairs.map((p) => p.entitlementId) } }, select: { id: true, name: true, app: { select: { name: true } } } }),
    tx.user.findMany({ where: { id: { in: pairs.map((p) => p.personId) } }, select: { id: true, name: true, email: true } }),
  ]);
  const entitlement = new Map(entitlements.map((e) => [e.id, `${e.app.name} / ${e.name}`]));
  const person = new Map(people.map((u) => [u.id, u.name ?? u.email]));
  return (p: Pair) => ({ ...p, entitlement: entitlement.get(p.entitlementId) ?? "Unknown entitlement", person: person.get(p.personId) ?? "Unknown person" });
}

/** "Manager (Maya Patel), then App owner (Sam Lee)": who approves, step by step. */
async function approvalText(tx: Tx, evaluation: Evaluation): Promise<string> {
  const ids = [...new Set(evaluation.steps.flatMap((s) => s.approvers.map((a) => a.userId)))];
  const names = new Map((await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u.name ?? u.email]));
  const step = (s: Evaluation["steps"][number]) => {
    const who = s.approvers.map((a) => names.get(a.userId) ?? "someone");
    const list = who.length > 3 ? `${s.requireAll ? "all" : "any one"} of ${who.length} people` : who.join(s.requireAll ? " and " : " or ");
    return `${s.label} (${list})`;
  };
  return `Approvers: ${evaluation.steps.map(step).join(", then ")}.`;
}

/** What submitting this pair would do, under the entitlement's own policy, as things stand now. */
async function outcomeOf(tx: Tx, actor: Actor, pair: Pair, input: CartInput): Promise<CartOutcome> {
  const self = pair.personId === actor.id;
  try {
    const person = await tx.user.findUniqueOrThrow({ where: { id: pair.personId }, select: { name: true, lifecycleState: true } });
    if (person.lifecycleState !== "ACTIVE") return { status: "REFUSED", text: `${person.name ?? "This person"} ${person.lifecycleState === "TERMINATED" ? "has left the organisation" : "is on leave"}.` };
    const entitlement = await tx.entitlement.findUnique({ where: { id: pair.entitlementId }, select: { requestable: true } });
    if (!entitlement?.requestable) return { status: "REFUSED", text: "This entitlement cannot be requested any more." };
    const open = await openRequestFor(tx, pair.personId, pair.entitlementId);
    if (open?.status === "PENDING_APPROVAL") return { status: "PENDING", text: self ? "You already asked: your request is pending." : "They already have a pending request.", requestId: open.id };
    if (open) return { status: "HELD", text: self ? "You already have this." : "They already have this." };
    const evaluation = await evaluateRequest(tx, { ...pair, askedById: actor.id, durationDays: lengthInDays(input) });
    if (evaluation.sod.blocking.length) return { status: "BLOCKED", text: `Blocked: ${sodBlockMessage(evaluation.sod.blocking, !self)}` };
    const tooLong = lengthProblem(evaluation, input);
    if (tooLong) return { status: "REFUSED", text: tooLong };
    const held = await tx.grant.findFirst({ where: { userId: pair.personId, entitlementId: pair.entitlementId, status: "PROVISIONED", expiresAt: { not: null } }, select: { expiresAt: true } });
    const extendsFrom = held?.expiresAt ?? undefined;
    if (evaluation.steps.length === 0) return { status: "AUTO", text: "Approved automatically.", extendsFrom };
    return { status: "APPROVAL", text: await approvalText(tx, evaluation), extendsFrom };
  } catch (error) {
    if (error instanceof AppError) return { status: "REFUSED", text: error.message };
    throw error;
  }
}

/** Before submitting: for each (person, entitlement) pair, what its own policy will do with it. */
export async function previewCart(db: Db, actor: Actor, input: CartInput) {
  const parsed = cartInput.parse(input);
  return db.$transaction(
    async (tx) => {
      const pairs = await authorizedPairs(tx, actor, parsed);
      const label = await labels(tx, pairs);
      const items = [];
      for (const pair of pairs) items.push({ ...label(pair), outcome: await outcomeOf(tx, actor, pair, parsed) });
      return { items, ready: items.every((i) => i.outcome.status === "AUTO" || i.outcome.status === "APPROVAL") };
    },
    { timeout: 30_000 },
  );
}

type CartResult = Pair & { entitlement: string; person: string; requestId: string | null; status: "APPROVED" | "PENDING_APPROVAL" | "NOT_SUBMITTED"; problem: string | null };

/** Thrown inside the transaction to roll every request of the cart back, carrying what each pair said. */
class CartRefused extends Error {
  constructor(readonly results: CartResult[]) {
    super("The cart was not submitted.");
  }
}

/**
 * Submits every pair in one transaction. Asking for someone the actor may not ask for is FORBIDDEN.
 * Any other refusal (a leaver, a duplicate, a block, a duration
 * the policy does not allow) rolls them all back: { submitted: false } with each pair's problem, or
 * "not submitted" for those that were fine. On success, each pair's request id and status.
 */
export async function submitCart(db: Db, actor: Actor, input: z.infer<typeof submitCartInput>): Promise<{ submitted: boolean; results: CartResult[] }> {
  const parsed = submitCartInput.parse(input);
  try {
    return await db.$transaction(
      async (tx) => {
        const pairs = await authorizedPairs(tx, actor, parsed);
        const label = await labels(tx, pairs);
        const results: CartResult[] = [];
        for (const pair of pairs) {
          try {
            const request = await submitRequest(tx, { ...pair, askedById: actor.id, justification: parsed.justification, durationDays: parsed.durationDays, endsAt: parsed.endsAt });
            results.push({ ...label(pair), requestId: request.id, status: request.status === "APPROVED" ? "APPROVED" : "PENDING_APPROVAL", problem: null });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            results.push({ ...label(pair), requestId: null, status: "NOT_SUBMITTED", problem: error.message });
          }
        }
        if (results.some((r) => r.problem)) throw new CartRefused(results.map((r) => ({ ...r, requestId: null, status: "NOT_SUBMITTED" })));
        return { submitted: true, results };
      },
      { timeout: 30_000 },
    );
  } catch (error) {
    if (error instanceof CartRefused) return { submitted: false, results: error.results };
    throw error;
  }
}
