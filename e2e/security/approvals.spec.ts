import { expect, type Page, test } from "../test";
import { as, call, query } from "./trpc";

// Attacks on approvals against the started portal, straight at the tRPC endpoints as the UI calls
// them: one admin walking an admin-access request through its steps by reassigning each to
// themself, and a co-approver of an all-of step handing their row to the approver who already said yes.

type Step = { id: string; position: number; status: string; approverId: string; approver: { email: string } };



const personId = async (page: Page, email: string) => (await query<{ id: string; email: string }[]>(page, "people.search", { q: email })).find((p) => p.email === email)!.id;
const myId = async (page: Page) => ((await (await page.request.get("/api/auth/session")).json()) as { user: { id: string } }).user.id;

/** The requester asks for admin access through the API; returns a reader of the request's steps. */
async function askForAdminAccess(requester: Page, app: string, entitlement: string) {
  const catalog = await query<{ apps: { name: string; entitlements: { id: string; name: string }[] }[] }>(requester, "catalog.search", { q: app });
  const entitlementId = catalog.apps.find((a) => a.name === app)!.entitlements.find((e) => e.name === entitlement)!.id;
  const created = await call(requester, "requests.create", { entitlementId, justification: "Covering the platform on-call rotation.", durationDays: 14 });
  expect(created.status).toBe(200);
  const id = (created.data as { id: string }).id;
  return async () => (await query<{ steps: Step[] }>(requester, "requests.byId", { id })).steps.filter((s) => s.status === "PENDING");
}

test("an admin cannot reassign an admin-access step to themself, nor decide it", async ({ browser }) => {
  const kofi = await as(browser, "kofi@example.com");
  const pending = await askForAdminAccess(kofi, "GitHub", "Org Owner");
  const [manager] = await pending();
  expect(manager!.approver.email).toBe("priya@example.com");

  const admin = await as(browser, "admin@example.com");
  const toSelf = await call(admin, "approvals.reassign", { stepId: manager!.id, toUserId: await myId(admin), reason: "I will take this one myself." });
  expect(toSelf.status).toBe(403);
  expect(toSelf.message).toBe("An admin cannot take over an approval of admin access: hand it to someone else, or ask another admin to hand it to you.");
  const decided = await call(admin, "approvals.decide", { stepId: manager!.id, decision: "APPROVE" });
  expect(decided.status).toBe(403);

  const toRequester = await call(admin, "approvals.reassign", { stepId: manager!.id, toUserId: await personId(admin, "kofi@example.com"), reason: "Kofi knows what he needs." });
  expect(toRequester.status).toBe(400);
  expect(toRequester.message).toBe("Nobody can approve their own request: choose someone else.");
  // Nothing moved: Priya still decides.
  expect((await pending()).map((s) => s.approver.email)).toEqual(["priya@example.com"]);
});

test("a co-approver of an all-of step cannot hand their row to the approver who already approved", async ({ browser }) => {
  const ines = await as(browser, "ines@example.com");
  const pending = await askForAdminAccess(ines, "Salesforce", "System Administrator");
  for (const email of ["priya@example.com", "raj@example.com"]) {
    const approver = await as(browser, email);
    const [step] = await pending();
    expect(step!.approver.email).toBe(email);
    expect((await call(approver, "approvals.decide", { stepId: step!.id, decision: "APPROVE" })).status).toBe(200);
  }
  const security = await pending();
  expect(security.map((s) => s.approver.email).sort()).toEqual(["lena@example.com", "rosa@example.com"]);
  const rosa = await as(browser, "rosa@example.com");
  const rosasRow = security.find((s) => s.approver.email === "rosa@example.com")!;
  expect((await call(rosa, "approvals.decide", { stepId: rosasRow.id, decision: "APPROVE" })).status).toBe(200);

  const lena = await as(browser, "lena@example.com");
  const lenasRow = security.find((s) => s.approver.email === "lena@example.com")!;
  const handed = await call(lena, "approvals.reassign", { stepId: lenasRow.id, toUserId: rosasRow.approverId, reason: "Rosa has this covered." });
  expect(handed.status).toBe(409);
  expect(handed.message).toBe("They already decided the “Security review” step of this request: each step needs a different person, so choose someone else.");
  // Rosa cannot approve a second time; the request still waits for Lena.
  expect((await call(rosa, "approvals.decide", { stepId: lenasRow.id, decision: "APPROVE" })).status).toBe(403);
  expect((await pending()).map((s) => s.approver.email)).toEqual(["lena@example.com"]);
});
