import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z, type ZodError } from "zod";
import { createCaller } from "@/server/api/root";
import type { Actor } from "@/server/actor";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// people.search, the one search behind every person picker: what each scope lists, and to whom.

let demo: DemoDatabase;
let erin: Actor;
let admin: Actor;
const emails = (people: { email: string }[]) => people.map((p) => p.email);

beforeAll(async () => {
  demo = await demoDatabase();
  erin = await demo.actor("erin");
  admin = await demo.actor("admin");
  // Yuki has left; Tom is on leave (he can still be handed things when he is back).
  await demo.db.user.update({ where: { email: "yuki@example.com" }, data: { lifecycleState: "TERMINATED" } });
  await demo.db.user.update({ where: { email: "tom@example.com" }, data: { lifecycleState: "LEAVE" } });
});
afterAll(async () => demo?.close());

describe("people.search", () => {
  it("lists colleagues who have not left, by name or email, without their lifecycle state", async () => {
    const search = createCaller({ db: demo.db, actor: erin }).people.search;
    const byName = await search({ q: "maya" });
    expect(byName).toEqual([{ id: expect.any(String), name: "Maya Chen", email: "maya@example.com", title: "Engineering Manager" }]);
    expect(emails(await search({ q: "TOM@example" }))).toEqual(["tom@example.com"]);
    expect(await search({ q: "yuki" })).toEqual([]);
  });

  it("leaves the searcher out unless the picker asks to include them", async () => {
    const search = createCaller({ db: demo.db, actor: erin }).people.search;
    expect(await search({ q: "erin" })).toEqual([]);
    expect(emails(await search({ q: "erin", includeMe: true }))).toEqual(["erin@example.com"]);
  });

  it("matches % and _ literally, and caps a search at 20 people in name order", async () => {
    const search = createCaller({ db: demo.db, actor: admin }).people.search;
    expect(await search({ q: "%" })).toEqual([]);
    const everyone = await search({ q: "" });
    expect(everyone).toHaveLength(20);
    const names = everyone.map((p) => p.name ?? "");
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
  });

  it("gives admins the whole directory, leavers included, with each person's state", async () => {
    const search = createCaller({ db: demo.db, actor: admin }).people.search;
    expect(await search({ q: "yuki", scope: "directory" })).toEqual([
      { id: expect.any(String), name: "Yuki Tanaka", email: "yuki@example.com", title: "QA Engineer", lifecycleState: "TERMINATED" },
    ]);
    expect(emails(await search({ q: "alex", scope: "directory", includeMe: true }))).toEqual(["admin@example.com"]);
  });

  it("refuses the directory to anyone but an admin, and says why", async () => {
    const search = createCaller({ db: demo.db, actor: erin }).people.search;
    await expect(search({ q: "yuki", scope: "directory" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Only admins can search the whole directory, leavers included.",
    });
  });

  it("refuses a search over 100 characters with a clear message", async () => {
    const search = createCaller({ db: demo.db, actor: erin }).people.search;
    const error = await search({ q: "x".repeat(101) }).then(() => null, (e: unknown) => e as TRPCError);
    expect(error?.code).toBe("BAD_REQUEST");
    expect(z.flattenError(error?.cause as ZodError).fieldErrors).toEqual({ q: ["Keep the search under 100 characters."] });
  });
});
