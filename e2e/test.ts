import { test as base, type BrowserContext, type Page } from "@playwright/test";

export { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";

/**
 * A page whose `goto` returns once React has hydrated the page (app/_components/hydration-mark.tsx):
 * typing into a server-rendered input before that is lost, and a click on a server-rendered button does
 * nothing, which made tests fail only when the machine was busy.
 */
/** Until React has hydrated the page (`<html data-hydrated>`, app/_components/hydration-mark.tsx). */
export function untilHydrated(page: Page, timeout = 20_000): Promise<void> {
  return page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout });
}

function waitForHydration(page: Page): Page {
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    if (response?.headers()["content-type"]?.includes("text/html")) {
      // A page that is not the portal's (an error page of the server itself) never hydrates: go on.
      await untilHydrated(page).catch(() => console.warn(`[e2e] ${page.url()} did not hydrate within 20 s`));
    }
    return response;
  };
  return page;
}

function hydratingContext(context: BrowserContext): BrowserContext {
  const newPage = context.newPage.bind(context);
  context.newPage = async () => waitForHydration(await newPage());
  return context;
}

// Specs sign several people in at once, each in a context of their own (browser.newContext()). Playwright
// does not close such contexts, and the browser outlives the test, so without this every page a spec ever
// opened stayed open and kept polling the portal: by the end of a suite some 60 live pages slowed it down.
// Contexts a passing test opened are closed when it ends; a failed test's stay open for its screenshots
// and are closed when the next test starts.
export const test = base.extend<{ closeContexts: void }>({
  closeContexts: [
    async ({ browser }, use, testInfo) => {
      for (const leftover of browser.contexts()) await leftover.close().catch(() => undefined);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => hydratingContext(await newContext(options));
      const before = new Set(browser.contexts());
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      if (testInfo.status !== testInfo.expectedStatus) return;
      for (const context of browser.contexts()) if (!before.has(context)) await context.close().catch(() => undefined);
    },
    { auto: true },
  ],
  page: async ({ page }, use) => {
    await use(waitForHydration(page));
  },
});
