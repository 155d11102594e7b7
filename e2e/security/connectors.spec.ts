import { expect, test } from "../test";
import { signInAs } from "../helpers";

// Connector health (/admin/connectors): only admins may see it or make the portal call a target with
// "Retry now"; bad input is a 400-class answer, never a 500.

test.describe("connector health", () => {
  test("a non-admin can neither read connector health nor trigger Retry now", async ({ page }) => {
    await signInAs(page, "erin@example.com");
    const read = await page.request.get("/api/trpc/provisioning.connectors");
    expect(read.status()).toBe(403);
    const retry = await page.request.post("/api/trpc/provisioning.retryConnector", { data: { json: { connectorId: "anything" } } });
    expect(retry.status()).toBe(403);
    const pageAnswer = await page.request.get("/admin/connectors");
    expect(await pageAnswer.text()).not.toContain("Retry now");
  });

  test("an admin gets a clear 4xx for an unknown or malformed connector id, and the health list otherwise", async ({ page }) => {
    await signInAs(page, "admin@example.com");
    for (const json of [{ connectorId: "does-not-exist" }, { connectorId: "" }, { connectorId: "x".repeat(5000) }, {}]) {
      const res = await page.request.post("/api/trpc/provisioning.retryConnector", { data: { json } });
      expect(res.status(), JSON.stringify(json).slice(0, 60)).toBeGreaterThanOrEqual(400);
      expect(res.status()).toBeLessThan(500);
      expect(await res.text()).not.toMatch(/at \w+ \(|node_modules/);
    }
    const list = await page.request.get("/api/trpc/provisioning.connectors");
    expect(list.status()).toBe(200);
    const rows = ((await list.json()) as { result: { data: { json: Array<{ app: { name: string }; grantsWaiting: number }> } } }).result.data.json;
    expect(rows.map((r) => r.app.name)).toContain("GitHub");
  });
});
