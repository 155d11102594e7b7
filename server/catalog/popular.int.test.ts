import { afterAll, beforeAll, expect, it } from "vitest";
import { popularWithTeam } from "@/server/catalog/popular";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Sales: Sam and his five reports. Entitlements held by the most of them come first, with counts;
// what the viewer holds or has asked for is left out, and other departments do not count.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

it("lists what most of the viewer's department holds and the viewer does not, with counts", async () => {
  await demo.db.grant.deleteMany({});
  const hold = async (keys: string[], app: string, name: string, status: "PROVISIONED" | "FAILED" = "PROVISIONED") => {
    const e = await demo.entitlement(app, name);
    for (const k of keys) await demo.db.grant.create({ data: { userId: (await demo.actor(k)).id, entitlementId: e.id, status } });
  };
  await hold(["carla", "ben", "nora"], "salesforce", "Sales User");
  await hold(["carla", "ben"], "salesforce", "Report Builder");
  await hold(["raj", "zoe"], "figma", "Viewer", "FAILED");
  await hold(["erin", "tom", "omar", "lena"], "github", "Developers");
  await hold(["zoe", "carla"], "salesforce", "Read Only");
  const zoe = await demo.actor("zoe");
  const teamSize = await demo.db.user.count({ where: { department: { name: "Sales" }, lifecycleState: "ACTIVE" } });
  expect(await popularWithTeam(demo.db, zoe)).toEqual([
    { id: (await demo.entitlement("salesforce", "Sales User")).id, name: "Sales User", app: "Salesforce", holders: 3, teamSize, department: "Sales" },
    { id: (await demo.entitlement("salesforce", "Report Builder")).id, name: "Report Builder", app: "Salesforce", holders: 2, teamSize, department: "Sales" },
  ]);
  // Admins without a department have no team.
  expect(await popularWithTeam(demo.db, await demo.actor("admin"))).toEqual([]);
});
