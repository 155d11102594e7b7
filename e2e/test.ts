import { test as base } from "@playwright/test";

export { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";

// Specs sign several people in at once, each in a context of their own (browser.newContext()). Playwright
// does not close such contexts, and the browser outlives the test, so without this every page a spec ever
// opened stayed open and kept polling the portal: by the end of a suite some 60 live pages slowed the server
// and its engine enough to time tests out. Contexts a passing test opened are closed when it ends; a failed
// test's stay open for its screenshots and are closed when the next test starts.
export const test = base.extend<{ closeContexts: void }>({
  closeContexts: [
    async ({ browser }, use, testInfo) => {
      for (const leftover of browser.contexts()) await leftover.close().catch(() => undefined);
      const before = new Set(browser.contexts());
      await use();
      if (testInfo.status !== testInfo.expectedStatus) return;
      for (const context of browser.contexts()) if (!before.has(context)) await context.close().catch(() => undefined);
    },
    { auto: true },
  ],
});
