/**
 * Private calendar feeds against the real stack: a person creates a feed with their bearer
 * token and gets its URL once; a calendar fetches it without one and reads it with a real
 * iCalendar parser (ical.js): the due times of their open work and the ladder steps that reach
 * them, the manager's escalation, the responder's incident clocks. A moved due date keeps every
 * UID and moves the event with a higher SEQUENCE; approved work leaves the feed; a revoked feed
 * and a deactivated person's answer 404 like an unknown one; another person's feed is not
 * yours to revoke; bad input is a 400 naming the field.
 */
import { createHash } from 'crypto';
import ICAL from 'ical.js';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { LadderStepView } from '../../libs/contracts';
import { DAY_MS, HOUR_MS } from '../../libs/domain';
import { validAnswers } from '../support/form-answers';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, expectFieldError, registerPerson, RegisteredPerson, streamEvents, systemBody } from './support/fixtures';

jest.setTimeout(180_000);

/** Links are built on AIMS_PUBLIC_URL; its trailing slash is dropped. */
const PUBLIC_URL = 'https://aims.example.test';

let stack: TestStack;
let clients: StackClients;
let db: DataSource;

const api = () => request(stack.apiUrl);
const admin = () => ({ Authorization: stack.adminAuth });
const uniq = Math.random().toString(36).slice(2, 8);
const RANDOM_UUID = '0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a';
const person = (name: string, role: string, managerId?: string) => registerPerson(stack, name, role, uniq, managerId);
const taskPath = (taskId: string, verb = '') => `/tasks/${encodeURIComponent(taskId)}${verb ? `/${verb}` : ''}`;

interface FeedEvent {
  uid: string;
  start: string;
  end: string;
  sequence: number;
  summary: string;
  description: string;
  url: string;
}

/** GET the feed as a calendar would (no token), on the stack's own address. */
function fetchFeed(url: string): Promise<request.Response> {
  return api().get(new URL(url).pathname);
}

/** The feed's events as ical.js reads them. */
async function readFeed(url: string): Promise<FeedEvent[]> {
  const res = await fetchFeed(url);
  expect(res.status).toBe(200);
  const cal = new ICAL.Component(ICAL.parse(res.text));
  expect(cal.name).toBe('vcalendar');
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      sequence: e.sequence,
      summary: e.summary,
      description: e.description,
      url: String(v.getFirstPropertyValue('url')),
    };
  });
}

async function createFeed(who: RegisteredPerson, label?: string): Promise<{ id: string; url: string }> {
  const res = await api()
    .post('/me/calendar-feeds')
    .set(bearer(who.token))
    .send(label === undefined ? {} : { label });
  expect(res.status).toBe(201);
  return res.body;
}

interface TaskView {
  taskId: string;
  ownerId: string;
  state: string;
  dueAt: string;
  ladder: LadderStepView[];
}

async function openTasksOf(who: RegisteredPerson): Promise<TaskView[]> {
  const res = await api().get('/tasks').query({ ownerId: who.id, limit: 100 }).set(admin());
  expect(res.status).toBe(200);
  return (res.body.items as TaskView[]).filter((t) => t.state === 'open' || t.state === 'submitted');
}

/** What the owner's feed must hold for their open work: each due time and each pending step that reaches the owner. */
function ownerUids(tasks: TaskView[]): string[] {
  return tasks
    .flatMap((t) => [
      `task-${t.taskId}-due@aims-orchestrator`,
      ...(t.state === 'open' ? t.ladder : [])
        .filter((s) => s.status === 'pending' && s.levels.includes('owner'))
        .map((s) => `task-${t.taskId}-step-${s.key}@aims-orchestrator`),
    ])
    .sort();
}

const uidsOf = (events: FeedEvent[]) => events.map((e) => e.uid).sort();
/** An iCalendar instant holds whole seconds: the API's instant, its milliseconds dropped. */
const toSecond = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC', AIMS_PUBLIC_URL: `${PUBLIC_URL}/` } });
  clients = await connectToStack(stack);
  ({ db } = clients);
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

describe('a feed of the work of an owner, their manager and a responder', () => {
  let manager: RegisteredPerson;
  let owner: RegisteredPerson;
  let lead: RegisteredPerson;
  let responder: RegisteredPerson;
  let ownerFeed: { id: string; url: string; label: string; createdAt: string };
  let managerFeed: { id: string; url: string };
  let systemId: string;
  let reviewId: string;
  let before: FeedEvent[];

  beforeAll(async () => {
    manager = await person('Max Manager', 'owner');
    owner = await person('Olga Owner', 'owner', manager.id);
    lead = await person('Grace Lead', 'governance_lead');
    responder = await person('Rita Responder', 'responder');
  });

  it('POST /me/calendar-feeds answers the URL once: the secret is stored only as its sha256, the creation in the audit trail', async () => {
    const res = await api().post('/me/calendar-feeds').set(bearer(owner.token)).send({ label: '  work phone  ' });
    expect(res.status).toBe(201);
    ownerFeed = res.body;
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'id', 'label', 'url']);
    expect(res.body.label).toBe('work phone');
    const m = new RegExp(`^${PUBLIC_URL.replace(/\./g, '\\.')}/calendar/([A-Za-z0-9_-]{43})\\.ics$`).exec(res.body.url);
    expect(m).not.toBeNull();
    const secret = m![1];

    const rows: Array<Record<string, unknown>> = await db.query(`SELECT * FROM calendar_feeds WHERE id = $1`, [ownerFeed.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ person_id: owner.id, secret_hash: createHash('sha256').update(secret).digest('hex') });
    expect(JSON.stringify(rows[0])).not.toContain(secret);

    const events = await streamEvents(db, `person:${owner.id}`);
    expect(events.filter((e) => e.event === 'calendar-feed.created')).toEqual([
      { event: 'calendar-feed.created', detail: { feedId: ownerFeed.id, label: 'work phone' } },
    ]);

    const list = await api().get('/me/calendar-feeds').set(bearer(owner.token));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [{ id: ownerFeed.id, label: 'work phone', createdAt: ownerFeed.createdAt }] });
  });

  it('before any work the feed is an empty calendar: text/calendar, private, named for its person', async () => {
    const res = await fetchFeed(ownerFeed.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    expect(res.text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(res.text).toContain('\r\nMETHOD:PUBLISH\r\n');
    const cal = new ICAL.Component(ICAL.parse(res.text));
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe(`AIMS work: Olga Owner ${uniq}`);
    expect(cal.getAllSubcomponents('vevent')).toEqual([]);
    // A calendar fetched it: the list says when (bookkeeping after the answer).
    await eventually(async () => {
      const list = await api().get('/me/calendar-feeds').set(bearer(owner.token));
      return typeof list.body.items[0].lastFetchedAt === 'string';
    }, 'lastFetchedAt');
  });

  it("a high-risk system's open work is in the owner's feed: each due time and each pending reminder, with the task page's link", async () => {
    const sys = await api()
      .post('/systems')
      .set(bearer(lead.token))
      .send(
        systemBody({ name: `Calendar model ${uniq}`, ownerId: owner.id, riskTier: 'high', lifecycleStage: 'operation_and_monitoring' }),
      );
    expect(sys.status).toBe(201);
    systemId = sys.body.id;
    const trig = await api().post(`/cadences/high-risk-review:${systemId}/trigger`).set(bearer(lead.token));
    expect(trig.status).toBe(200);
    reviewId = trig.body.taskId;

    const tasks = await openTasksOf(owner);
    expect(tasks.map((t) => t.taskId)).toContain(reviewId);
    before = await readFeed(ownerFeed.url);
    expect(uidsOf(before)).toEqual(ownerUids(tasks));

    const review = tasks.find((t) => t.taskId === reviewId)!;
    const due = before.find((e) => e.uid === `task-${reviewId}-due@aims-orchestrator`)!;
    expect(due.start).toBe(toSecond(review.dueAt));
    expect(Date.parse(due.end) - Date.parse(due.start)).toBe(30 * 60 * 1000);
    expect(due.summary).toContain('Due: ');
    const page = `${PUBLIC_URL}/app/tasks/${encodeURIComponent(reviewId)}`;
    expect(due.url).toBe(page);
    expect(due.description).toContain('What to do:');
    expect(due.description).toContain(page);
    for (const step of review.ladder.filter((s) => s.status === 'pending' && s.levels.includes('owner'))) {
      expect(before.find((e) => e.uid === `task-${reviewId}-step-${step.key}@aims-orchestrator`)?.start).toBe(toSecond(step.at));
    }
  });

  it("the manager's feed holds the escalation to the manager, the governance lead's the escalation to them; neither holds the owner's due times", async () => {
    const review = (await openTasksOf(owner)).find((t) => t.taskId === reviewId)!;
    const step = (key: string) => review.ladder.find((s) => s.key === key)!;

    managerFeed = await createFeed(manager);
    const mine = await readFeed(managerFeed.url);
    const escalation = mine.find((e) => e.uid === `task-${reviewId}-step-escalate-manager@aims-orchestrator`);
    expect(escalation).toMatchObject({ start: toSecond(step('escalate-manager').at) });
    expect(escalation!.summary).toContain(`Olga Owner ${uniq}`);
    expect(mine.filter((e) => e.uid.endsWith('-due@aims-orchestrator'))).toEqual([]);

    const leads = await readFeed((await createFeed(lead, 'desk')).url);
    expect(leads.find((e) => e.uid === `task-${reviewId}-step-escalate-governance-lead@aims-orchestrator`)).toMatchObject({
      start: toSecond(step('escalate-governance-lead').at),
    });
    expect(leads.find((e) => e.uid === `task-${reviewId}-due@aims-orchestrator`)).toBeUndefined();
  });

  it('a moved due date keeps every UID, moves its events and raises their SEQUENCE; nothing is duplicated', async () => {
    const review = (await openTasksOf(owner)).find((t) => t.taskId === reviewId)!;
    const newDueAt = new Date(Date.parse(review.dueAt) + 7 * DAY_MS).toISOString();
    const ext = await api().post(taskPath(reviewId, 'extend')).set(bearer(lead.token)).send({ newDueAt, reason: 'audit freeze' });
    expect(ext.status).toBe(200);

    const after = await readFeed(ownerFeed.url);
    const uids = after.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uidsOf(after)).toEqual(uidsOf(before));
    const dueUid = `task-${reviewId}-due@aims-orchestrator`;
    const was = before.find((e) => e.uid === dueUid)!;
    const now = after.find((e) => e.uid === dueUid)!;
    expect(now.start).toBe(toSecond(newDueAt));
    expect(now.sequence).toBeGreaterThan(was.sequence);
    const remindDue = `task-${reviewId}-step-remind-due@aims-orchestrator`;
    expect(after.find((e) => e.uid === remindDue)!.start).toBe(toSecond(newDueAt));
    // The other work did not change: its events are as they were.
    for (const e of before.filter((x) => !x.uid.startsWith(`task-${reviewId}-`))) expect(after.find((x) => x.uid === e.uid)).toEqual(e);
  });

  it("an incident's running clocks are in its responder's feed (not in the system owner's), each named by its report", async () => {
    const detectedAt = new Date(Date.now() - 2 * HOUR_MS).toISOString();
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send({
        systemId,
        title: `Scores leaked, in a ticket; ${uniq}`,
        description: 'A support ticket held an export.',
        severity: 'high',
        detectedAt,
        responderId: responder.id,
        regimes: [{ id: 'gdpr-art33' }],
      });
    expect(res.status).toBe(201);
    const incidentId = res.body.incidentId;
    const running = (res.body.clocks as Array<{ key: string; dueAt: string; state: string }>).filter((c) => c.state === 'open');
    expect(running.map((c) => c.key).sort()).toEqual(['draft', 'gdpr-art33:notification']);

    const feed = await readFeed((await createFeed(responder)).url);
    for (const clock of running) {
      const e = feed.find((x) => x.uid === `incident-${incidentId}-${clock.key}@aims-orchestrator`);
      expect(e).toMatchObject({ start: toSecond(clock.dueAt), url: `${PUBLIC_URL}/app/incidents/${incidentId}` });
      expect(e!.summary).toContain(`Scores leaked, in a ticket; ${uniq}`);
    }
    // The final report waits for the draft: its deadline is provisional, so not yet an event.
    expect(feed.find((x) => x.uid === `incident-${incidentId}-final@aims-orchestrator`)).toBeUndefined();
    // The responder owns the reports' tasks too.
    expect(feed.map((x) => x.uid)).toContain(`task-incident-report:${incidentId}:draft-due@aims-orchestrator`);
    expect((await readFeed(ownerFeed.url)).filter((x) => x.uid.startsWith('incident-'))).toEqual([]);
  });

  it("approved work leaves the owner's and the manager's feeds", async () => {
    const submitted = await api()
      .post(taskPath(reviewId, 'submit'))
      .set(bearer(owner.token))
      .send({ summary: 'Thresholds met; no drift.', answers: validAnswers('high-risk-review') });
    expect(submitted.status).toBe(200);
    const submittedFeed = await readFeed(ownerFeed.url);
    // Submitted: still owed (its due time stays), but the ladder holds, so its steps leave.
    expect(submittedFeed.filter((e) => e.uid.startsWith(`task-${reviewId}-`)).map((e) => e.uid)).toEqual([
      `task-${reviewId}-due@aims-orchestrator`,
    ]);
    const approved = await api().post(taskPath(reviewId, 'approve')).set(bearer(lead.token)).send({});
    expect(approved.status).toBe(200);
    const after = await readFeed(ownerFeed.url);
    expect(after.filter((e) => e.uid.startsWith(`task-${reviewId}-`))).toEqual([]);
    expect(uidsOf(after)).toEqual(ownerUids(await openTasksOf(owner)));
    expect((await readFeed(managerFeed.url)).filter((e) => e.uid.startsWith(`task-${reviewId}-`))).toEqual([]);
  });

  it('revoked, its URL answers 404 like an unknown or a malformed one; revoking again is 204, recorded once', async () => {
    const unknown = await api().get(`/calendar/${'A'.repeat(43)}.ics`);
    const malformed = await api().get('/calendar/not-a-feed');
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(malformed.body).toEqual(unknown.body);

    const del = await api().delete(`/me/calendar-feeds/${ownerFeed.id}`).set(bearer(owner.token));
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const gone = await fetchFeed(ownerFeed.url);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual(unknown.body);

    expect((await api().delete(`/me/calendar-feeds/${ownerFeed.id}`).set(bearer(owner.token))).status).toBe(204);
    const events = await streamEvents(db, `person:${owner.id}`);
    expect(events.filter((e) => e.event === 'calendar-feed.revoked')).toEqual([
      { event: 'calendar-feed.revoked', detail: { feedId: ownerFeed.id, label: 'work phone' } },
    ]);
    const list = await api().get('/me/calendar-feeds').set(bearer(owner.token));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: ownerFeed.id, label: 'work phone', revokedAt: expect.any(String) });
  });

  it("another person's feed is not yours to revoke (404), and it keeps answering", async () => {
    const theirs = await createFeed(manager, 'tablet');
    const res = await api().delete(`/me/calendar-feeds/${theirs.id}`).set(bearer(owner.token));
    expect(res.status).toBe(404);
    expect((await api().delete(`/me/calendar-feeds/${RANDOM_UUID}`).set(bearer(owner.token))).status).toBe(404);
    expect((await fetchFeed(theirs.url)).status).toBe(200);
    const list = await api().get('/me/calendar-feeds').set(bearer(owner.token));
    expect(list.body.items.map((f: { id: string }) => f.id)).toEqual([ownerFeed.id]);
  });
});

describe('the OpenAPI document', () => {
  it('describes the routes: the feed file needs no token and answers text/calendar or 404; the label is the only field', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    const file = doc.paths['/calendar/{file}'].get;
    expect(file.security).toBeUndefined();
    expect(Object.keys(file.responses['200'].content)).toEqual(['text/calendar']);
    expect(Object.keys(file.responses['404'].content)).toEqual(['application/json']);
    expect(file.parameters.find((p: { name: string }) => p.name === 'file').schema.pattern).toBe('^[A-Za-z0-9_-]{43}\\.ics$');
    const mine = doc.paths['/me/calendar-feeds'];
    expect(mine.post.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(mine.post.responses).sort()).toEqual(['201', '400', '401', '409', '413']);
    // Every field is optional, so is the body.
    expect(mine.post.requestBody.required).toBe(false);
    expect(doc.components.schemas.CreateCalendarFeedDto).toMatchObject({ additionalProperties: false });
    expect(Object.keys(doc.components.schemas.CreateCalendarFeedDto.properties)).toEqual(['label']);
    const del = doc.paths['/me/calendar-feeds/{id}'].delete;
    expect(Object.keys(del.responses).sort()).toEqual(['204', '400', '401', '404']);
    expect(del.parameters[0].schema).toMatchObject({ type: 'string', format: 'uuid' });
  });
});

describe('who may hold a feed, and bad input', () => {
  it("a deactivated person's feed answers 404, and stays revoked when they come back", async () => {
    const auditor = await person('Aude Auditor', 'auditor');
    const feed = await createFeed(auditor);
    expect((await fetchFeed(feed.url)).status).toBe(200);
    const off = await api().patch(`/people/${auditor.id}`).set(admin()).send({ active: false });
    expect(off.status).toBe(200);
    expect((await fetchFeed(feed.url)).status).toBe(404);
    expect((await api().patch(`/people/${auditor.id}`).set(admin()).send({ active: true })).status).toBe(200);
    expect((await fetchFeed(feed.url)).status).toBe(404);
  });

  it(`a person holds at most 20 active feeds at once (409), and may create one again once one is revoked`, async () => {
    const many = await person('Felix Feeds', 'owner');
    const feeds = [];
    for (let i = 0; i < 20; i++) feeds.push(await createFeed(many, `feed ${i}`));
    const refused = await api().post('/me/calendar-feeds').set(bearer(many.token)).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/revoke one first/);
    expect((await api().delete(`/me/calendar-feeds/${feeds[0].id}`).set(bearer(many.token))).status).toBe(204);
    // A bare POST (no body at all) makes an unlabelled feed.
    const bare = await api().post('/me/calendar-feeds').set(bearer(many.token));
    expect(bare.status).toBe(201);
    expect(bare.body.label).toBe('');
  });

  it('bad input is a 400 naming the field; no token is a 401', async () => {
    const who = await person('Bea Bad', 'owner');
    const post = (body: unknown) =>
      api()
        .post('/me/calendar-feeds')
        .set(bearer(who.token))
        .send(body as object);
    expectFieldError(await post({ label: 'x'.repeat(101) }), 'label');
    expectFieldError(await post({ label: 42 }), 'label');
    expectFieldError(await post({ label: null }), 'label');
    expectFieldError(await post({ label: 'a\u0000b' }), 'label');
    expectFieldError(await post({ url: 'https://x.test' }), 'url');
    expectFieldError(await api().delete('/me/calendar-feeds/not-a-uuid').set(bearer(who.token)), 'id');
    expect((await api().post('/me/calendar-feeds').send({})).status).toBe(401);
    expect((await api().get('/me/calendar-feeds')).status).toBe(401);
    // Nothing was created by the refusals.
    expect((await api().get('/me/calendar-feeds').set(bearer(who.token))).body).toEqual({ items: [] });
  });
});
