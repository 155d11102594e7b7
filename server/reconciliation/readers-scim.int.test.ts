import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { ConnectorError } from "@/server/connectors/errors";
import { readerFor } from "./readers";
import type { TargetAccount, TargetGroup, TargetMembership, TargetReader } from "./types";

// Reading a real (demo) SCIM target over HTTP: thousands of users across pages, groups and their members,
// and the retry rules a provisioning step follows.

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const USERS = 3_500;

let target: ScimServer;
let ids: string[];

beforeAll(async () => {
  target = await startScimServer({ token: "secret" });
  const users = Array.from({ length: USERS }, (_, i) => ({
    userName: `user${i}@example.com`,
    externalId: `portal-${i}`,
    active: i % 7 !== 0,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    title: i % 2 ? "Engineer" : "Designer",
    displayName: `Given${i} Family${i}`,
    emails: [{ value: `other${i}@example.org`, type: "home" }, { value: `work${i}@example.com`, type: "work", primary: true }],
    [ENTERPRISE]: { department: `Dept ${i % 5}`, manager: { value: "boss-1" } },
  }));
  ids = target.state.load({ users }).users.map((user) => user.id);
  target.state.load({
    groups: [
      { displayName: "Big", members: ids.slice(0, 3_000) },
      { displayName: "Small", members: [ids[3_400]!] },
      { displayName: "Empty" },
    ],
  });
});
afterAll(() => target?.stop());
afterEach(() => {
  target.faults.clear();
  vi.restoreAllMocks();
});

function reader(options: { token?: string; baseUrl?: string; maxAttempts?: number; retryableStatuses?: number[] } = {}): TargetReader {
  const readable = readerFor({
    id: "c1",
    method: "SCIM",
    config: { baseUrl: options.baseUrl ?? target.baseUrl, token: options.token ?? "secret" },
    maxAttempts: options.maxAttempts ?? 3,
    backoffMs: 5,
    retryableStatuses: options.retryableStatuses ?? [],
  });
  if (!readable.readable) throw new Error(readable.reason);
  return readable.reader;
}

async function all<T>(pages: AsyncIterable<T[]>): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = [];
  const sizes: number[] = [];
  for await (const page of pages) {
    items.push(...page);
    sizes.push(page.length);
  }
  return { items, sizes };
}

const userRequests = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.filter(([url]) => String(url).includes("/Users?")).length;

describe("reading a SCIM target", () => {
  it("pages every user exactly once, flattened as the account template names attributes", async () => {
    const { items, sizes } = await all(reader().accounts());
    expect(sizes).toEqual([1000, 1000, 1000, 500]);
    expect(new Set(items.map((account) => account.id)).size).toBe(USERS);
    expect(items.map((account) => account.id).sort()).toEqual([...ids].sort());
    const byName = new Map(items.map((account) => [account.name, account]));
    expect(byName.get("user1@example.com")).toEqual<TargetAccount>({
      id: ids[1]!,
      name: "user1@example.com",
      email: "work1@example.com",
      externalId: "portal-1",
      active: true,
      attributes: {
        "name.givenName": "Given1",
        "name.familyName": "Family1",
        displayName: "Given1 Family1",
        email: "work1@example.com",
        title: "Engineer",
        department: "Dept 1",
        manager: "boss-1",
      },
      lastModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(byName.get("user7@example.com")?.active).toBe(false);
    expect(items.filter((account) => !account.active)).toHaveLength(Math.ceil(USERS / 7));
  });

  it("follows a target whose pages are smaller than asked for", async () => {
    const small = await startScimServer({ token: "secret", maxPageSize: 300 });
    try {
      small.state.load({ users: Array.from({ length: 1_000 }, (_, i) => ({ userName: `u${i}@example.com` })) });
      const { items, sizes } = await all(reader({ baseUrl: small.baseUrl }).accounts());
      expect(sizes).toEqual([300, 300, 300, 100]);
      expect(new Set(items.map((account) => account.name)).size).toBe(1_000);
    } finally {
      await small.stop();
    }
  });

  it("lists groups and reads the members of a 3,000-member group", async () => {
    const source = reader();
    const { items: groups } = await all(source.groups());
    expect(groups.map((group) => group.name).sort()).toEqual(["Big", "Empty", "Small"]);
    const { items: memberships } = await all(source.memberships(groups));
    const big = groups.find((group) => group.name === "Big")!;
    const small = groups.find((group) => group.name === "Small")!;
    expect(memberships.filter((m) => m.groupId === big.id).map((m) => m.memberId).sort()).toEqual(ids.slice(0, 3_000).sort());
    expect(memberships.filter((m) => m.groupId === small.id)).toEqual<TargetMembership[]>([{ groupId: small.id, memberId: ids[3_400]! }]);
    expect(memberships).toHaveLength(3_001);
  });

  it("skips a group deleted between listing and reading its members", async () => {
    const gone: TargetGroup = { id: "no-such-group", name: "Gone" };
    expect((await all(reader().memberships([gone]))).items).toEqual([]);
  });

  it("retries a page that fails with 503, then reads on without losing or repeating a user", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const seen: string[] = [];
    for await (const page of reader().accounts()) {
      seen.push(...page.map((account) => account.id));
      // Fail the next page once: it is asked for again.
      if (seen.length === 1000) target.faults.inject({ kind: "unavailable", method: "GET", path: "/Users" });
    }
    expect(seen).toHaveLength(USERS);
    expect(new Set(seen).size).toBe(USERS);
    expect(userRequests(fetchSpy)).toBe(5);
  });

  it("gives up after maxAttempts with the target's own error", async () => {
    target.faults.inject({ kind: "unavailable", times: 5, method: "GET", path: "/Users" });
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const error = await all(reader({ maxAttempts: 3 }).accounts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).message).toMatch(/SCIM target answered 503 Service Unavailable on GET \/Users/);
    expect(userRequests(fetchSpy)).toBe(3);
  });

  it("does not retry a 401, and says the token was refused", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const error = await all(reader({ token: "wrong", maxAttempts: 5 }).accounts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).message).toBe("SCIM target answered 401 Unauthorized on GET /Users: Missing or invalid bearer token");
    expect(userRequests(fetchSpy)).toBe(1);
  });

  it("retries a status the connector lists as retryable", async () => {
    target.faults.inject({ kind: "conflict", method: "GET", path: "/Groups" });
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const { items } = await all(reader({ retryableStatuses: [409] }).groups());
    expect(items).toHaveLength(3);
    expect(fetchSpy.mock.calls.filter(([url]) => String(url).includes("/Groups?"))).toHaveLength(2);
  });
});

describe("targets that cannot be read", () => {
  const connector = { id: "c", config: {}, maxAttempts: 1, backoffMs: 0, retryableStatuses: [] };

  it.each([
    ["WEBHOOK", /^Webhook targets cannot be read: the portal only knows what it sent/],
    ["JIRA", /^Jira cannot be read/],
    ["SERVICENOW", /^ServiceNow cannot be read/],
    ["MANUAL", /^Manual steps cannot be read/],
  ] as const)("%s says why", (method, reason) => {
    const readable = readerFor({ ...connector, method });
    expect(readable.readable).toBe(false);
    expect(!readable.readable && readable.reason).toMatch(reason);
  });

  it("names the setting to fix when a connector's settings do not parse", () => {
    const readable = readerFor({ ...connector, method: "SCIM", config: { baseUrl: "not a url" } });
    expect(readable).toEqual({ readable: false, reason: expect.stringMatching(/settings are not valid.*baseUrl: Enter the SCIM base URL.*token/) });
  });
});
