import { TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { Actor } from "@/server/actor";
import { setLifecycleState, updatePersonAttributes } from "@/server/lifecycle/admin";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// An admin's edit of a person's attributes on the people page: applied through applyHrRecords like the
// HR feeds, so a new department, title, location or manager is a mover.

let demo: DemoDatabase;
let admin: Actor;

beforeAll(async () => {
  demo = await demoDatabase();
  admin = await demo.actor("admin");
}, 60_000);

afterAll(async () => demo?.close());

const person = (email: string) => demo.db.user.findUniqueOrThrow({ where: { email }, include: { manager: true, department: true } });
const audits = (userId: string, action: string) => demo.db.auditEvent.findMany({ where: { objectId: userId, action }, orderBy: { seq: "asc" } });
async function outbox(name: string, userId: string) {
  const rows = await demo.db.outboxEvent.findMany({ where: { name }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => r.data as Record<string, unknown>).filter((d) => d.userId === userId);
}
/** The field errors a ZodError carries, by field. */
async function fieldErrors(promise: Promise<unknown>): Promise<Record<string, string[] | undefined>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZodError);
  return z.flattenError(error as ZodError).fieldErrors as Record<string, string[] | undefined>;
}

describe("an admin edits a person", () => {
  it("moves them to another department: person.moved with before and after, a mover event, and their new manager told", async () => {
    const ana = await person("ana@example.com");
    const maya = await person("maya@example.com");
    const caller = createCaller({ db: demo.db, actor: admin });
    const row = await caller.people.update({ userId: ana.id, department: "Engineering", title: "Frontend Engineer", managerId: maya.id, location: "Lisbon" });
    expect(row).toMatchObject({ outcome: "updated", userId: ana.id, events: ["person.moved"] });
    expect(row.message).toMatch(/department Design → Engineering/);
    expect(row.message).toMatch(/manager jonas@example.com → maya@example.com/);

    const after = await person("ana@example.com");
    expect(after).toMatchObject({ title: "Frontend Engineer", location: "Lisbon", lifecycleState: "ACTIVE", name: "Ana Costa" });
    expect(after.department?.name).toBe("Engineering");
    expect(after.manager?.email).toBe("maya@example.com");

    const [moved] = await audits(ana.id, "person.moved");
    expect(moved).toMatchObject({ actorId: admin.id, reason: "admin action" });
    expect(moved?.before).toEqual({ title: "Product Designer", department: "Design", location: null, manager: "jonas@example.com" });
    expect(moved?.after).toEqual({ title: "Frontend Engineer", department: "Engineering", location: "Lisbon", manager: "maya@example.com" });
    expect(await outbox("lifecycle/person.changed", ana.id)).toEqual([{ userId: ana.id, change: "mover" }]);
    const [notify] = await outbox("lifecycle/mover.notify-manager", ana.id);
    expect(notify).toMatchObject({ userId: ana.id, managerId: maya.id });
    expect(notify?.changes).toContainEqual({ field: "department", before: "Design", after: "Engineering" });
  });

  it("corrects a name or employee id without a mover, and clears an attribute left empty", async () => {
    const felix = await person("felix@example.com");
    const row = await updatePersonAttributes(demo.db, admin, { userId: felix.id, name: "Felix A. Wagner", employeeId: "E-4711" });
    expect(row).toMatchObject({ outcome: "updated", events: [] });
    expect((await audits(felix.id, "user.updated"))[0]?.after).toEqual({ name: "Felix A. Wagner", employeeId: "E-4711" });
    expect(await audits(felix.id, "person.moved")).toHaveLength(0);
    expect(await outbox("lifecycle/person.changed", felix.id)).toEqual([]);

    await updatePersonAttributes(demo.db, admin, { userId: felix.id, location: "Porto" });
    const cleared = await updatePersonAttributes(demo.db, admin, { userId: felix.id, location: "  " });
    expect(cleared.message).toBe("Location cleared (was Porto).");
    expect((await person("felix@example.com")).location).toBeNull();
    expect(await updatePersonAttributes(demo.db, admin, { userId: felix.id, name: "Felix A. Wagner" })).toMatchObject({ outcome: "unchanged", message: "No changes." });
  });

  it("keeps the lifecycle state as it is", async () => {
    const grace = await person("grace@example.com");
    await setLifecycleState(demo.db, admin, { userId: grace.id, state: "LEAVE", reason: "Sabbatical until June" });
    const row = await updatePersonAttributes(demo.db, admin, { userId: grace.id, title: "Senior Brand Designer" });
    expect(row).toMatchObject({ outcome: "updated", events: ["person.moved"] });
    expect(await person("grace@example.com")).toMatchObject({ lifecycleState: "LEAVE", title: "Senior Brand Designer" });
  });

  it("answers problems as the fields' errors", async () => {
    const jade = await person("jade@example.com");
    const felix = await person("felix@example.com");
    const zoe = await person("zoe@example.com");
    expect((await fieldErrors(updatePersonAttributes(demo.db, admin, { userId: jade.id, managerId: jade.id }))).managerId).toEqual([
      "A person cannot be their own manager: pick someone else.",
    ]);
    expect((await fieldErrors(updatePersonAttributes(demo.db, admin, { userId: jade.id, employeeId: "E-4711" }))).employeeId).toEqual([
      "The employee id E-4711 already belongs to felix@example.com.",
    ]);
    // Through the API too: BAD_REQUEST with the field errors the form shows, not an error on our side.
    const viaApi = await createCaller({ db: demo.db, actor: admin })
      .people.update({ userId: jade.id, employeeId: "E-4711" })
      .then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
    expect(viaApi?.code).toBe("BAD_REQUEST");
    expect(viaApi?.cause).toBeInstanceOf(ZodError);
    expect(z.flattenError(viaApi?.cause as ZodError).fieldErrors).toEqual({ employeeId: ["The employee id E-4711 already belongs to felix@example.com."] });
    expect((await fieldErrors(updatePersonAttributes(demo.db, admin, { userId: jade.id, name: " ", title: "x".repeat(201) })))).toMatchObject({
      name: ["Enter their name: it can be changed but not left empty."],
      title: ["The title must be at most 200 characters."],
    });
    await setLifecycleState(demo.db, admin, { userId: zoe.id, state: "TERMINATED", reason: "Contract ended" });
    expect((await fieldErrors(updatePersonAttributes(demo.db, admin, { userId: jade.id, managerId: zoe.id }))).managerId).toEqual([
      "Zoe Martin has left the organisation: pick an active manager.",
    ]);
    // A manager change that would make the org chart loop is refused by the same check as the feeds'.
    const jonas = await person("jonas@example.com");
    await expect(updatePersonAttributes(demo.db, admin, { userId: jonas.id, managerId: jade.id })).rejects.toThrow(/jade@example.com reports \(directly or not\) to jonas@example.com/);
    expect((await person("jade@example.com")).manager?.email).toBe("jonas@example.com");
    expect((await person("felix@example.com")).employeeId).toBe(felix.employeeId);
  });

  it("says NOT_FOUND for a person who does not exist", async () => {
    const caller = createCaller({ db: demo.db, actor: admin });
    await expect(caller.people.update({ userId: "no-such-person", title: "Ghost" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is refused to anyone but an admin, changing nothing", async () => {
    const ines = await person("ines@example.com");
    const priya = await demo.actor("priya");
    await expect(updatePersonAttributes(demo.db, priya, { userId: ines.id, department: "Sales" })).rejects.toThrow("Only admins can change a person's attributes.");
    const refused = await createCaller({ db: demo.db, actor: priya })
      .people.update({ userId: ines.id, department: "Sales" })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");
    expect((await person("ines@example.com")).department?.name).toBe("Finance");
    expect(await audits(ines.id, "person.moved")).toHaveLength(0);
    expect(await outbox("lifecycle/person.changed", ines.id)).toEqual([]);
  });
});
