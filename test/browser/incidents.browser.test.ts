/**
 * Incidents in Chromium against the real stack: a responder signed in by a one-time link sees
 * an incident whose 72-hour clock breached (detected 80 hours ago) above one detected just now,
 * whose clock counts down live; they open it and acknowledge it. Each page passes axe and is
 * photographed.
 */
import type { Browser, Locator } from 'playwright-core';
import request from 'supertest';
import { bearer, registerPerson, systemBody } from '../e2e/support/fixtures';
import type { RegisteredPerson } from '../e2e/support/fixtures';
import { fieldName, look, navigateTo, NAV, ready, signInByEmail } from './support/app';
import { launchBrowser, personAt } from './support/browser';
import { Mailbox } from './support/mail';
import { BrowserStack, startBrowserStack } from './support/stack';

const HOUR_MS = 3_600_000;

let stack: BrowserStack;
let browser: Browser;
const uniq = Math.random().toString(36).slice(2, 8);
const api = () => request(stack.apiUrl);

let responder: RegisteredPerson;
let systemId: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startBrowserStack(), launchBrowser()]);
  const owner = await registerPerson(stack, 'Olga Owner', 'owner', uniq);
  responder = await registerPerson(stack, 'Rita Responder', 'responder', uniq);
  const system = await api()
    .post('/systems')
    .set({ Authorization: stack.adminAuth })
    .send(
      systemBody({ name: `Support chatbot ${uniq}`, ownerId: owner.id, riskTier: 'limited', lifecycleStage: 'operation_and_monitoring' }),
    );
  expect(system.status).toBe(201);
  systemId = system.body.id;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function openIncident(title: string, detectedAt: Date): Promise<string> {
  const res = await api().post('/incidents').set(bearer(responder.token)).send({
    systemId,
    title,
    description: 'The support chatbot answered one customer with another customer’s postal address.',
    severity: 'high',
    detectedAt: detectedAt.toISOString(),
    responderId: responder.id,
  });
  expect(res.status).toBe(201);
  return res.body.incidentId;
}

/** The remaining time of the first running clock on an incident's card, in seconds ("2 d 23:59:58 left"). */
async function secondsLeft(card: Locator): Promise<number> {
  const text =
    (await card
      .getByText(/\d\d:\d\d:\d\d left/)
      .first()
      .textContent()) ?? '';
  const m = /(?:(\d+) d )?(\d+):(\d\d):(\d\d) left/.exec(text);
  if (!m) throw new Error(`no countdown in "${text}"`);
  return Number(m[1] ?? 0) * 86_400 + Number(m[2]) * 3_600 + Number(m[3]) * 60 + Number(m[4]);
}

it('the breached incident tops the list; the fresh one’s 72-hour clock counts down live; the responder acknowledges it', async () => {
  const breachedTitle = `Chatbot disclosed an address ${uniq}`;
  const freshTitle = `Chatbot quoted a wrong fee ${uniq}`;
  // The fresh one first: the order on the page is the clocks', not the creation's.
  const freshId = await openIncident(freshTitle, new Date(Date.now() - 1_000));
  await openIncident(breachedTitle, new Date(Date.now() - 80 * HOUR_MS));

  const { context, page } = await personAt(browser);
  await signInByEmail(page, stack, await Mailbox.open(stack.inbox, responder.email));
  await navigateTo(page, NAV.incidents);
  await ready(page, 'Incidents');
  const cards = page.getByRole('list', { name: 'Open incidents' }).getByRole('article');
  await cards.nth(1).waitFor();
  expect(await cards.count()).toBe(2);
  await expectName(cards.nth(0), breachedTitle);
  await cards.nth(0).getByText('Breached', { exact: true }).first().waitFor();
  await expectName(cards.nth(1), freshTitle);

  const fresh = page.getByRole('article', { name: freshTitle });
  const first = await secondsLeft(fresh);
  expect(first).toBeLessThanOrEqual(72 * 3_600);
  expect(first).toBeGreaterThan(71 * 3_600);
  await page.waitForTimeout(2_500);
  const second = await secondsLeft(fresh);
  // Two reads 2.5 s apart: the clock went down by about that much, with no reload.
  expect(second).toBeLessThan(first);
  expect(first - second).toBeLessThanOrEqual(5);
  await look(page, 'incidents', 'Incidents');

  await fresh.getByRole('link', { name: freshTitle }).click();
  await page.waitForURL(stack.appUrl(`/app/incidents/${freshId}`));
  await ready(page, freshTitle);
  await look(page, 'incident', 'an incident');
  const acknowledge = page.getByRole('form', { name: 'Acknowledge' });
  await acknowledge.getByRole('textbox', { name: fieldName('Note (optional)') }).fill('On it.');
  await acknowledge.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await expectEventually(async () => {
    const res = await api().get(`/incidents/${freshId}`).set(bearer(responder.token));
    return typeof res.body.acknowledgedAt === 'string';
  }, 'the incident acknowledged');
  await context.close();
});

async function expectName(card: Locator, title: string): Promise<void> {
  expect(await card.getByRole('heading').first().textContent()).toBe(title);
}

async function expectEventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
