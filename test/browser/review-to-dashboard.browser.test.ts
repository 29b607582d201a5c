/**
 * A quarterly review from the owner's email to management's dashboard, in Chromium against
 * the real stack: the owner opens the link of the email received over SMTP, signs in with a
 * one-time link from the inbox, fills the review form and submits; the governance lead finds
 * it on Approvals (never their own submission) and approves it; management's dashboard then
 * reads this quarter's review coverage as 100%. A used sign-in link is refused. Every page
 * visited passes axe and is photographed (laptop; My work and the task on a phone too).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { quarterOf } from '../../libs/domain';
import { bearer, registerPerson, systemBody } from '../e2e/support/fixtures';
import type { RegisteredPerson } from '../e2e/support/fixtures';
import {
  fieldName,
  look,
  navigateTo,
  NAV,
  ready,
  requestSignInLink,
  sessionOf,
  signInByEmail,
  signInWithToken,
  useSignInLink,
} from './support/app';
import { launchBrowser, personAt, PHONE } from './support/browser';
import { linkIn, Mailbox } from './support/mail';
import { BrowserStack, startBrowserStack } from './support/stack';
import { fillRequiredFields } from './support/work-form';
import type { FormDefinition } from './support/work-form';

let stack: BrowserStack;
let browser: Browser;
const uniq = Math.random().toString(36).slice(2, 8);
const api = () => request(stack.apiUrl);
const admin = () => ({ Authorization: stack.adminAuth });

let manager: RegisteredPerson;
let owner: RegisteredPerson;
let lead: RegisteredPerson;
let ownerMail: Mailbox;
let leadMail: Mailbox;

/** The owner's browser once signed in (kept for the phone and the refused link). */
let ownerAt: { context: BrowserContext; page: Page };
let taskId: string;
let taskTitle: string;
let taskPath: string;
let usedSignInLink: string;
/** The title of the lead's own submitted work (a policy review). */
let leadsOwnTitle: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startBrowserStack(), launchBrowser()]);
  manager = await registerPerson(stack, 'Mona Manager', 'management', uniq);
  owner = await registerPerson(stack, 'Otto Owner', 'owner', uniq, manager.id);
  lead = await registerPerson(stack, 'Greta Lead', 'governance_lead', uniq);
  [ownerMail, leadMail] = await Promise.all([Mailbox.open(stack.inbox, owner.email), Mailbox.open(stack.inbox, lead.email)]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

it("the owner's email about their quarterly review links to the work's page, with no secret in the link", async () => {
  const registered = await api()
    .post('/systems')
    .set(admin())
    .send(systemBody({ name: `Credit scoring ${uniq}`, ownerId: owner.id, riskTier: 'high', lifecycleStage: 'operation_and_monitoring' }));
  expect(registered.status).toBe(201);
  const systemId: string = registered.body.id;
  const trig = await api().post(`/cadences/high-risk-review:${systemId}/trigger`).set(admin());
  expect(trig.status).toBe(200);
  const period = quarterOf(new Date(), 'UTC').key;
  taskId = trig.body.taskId;
  expect(taskId).toBe(`high-risk-review:${systemId}:${period}`);
  const task = await api()
    .get(`/tasks/${encodeURIComponent(taskId)}`)
    .set(admin());
  taskTitle = task.body.title;

  const mail = await ownerMail.next((m) => m.text.includes(taskId) || m.subject.includes(`High-risk review ${period}`));
  taskPath = `/app/tasks/${encodeURIComponent(taskId)}`;
  // Exactly the page: no query, no fragment, nothing that signs anyone in.
  expect(linkIn(mail, /\/app\/tasks\//)).toBe(stack.appUrl(taskPath));
});

it('opened signed out, the link asks for sign-in; a one-time link from the inbox signs the owner in on that task', async () => {
  ownerAt = await personAt(browser);
  const { page } = ownerAt;
  // The API itself answers the app's page (one port), which then asks who this is.
  const res = await page.goto(stack.appUrl(taskPath));
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-type']).toMatch(/^text\/html/);
  await page.waitForURL((url) => url.pathname === '/app/sign-in' && url.searchParams.get('next') === taskPath);
  await ready(page, 'Sign in');
  await look(page, 'sign-in', 'sign-in page');

  usedSignInLink = await requestSignInLink(page, ownerMail);
  await look(page, 'sign-in-sent', 'sign-in page, link sent');
  // The link carries its token in the fragment, never in the path or query a server logs.
  expect(new URL(usedSignInLink).pathname).toBe('/app/sign-in');
  expect(new URL(usedSignInLink).search).toBe('');

  await page.goto(usedSignInLink);
  await page.getByRole('heading', { name: 'Sign in with your link' }).waitFor();
  // Opening the link (a GET, as a mail scanner does) signs nobody in: the button does.
  expect(await sessionOf(page, stack)).toBeUndefined();
  await look(page, 'sign-in-link', 'sign-in page with a link');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await page.waitForURL(stack.appUrl(taskPath));
  await ready(page, taskTitle);
  expect((await sessionOf(page, stack))?.person).toMatchObject({ id: owner.id, email: owner.email });
  const cookie = (await ownerAt.context.cookies()).find((c) => c.name === 'aims_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
});

it('the owner fills every required field of the review form and submits: the task reads submitted, the answers stored', async () => {
  const { page } = ownerAt;
  const formRes = await api().get('/forms/high-risk-review').set(bearer(owner.token));
  if (formRes.status !== 200)
    throw new Error(`GET /forms/high-risk-review answered ${formRes.status}: the review's form must be served as data`);
  const form = formRes.body as FormDefinition;
  expect(form.fields.filter((f) => f.required).length).toBeGreaterThan(0);

  await page.getByRole('group', { name: form.title }).waitFor();
  const answers = await fillRequiredFields(page, form);
  await page
    .getByRole('textbox', { name: fieldName('Summary') })
    .fill('Thresholds met, context and regulation unchanged, no new threats, no drift.');
  await page.getByRole('textbox', { name: fieldName('Evidence links') }).fill('https://wiki.example.test/reviews/credit-scoring');
  await look(page, 'task', 'task page, review form filled');
  await page.getByRole('button', { name: 'Submit', exact: true }).click();

  // Said once; the page then shows the answers as stored, under the form's labels.
  await page.getByRole('status').filter({ hasText: 'Submitted: it now waits for approval.' }).waitFor();
  const shown = page.getByRole('region', { name: 'Answers' });
  for (const f of form.fields.filter((x) => x.required)) await shown.getByText(f.label, { exact: true }).waitFor();
  const stored = await api()
    .get(`/tasks/${encodeURIComponent(taskId)}`)
    .set(bearer(owner.token));
  expect(stored.body).toMatchObject({
    state: 'submitted',
    submittedBy: owner.id,
    submission: { form: { kind: 'high-risk-review', version: form.version }, answers },
  });
  await look(page, 'task-submitted', 'task page, submitted');
});

it('on My work the review waits for approval; on a phone, My work and the task read and pass axe', async () => {
  const { page } = ownerAt;
  await navigateTo(page, NAV.myWork);
  await ready(page, 'My work');
  await page.getByRole('list', { name: 'Submitted work' }).getByRole('link', { name: taskTitle }).waitFor();
  await look(page, 'my-work', 'My work');

  const phone = await personAt(browser, PHONE, ownerAt.context);
  await phone.page.goto(stack.appUrl('/app/'));
  await ready(phone.page, 'My work');
  await look(phone.page, 'my-work-phone', 'My work on a phone');
  await phone.page.getByRole('link', { name: taskTitle }).click();
  await ready(phone.page, taskTitle);
  await look(phone.page, 'task-phone', 'task page on a phone');
  await phone.context.close();
});

it('a sign-in link already used is refused in the browser: an error, and no session', async () => {
  const stranger = await personAt(browser);
  await useSignInLink(stranger.page, usedSignInLink);
  await stranger.page.getByText(/This sign-in link cannot be used/).waitFor();
  expect(await sessionOf(stranger.page, stack)).toBeUndefined();
  await look(stranger.page, 'sign-in-refused', 'sign-in page, used link');
  await stranger.context.close();
});

it("the governance lead signs in, finds the owner's review on Approvals (not their own submission) and approves it", async () => {
  // The lead's own submitted work: a review of a policy they own.
  const policy = await api()
    .post('/policies')
    .set(bearer(lead.token))
    .send({ title: `Lead's AI policy ${uniq}`, ownerId: lead.id, version: '1.0', documentUrl: 'https://docs.example.test/ai-policy.pdf' });
  expect(policy.status).toBe(201);
  const change = await api().post(`/policies/${policy.body.id}/major-change`).set(bearer(lead.token)).send({ reason: 'New guidance' });
  expect(change.status).toBe(201);
  const own = await api()
    .post(`/policies/${policy.body.id}/reviews/${change.body.key}/submit`)
    .set(bearer(lead.token))
    .send({ summary: 'Reviewed, no change', newVersion: '1.0' });
  expect(own.status).toBe(200);
  leadsOwnTitle = (
    await api()
      .get(`/tasks/${encodeURIComponent(change.body.taskId)}`)
      .set(bearer(lead.token))
  ).body.title;

  const { context, page } = await personAt(browser);
  await signInByEmail(page, stack, leadMail);
  await navigateTo(page, NAV.approvals);
  await ready(page, 'Approvals');
  const waiting = page.getByRole('list', { name: 'Awaiting approval' });
  const card = waiting.getByRole('article', { name: taskTitle });
  await card.waitFor();
  expect(await waiting.getByRole('article', { name: leadsOwnTitle }).count()).toBe(0);
  await look(page, 'approvals', 'Approvals');

  await card.getByRole('textbox', { name: fieldName('Comment (optional)') }).fill('Reviewed: approved.');
  await card.getByRole('button', { name: 'Approve', exact: true }).click();
  await card.getByText('Approved.', { exact: true }).waitFor();
  const approved = await api()
    .get(`/tasks/${encodeURIComponent(taskId)}`)
    .set(bearer(lead.token));
  expect(approved.body).toMatchObject({ state: 'approved', approvedBy: lead.id });

  await navigateTo(page, NAV.inventory);
  await ready(page, 'Inventory and cadences');
  await page.getByRole('rowheader', { name: new RegExp(`^Credit scoring ${uniq}`) }).waitFor();
  await look(page, 'inventory', 'Inventory and cadences');

  await navigateTo(page, NAV.settings);
  await ready(page, 'Settings');
  await look(page, 'settings', 'Settings');
  await context.close();
});

it("management signs in with an API token: the dashboard reads this quarter's high-risk review coverage as 100%; the lead's own submission waits on management's Approvals", async () => {
  const { context, page } = await personAt(browser);
  await signInWithToken(page, stack, manager.token);
  await navigateTo(page, NAV.dashboard);
  await ready(page, 'Dashboard');
  const coverage = page.getByRole('figure', { name: 'High-risk reviews this quarter' });
  await coverage.getByText('100%', { exact: true }).waitFor();
  await coverage.getByText(/1 of 1 approved/).waitFor();
  await look(page, 'dashboard', 'Dashboard');

  // The lead's own policy review, hidden from the lead, waits on management's Approvals.
  await navigateTo(page, NAV.approvals);
  await ready(page, 'Approvals');
  await page.getByRole('list', { name: 'Awaiting approval' }).getByRole('article', { name: leadsOwnTitle }).waitFor();
  await context.close();
});
