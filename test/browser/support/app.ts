/**
 * What a person does in the web app, through what the page shows (roles and accessible names,
 * as apps/web names them): sign in, go to a page by the main navigation, wait for it to load,
 * and look at it (axe and a screenshot).
 */
import type { Page } from 'playwright-core';
import { checkA11y } from './a11y';
import { linkIn } from './mail';
import type { Mailbox } from './mail';
import { screenshot } from './screenshots';
import type { BrowserStack } from './stack';

/** The main navigation's links, by page. */
export const NAV = {
  myWork: 'My work',
  approvals: 'Approvals',
  incidents: 'Incidents',
  inventory: 'Inventory and cadences',
  dashboard: 'Dashboard',
  settings: 'Settings',
} as const;

/** The one link of a sign-in email: `<public URL>/app/sign-in#link=<token>`. */
export const SIGN_IN_LINK = /\/app\/sign-in#link=[^\s]+$/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A form control's accessible name: its label, with " (required)" when the field is. */
export const fieldName = (label: string): RegExp => new RegExp(`^${escape(label)}( \\(required\\))?$`);

/** Resolves once the page's h1 reads `title` and nothing on it still says "Loading…". */
export async function ready(page: Page, title: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  // The app shows "Loading …" (role status) while a part of the page waits for the API.
  const loading = page.getByRole('status').filter({ hasText: /^Loading/ });
  for (const deadline = Date.now() + 15_000; (await loading.count()) > 0; await page.waitForTimeout(100)) {
    if (Date.now() > deadline) throw new Error(`${page.url()} still loading after 15 s`);
  }
}

/** Every page a test visits: axe finds no serious or critical violation, and its screenshot is written. */
export async function look(page: Page, name: string, pageName = name): Promise<void> {
  await checkA11y(page, pageName);
  await screenshot(page, name);
}

/** Goes to a page by the main navigation (opening the menu first on a phone, where it folds away). */
export async function navigateTo(page: Page, link: (typeof NAV)[keyof typeof NAV]): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const target = nav.getByRole('link', { name: link, exact: true });
  if (!(await target.isVisible())) await page.getByRole('button', { name: 'Menu' }).click();
  await target.click();
}

/** Asks for a sign-in link on the sign-in page already shown; resolves with the emailed link. */
export async function requestSignInLink(page: Page, mailbox: Mailbox): Promise<string> {
  await page.getByRole('textbox', { name: fieldName('Email address') }).fill(mailbox.address);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  const mail = await mailbox.next((m) => m.text.includes('/app/sign-in#link='));
  return linkIn(mail, SIGN_IN_LINK);
}

/** Opens a sign-in link from an email and presses "Sign in" (the link alone, a GET, signs nobody in). */
export async function useSignInLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('heading', { name: 'Sign in with your link' }).waitFor();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs `mailbox`'s person in from the sign-in page by a one-time link from the inbox; resolves on My work. */
export async function signInByEmail(page: Page, stack: BrowserStack, mailbox: Mailbox): Promise<void> {
  await page.goto(stack.appUrl('/app/sign-in'));
  await useSignInLink(page, await requestSignInLink(page, mailbox));
  await page.waitForURL(stack.appUrl('/app/'));
  await ready(page, 'My work');
}

/** Signs in with an API token on the sign-in page; resolves on My work. */
export async function signInWithToken(page: Page, stack: BrowserStack, token: string): Promise<void> {
  await page.goto(stack.appUrl('/app/sign-in'));
  await page.getByLabel(fieldName('API token')).fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.waitForURL(stack.appUrl('/app/'));
  await ready(page, 'My work');
}

/** `GET /auth/session` with the page's cookies: the signed-in person, or undefined (401). */
export async function sessionOf(page: Page, stack: BrowserStack): Promise<{ person: { id: string; email: string } } | undefined> {
  const res = await page.context().request.get(stack.appUrl('/auth/session'));
  if (res.status() === 401) return undefined;
  if (!res.ok()) throw new Error(`GET /auth/session answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as { person: { id: string; email: string } };
}
