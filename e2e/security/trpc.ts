import { type Browser, expect, type Page } from "@playwright/test";
import { signInAs } from "../helpers";

// The attack specs call the tRPC endpoints as the UI does (superjson's `{ json }` envelope), signed
// in as whoever they play.

/** A mutation: its HTTP status, its result, or the error message a person would be shown. */
export async function call<T = unknown>(page: Page, path: string, json: unknown) {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json } });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  return { status: response.status(), data: body.result?.data.json as T, message: body.error?.json.message };
}

/** A query that must succeed; returns its result. */
export async function query<T>(page: Page, path: string, json?: unknown): Promise<T> {
  const input = json === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json }))}`;
  const response = await page.request.get(`/api/trpc/${path}${input}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** A page of its own browser context, signed in as `email`. */
export async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email);
  return page;
}
