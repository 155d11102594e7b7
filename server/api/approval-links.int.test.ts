import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { Actor } from "@/server/actor";
import { APPROVAL_LINK_TTL_MS, issueApprovalTokens } from "@/server/approvals/tokens";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The emailed approval link through the API (approvals.link, approvals.decideByLink), as the
// /approve/<token> page uses it: only the link's approver sees the request or decides, once, before it
// expires; calls over HTTP are rate limited per address like the page.

process.env.APPROVAL_LINK_LIMIT_PER_MINUTE = "3";

let demo: DemoDatabase;
let erin: Actor;
let maya: Actor;
let sam: Actor;
beforeAll(async () => {
  demo = await demoDatabase();
  [erin, maya, sam] = await Promise.all([demo.actor("erin"), demo.actor("maya"), demo.actor("sam")]);
});
afterAll(async () => demo?.close());

const as = (actor: Actor | null, clientAddress?: string) => createCaller({ db: demo.db, actor, clientAddress });

/** A new request by Erin for an entitlement of `app`, and the emailed links of its first step (Maya's). */
async function linksForNewRequest(app: string, entitlement: string, issuedAt = new Date()) {
  const { id } = await createRequest(demo.db, erin, { entitlementId: (await demo.entitlement(app, entitlement)).id, justification: "Reviewing the payments code." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id }, orderBy: { position: "asc" } });
  expect(step.approverId).toBe(maya.id);
  return { requestId: id, ...(await issueApprovalTokens(demo.db, step, issuedAt)) };
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => "ok", (e: unknown) => (e instanceof TRPCError ? e.code : Promise.reject(e)));

describe("an approval link through the API", () => {
  it("shows the request to its approver only; anyone else learns whose link it is, nothing more", async () => {
    const { deny } = await linksForNewRequest("github", "Developers");
    expect(await as(maya).approvals.link({ token: deny })).toMatchObject({
      ok: true,
      action: "DENY",
      step: { position: 0, label: expect.any(String) },
      requester: { name: "Erin Walsh", email: erin.email, department: "Engineering" },
      access: { app: "GitHub", entitlement: "Developers" },
      justification: "Reviewing the payments code.",
    });
    expect(await as(sam).approvals.link({ token: deny })).toEqual({ ok: false, problem: "wrong-user" });
    expect(await as(sam).approvals.link({ token: `${deny}x` })).toEqual({ ok: false, problem: "invalid" });
    expect(await codeOf(as(null).approvals.link({ token: deny }))).toBe("UNAUTHORIZED");
    // Sam cannot use it either, and his try does not spend it.
    expect(await codeOf(as(sam).approvals.decideByLink({ token: deny }))).toBe("FORBIDDEN");
    await as(maya).approvals.decideByLink({ token: deny, comment: "Not this quarter." });
  });

  it("decides once: the link is then spent, and the step's other link finds the request decided", async () => {
    const { requestId, approve, deny } = await linksForNewRequest("figma", "Viewer");
    // A denial needs a reason for the requester; without one the link is refused and stays unspent.
    expect(await codeOf(as(maya).approvals.decideByLink({ token: deny, comment: "  no " }))).toMatch(/BAD_REQUEST/);
    expect(await as(maya).approvals.link({ token: deny })).toMatchObject({ ok: true, action: "DENY" });
    expect(await as(maya).approvals.decideByLink({ token: deny, comment: "Use the shared viewer account." })).toEqual({ requestId, status: "DENIED" });
    expect(await demo.db.accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "DENIED" });
    // What the page shows right after: the decision this link made.
    expect(await as(maya).approvals.link({ token: deny })).toEqual({ ok: false, problem: "used", action: "DENY" });
    expect(await codeOf(as(maya).approvals.decideByLink({ token: deny }))).toBe("CONFLICT");
    expect(await as(maya).approvals.link({ token: approve })).toEqual({ ok: false, problem: "decided" });
    expect(await codeOf(as(maya).approvals.decideByLink({ token: approve }))).toBe("CONFLICT");
  });

  it("stops working once it has expired", async () => {
    const { requestId, approve } = await linksForNewRequest("figma", "Editor", new Date(Date.now() - APPROVAL_LINK_TTL_MS - 60_000));
    expect(await as(maya).approvals.link({ token: approve })).toEqual({ ok: false, problem: "expired" });
    expect(await codeOf(as(maya).approvals.decideByLink({ token: approve }))).toBe("FORBIDDEN");
    expect(await demo.db.accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "PENDING_APPROVAL" });
  });

  it("counts calls over HTTP per address, as the /approve pages are counted", async () => {
    const { approve } = await linksForNewRequest("salesforce", "Sales User");
    const fromHttp = as(maya, "198.51.100.7");
    for (let i = 0; i < 3; i++) expect(await fromHttp.approvals.link({ token: approve })).toMatchObject({ ok: true });
    expect(await codeOf(fromHttp.approvals.link({ token: approve }))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(fromHttp.approvals.decideByLink({ token: approve }))).toBe("TOO_MANY_REQUESTS");
    // Another address has its own count; the page's own server-side calls were counted by proxy.ts.
    expect(await as(maya, "198.51.100.8").approvals.link({ token: approve })).toMatchObject({ ok: true });
    expect(await as(maya).approvals.link({ token: approve })).toMatchObject({ ok: true });
    expect(await demo.db.approvalToken.count({ where: { usedAt: { not: null }, step: { request: { entitlement: { app: { slug: "salesforce" } } } } } })).toBe(0);
  });
});
