/**
 * The web app is served by the API itself at /app/ and is accessible before anyone signs in:
 * a fresh browser lands on the sign-in page (axe: no serious or critical violation).
 */
import type { Browser } from 'playwright-core';
import { checkA11y } from './support/a11y';
import { launchBrowser, personAt } from './support/browser';
import { screenshot } from './support/screenshots';
import { BrowserStack, startBrowserStack } from './support/stack';

let stack: BrowserStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startBrowserStack(), launchBrowser()]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

it('/app/ answers the app, which asks a stranger to sign in; the page passes axe', async () => {
  const { context, page } = await personAt(browser);
  const res = await page.goto(stack.appUrl('/app/'));
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-type']).toMatch(/^text\/html/);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await checkA11y(page, 'the app at /app/');
  await screenshot(page, 'app-shell');
  await context.close();
});
