import { expect, test } from "./test";
import { shot, signInAs } from "./helpers";

// The one person picker (app/_components/person-search.tsx on the kit's combobox) on a phone: Maya chooses who decides for
// her while she is away, by keyboard, and never finds herself.

test.use({ viewport: { width: 390, height: 844 } });

test("the person picker lists matches, moves with the arrow keys and picks with Enter", async ({ page }) => {
  await signInAs(page, "maya@example.com", "/approvals");
  const picker = page.getByRole("combobox", { name: "Delegate to" });
  const options = page.getByRole("listbox", { name: "Matches for Delegate to" }).getByRole("option");
  const second = options.nth(1);
  // Focus stays in the box; the arrow keys move the highlighted match, which is read out as active.
  // (Typed again if the list was replaced while the keys were pressed: the page refreshes in the background.)
  await expect(async () => {
    await picker.fill("");
    await picker.fill("an");
    await expect(second).toBeVisible({ timeout: 5_000 });
    await picker.press("ArrowDown");
    await picker.press("ArrowDown");
    await expect(second).toHaveAttribute("data-focused", "true", { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await expect(picker).toHaveAttribute("aria-activedescendant", (await second.getAttribute("id"))!);
  const name = (await second.locator("span").first().textContent())!;
  await shot(page, "47-person-picker-phone");

  await picker.press("Enter");
  await expect(page.getByTestId("ooo-delegate-chosen")).toContainText(name);
  await page.getByRole("button", { name: `Delegate to: ${name}. Change` }).click();

  // Nobody can delegate to themselves: the search leaves Maya out.
  await page.getByRole("combobox", { name: "Delegate to" }).fill("maya@example");
  await expect(page.getByRole("listbox", { name: "Matches for Delegate to" })).toContainText("Nobody matches.");
});
