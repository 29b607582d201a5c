/**
 * The browser the layer drives (Chromium through playwright-core) and a fresh context per
 * person: cookies, and so sessions, belong to a context, so two people never share one.
 */
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { findChromium } from './chromium';

/** A laptop screen: the size the pages' screenshots are taken at. */
export const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

/** A phone (a Pixel 7's CSS size): touch, mobile layout. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 412, height: 839 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export async function launchBrowser(): Promise<Browser> {
  // We run as root in CI and containers, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
}

/** One person at their own device: a fresh context (own cookies) and a page in it. */
export async function personAt(
  browser: Browser,
  device: BrowserContextOptions = LAPTOP,
  from?: BrowserContext,
): Promise<{ context: BrowserContext; page: Page }> {
  // `from`: the same person on another device, signed in with the same session cookie.
  const context = await browser.newContext({
    ...device,
    locale: 'en-GB',
    timezoneId: 'UTC',
    ...(from ? { storageState: await from.storageState() } : {}),
  });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}
