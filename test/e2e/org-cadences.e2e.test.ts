/**
 * The organisation-wide cadences against the real stack: the four Schedules `org:<kind>` made at
 * start-up, listed by GET /cadences beside the per-system ones with Temporal's next run times;
 * PATCH refused (nothing changed) and accepted (the calendar moves); pause and unpause; a
 * trigger of the inventory recertification opens one task per owner (emails over SMTP), a second
 * is already-open; the owner's confirmation completes their task; a system left unconfirmed when
 * its owner's task falls due is stale in its record and in the status.
 */
import { Client, ScheduleDescription } from '@temporalio/client';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { changeDueSignal } from '../../libs/contracts';
import { nextRunTimes, ORG_CADENCE_DEFAULTS, ORG_CADENCE_KINDS, orgCadenceCalendar, orgPeriodOf } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, expectFieldError, registerPerson, RegisteredPerson, streamEvents, systemBody } from './support/fixtures';
import { expectJittered, SCHEDULE_JITTER_MS } from './support/jitter';

jest.setTimeout(240_000);

const ZONE = 'Europe/Amsterdam';
let stack: TestStack;
let temporal: Client;
let clients: StackClients;
let db: DataSource;

const api = () => request(stack.apiUrl);
const admin = () => ({ Authorization: stack.adminAuth });
const uniq = Math.random().toString(36).slice(2, 8);
const RECERT = 'org:inventory-recertification';

let lead: RegisteredPerson;
let manager: RegisteredPerson;
let alice: RegisteredPerson;
let bob: RegisteredPerson;
let carol: RegisteredPerson;
const systems: Record<string, string> = {};

async function register(name: string, ownerId: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await api()
    .post('/systems')
    .set(admin())
    .send(systemBody({ name: `${name} ${uniq}`, ownerId, riskTier: 'limited', lifecycleStage: 'deployment', ...over }));
  if (res.status !== 201) throw new Error(`POST /systems answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

const describe_ = (id: string): Promise<ScheduleDescription> => temporal.schedule.getHandle(id).describe();

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: ZONE } });
  clients = await connectToStack(stack);
  ({ temporal, db } = clients);
  lead = await registerPerson(stack, 'Gina Lead', 'governance_lead', uniq);
  manager = await registerPerson(stack, 'Mo Manager', 'management', uniq);
  alice = await registerPerson(stack, 'Alice Owner', 'owner', uniq, manager.id);
  bob = await registerPerson(stack, 'Bob Owner', 'owner', uniq, manager.id);
  carol = await registerPerson(stack, 'Carol Owner', 'owner', uniq, manager.id);
  systems.aliceChat = await register('Chat assistant', alice.id);
  systems.aliceSearch = await register('Search ranking', alice.id, { riskTier: 'minimal' });
  systems.bobSpam = await register('Spam filter', bob.id);
  // Carol's only system is retired: she owes no recertification.
  systems.carolOld = await register('Old model', carol.id);
  const retired = await api().patch(`/systems/${systems.carolOld}`).set(admin()).send({ lifecycleStage: 'retirement' });
  expect(retired.status).toBe(200);
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

test('GET /cadences lists the four org-wide cadences first, with next run times of their calendar in AIMS_TIMEZONE, then per-system ones', async () => {
  // The start-up pass creates the org-wide Schedules in the background.
  const body = await eventually(async () => {
    const res = await api().get('/cadences').set(bearer(lead.token));
    expect(res.status).toBe(200);
    const ids = (res.body.items as Array<{ id: string }>).map((c) => c.id);
    return ids.includes(`aiia:${systems.bobSpam}`) && ids.filter((i) => i.startsWith('org:')).length === 4 && res.body;
  }, 'the org-wide and per-system cadences in GET /cadences');
  const items = body.items as Array<Record<string, any>>;
  expect(items.slice(0, 4).map((c) => c.id)).toEqual(ORG_CADENCE_KINDS.map((k) => `org:${k}`));
  const now = new Date();
  for (const kind of ORG_CADENCE_KINDS) {
    const c = items.find((i) => i.id === `org:${kind}`)!;
    const rule = orgCadenceCalendar(ORG_CADENCE_DEFAULTS[kind], ZONE);
    expect(c).toMatchObject({ scope: 'org', kind, paused: false, setting: ORG_CADENCE_DEFAULTS[kind], calendar: rule });
    expect(c.nextRunTimes.length).toBeGreaterThan(0);
    expectJittered(c.nextRunTimes, nextRunTimes(rule, now, c.nextRunTimes.length));
    expect((await describe_(`org:${kind}`)).spec.jitter).toBe(SCHEDULE_JITTER_MS);
  }
  // 1 January and 1 July at local midnight (CET, CEST), give or take the jitter.
  expect(new Date(items.find((i) => i.id === RECERT)!.nextRunTimes[0]).getUTCHours()).toBeGreaterThanOrEqual(22);
  const aiia = items.find((i) => i.id === `aiia:${systems.bobSpam}`)!;
  expect(aiia).toMatchObject({ scope: 'system', kind: 'aiia', systemId: systems.bobSpam });
  expect(aiia.nextRunTimes.length).toBeGreaterThan(0);
  // The retired system has no Schedule left.
  expect(items.some((i) => i.systemId === systems.carolOld)).toBe(false);

  const org = await api().get('/cadences?scope=org').set(bearer(manager.token));
  expect(org.status).toBe(200);
  expect(org.body.items.map((c: { id: string }) => c.id)).toEqual(ORG_CADENCE_KINDS.map((k) => `org:${k}`));
  expect(org.body.nextCursor).toBeNull();
  const page = await api().get('/cadences?scope=system&limit=1').set(bearer(lead.token));
  expect(page.status).toBe(200);
  expect(page.body.items.every((c: { scope: string }) => c.scope === 'system')).toBe(true);
  expect(page.body.items.length).toBeLessThanOrEqual(1);
  expect(typeof page.body.nextCursor).toBe('string');
  const next = await api().get(`/cadences?scope=system&limit=50&cursor=${page.body.nextCursor}`).set(bearer(lead.token));
  expect(next.status).toBe(200);
  expectFieldError(await api().get('/cadences?scope=everything').set(bearer(lead.token)), 'scope');
  expect((await api().get('/cadences').set(bearer(alice.token))).status).toBe(403);
});

test('PATCH an org-wide cadence: a refused interval is a 400 naming the allowed ones and changes nothing; an allowed one moves the calendar', async () => {
  const before = await describe_(RECERT);
  const refused = await api().patch(`/cadences/${RECERT}`).set(bearer(lead.token)).send({ intervalMonths: 12 });
  expectFieldError(refused, 'intervalMonths');
  expect(JSON.stringify(refused.body.errors)).toContain('must be one of 1, 2, 3, 6');
  const after = await describe_(RECERT);
  expect(after.action).toEqual(before.action);
  expect(after.spec).toEqual(before.spec);
  expectFieldError(await api().patch(`/cadences/${RECERT}`).set(bearer(lead.token)).send({}), 'body');
  expectFieldError(await api().patch(`/cadences/${RECERT}`).set(bearer(lead.token)).send({ startMonth: 13 }), 'startMonth');
  expect((await api().patch(`/cadences/${RECERT}`).set(bearer(alice.token)).send({ intervalMonths: 3 })).status).toBe(403);
  const perSystem = await api().patch(`/cadences/aiia:${systems.bobSpam}`).set(bearer(lead.token)).send({ intervalMonths: 3 });
  expect(perSystem.status).toBe(409);
  expect(perSystem.body.message).toMatch(/follows its system/);

  const ok = await api().patch(`/cadences/${RECERT}`).set(bearer(lead.token)).send({ intervalMonths: 3, startMonth: 2 });
  expect(ok.status).toBe(200);
  const rule = orgCadenceCalendar({ intervalMonths: 3, startMonth: 2 }, ZONE);
  expect(ok.body).toMatchObject({
    id: RECERT,
    setting: { intervalMonths: 3, startMonth: 2 },
    calendar: { ...rule, months: [2, 5, 8, 11] },
  });
  expectJittered(ok.body.nextRunTimes, nextRunTimes(rule, new Date(), ok.body.nextRunTimes.length));
  expect((await describe_(RECERT)).action).toMatchObject({ args: [{ intervalMonths: 3, startMonth: 2, timeZone: ZONE }] });
  const events = await streamEvents(db, `cadence:${RECERT}`);
  expect(events.at(-1)).toMatchObject({
    event: 'cadence.changed',
    detail: { from: { intervalMonths: 6, startMonth: 1 }, to: { intervalMonths: 3, startMonth: 2 } },
  });

  // Back to the default for the trigger below.
  const back = await api().patch(`/cadences/${RECERT}`).set(bearer(lead.token)).send({ intervalMonths: 6, startMonth: 1 });
  expect(back.status).toBe(200);
  expect(back.body.calendar.months).toEqual([1, 7]);
});

test('pause and unpause an org-wide cadence', async () => {
  const paused = await api().post('/cadences/org:internal-audit/pause').set(bearer(lead.token)).send({ note: 'Audit firm changing' });
  expect(paused.status).toBe(200);
  expect(paused.body).toMatchObject({ id: 'org:internal-audit', scope: 'org', paused: true, note: 'Audit firm changing' });
  expect((await describe_('org:internal-audit')).state.paused).toBe(true);
  expect((await api().post('/cadences/org:internal-audit/pause').set(bearer(lead.token)).send({})).status).toBe(409);
  const unpaused = await api().post('/cadences/org:internal-audit/unpause').set(bearer(lead.token)).send({});
  expect(unpaused.status).toBe(200);
  expect(unpaused.body.paused).toBe(false);
  expect((await streamEvents(db, 'cadence:org:internal-audit')).map((e) => e.event)).toEqual(['cadence.paused', 'cadence.unpaused']);
  expectFieldError(await api().post('/cadences/org:nothing/pause').set(bearer(lead.token)).send({}), 'id');
});

describe('the inventory recertification', () => {
  const period = orgPeriodOf(ORG_CADENCE_DEFAULTS['inventory-recertification'], new Date(), ZONE).key;
  const taskOf = (p: RegisteredPerson) => `inventory-recertification:${p.id}:${period}`;

  it('a trigger opens one task per owner with systems in scope, readable at once, each owner emailed; a second is already-open', async () => {
    const res = await api().post(`/cadences/${RECERT}/trigger`).set(bearer(lead.token));
    expect(res.status).toBe(200);
    const expected = [alice, bob].map(taskOf).sort();
    expect(res.body).toMatchObject({ cadenceId: RECERT, period, roundId: `inventory-recertification:${period}`, outcome: 'opened' });
    expect([...res.body.taskIds].sort()).toEqual(expected);
    for (const id of res.body.taskIds) {
      const task = await api().get(`/tasks/${id}`).set(bearer(lead.token));
      expect(task.status).toBe(200);
      expect(task.body).toMatchObject({ kind: 'inventory-recertification', state: 'open', period, cadenceId: RECERT });
    }
    for (const p of [alice, bob]) {
      const mail = await stack.inbox.waitFor(
        (m) => m.to.includes(p.email) && m.subject.includes(`Recertify your AI systems ${period}`),
        60_000,
      );
      expect(mail.subject).toMatch(/^New work for you/);
    }
    expect((await stack.inbox.for(carol.email)).filter((m) => m.subject.includes('Recertify'))).toEqual([]);

    const again = await api().post(`/cadences/${RECERT}/trigger`).set(bearer(lead.token));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'already-open', roundId: res.body.roundId });
    expect([...again.body.taskIds].sort()).toEqual(expected);

    const round = await api().get(`/inventory-recertifications/${period}`).set(bearer(lead.token));
    expect(round.status).toBe(200);
    const alices = round.body.owners.find((o: { ownerId: string }) => o.ownerId === alice.id);
    expect(alices).toMatchObject({ taskId: taskOf(alice), confirmed: [] });
    expect(alices.notConfirmed.map((s: { systemId: string; state: string }) => [s.systemId, s.state]).sort()).toEqual(
      [
        [systems.aliceChat, 'due'],
        [systems.aliceSearch, 'due'],
      ].sort(),
    );
    expect(round.body.owners.some((o: { ownerId: string }) => o.ownerId === carol.id)).toBe(false);
    expect((await api().get(`/systems/${systems.aliceChat}`).set(bearer(alice.token))).body.recertification).toMatchObject({
      state: 'due',
      period,
      taskId: taskOf(alice),
    });
  });

  it("confirmations: another owner's system, an unknown one or a person without systems are refused; all confirmed completes the task", async () => {
    const confirm = (p: RegisteredPerson, body: object) =>
      api().post(`/inventory-recertifications/${period}/confirm`).set(bearer(p.token)).send(body);
    const wrong = await confirm(bob, { systems: [{ systemId: systems.aliceChat }] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/is not one of/);
    expect((await confirm(bob, { systems: [{ systemId: '0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a' }] })).status).toBe(400);
    expect((await confirm(carol, { systems: [{ systemId: systems.carolOld }] })).status).toBe(403);
    expectFieldError(await confirm(alice, { systems: [] }), 'systems');
    expectFieldError(await confirm(alice, { systems: [{ systemId: 'nope' }] }), 'systems.0.systemId');
    expect(
      (
        await api()
          .post(`/inventory-recertifications/1999-01/confirm`)
          .set(bearer(alice.token))
          .send({ systems: [{ systemId: systems.aliceChat }] })
      ).status,
    ).toBe(404);
    const bare = await api()
      .post(`/tasks/${taskOf(alice)}/submit`)
      .set(bearer(alice.token))
      .send({ summary: 'all fine' });
    expect(bare.status).toBe(409);

    const first = await confirm(alice, { systems: [{ systemId: systems.aliceChat, note: 'Purpose and data unchanged' }] });
    expect(first.status).toBe(200);
    expect(
      (
        await api()
          .get(`/tasks/${taskOf(alice)}`)
          .set(bearer(alice.token))
      ).body.state,
    ).toBe('open');
    const done = await confirm(alice, { systems: [{ systemId: systems.aliceSearch }] });
    expect(done.status).toBe(200);
    expect(done.body.systems.every((s: { confirmedAt?: string }) => !!s.confirmedAt)).toBe(true);
    // Answered once the task recorded it: it reads completed at once.
    expect(
      (
        await api()
          .get(`/tasks/${taskOf(alice)}`)
          .set(bearer(alice.token))
      ).body,
    ).toMatchObject({ state: 'completed', submittedBy: alice.id });
    expect((await confirm(alice, { systems: [{ systemId: systems.aliceSearch }] })).status).toBe(409);
    const chat = (await api().get(`/systems/${systems.aliceChat}`).set(bearer(alice.token))).body.recertification;
    expect(chat).toMatchObject({ state: 'current', lastConfirmedBy: alice.id });
    expect((await streamEvents(db, `system:${systems.aliceChat}`)).at(-1)).toMatchObject({
      event: 'system.recertified',
      detail: { period, note: 'Purpose and data unchanged' },
    });
  });

  it("a system its owner has not confirmed when the owner's task falls due is stale, in its record and in GET /status/inventory", async () => {
    // Drive Bob's due time into the past through the task's own means (the parent's changeDue signal).
    const pastDue = new Date(Date.now() - 60_000).toISOString();
    await temporal.workflow.getHandle(taskOf(bob)).signal(changeDueSignal, {
      by: { personId: lead.id, role: 'governance_lead' },
      newDueAt: pastDue,
      reason: 'e2e: the recertification fell due',
    });
    await eventually(async () => {
      const t = await api()
        .get(`/tasks/${taskOf(bob)}`)
        .set(bearer(lead.token));
      return t.body.dueAt === pastDue;
    }, "Bob's task due in the past");
    const spam = await api().get(`/systems/${systems.bobSpam}`).set(bearer(bob.token));
    expect(spam.body.recertification).toMatchObject({ state: 'stale', dueAt: pastDue, lastConfirmedAt: null });
    const status = await api().get('/status/inventory').set(bearer(manager.token));
    expect(status.status).toBe(200);
    expect(status.body.recertification).toMatchObject({ stale: 1, staleSystemIds: [systems.bobSpam], current: 2, systemsInScope: 3 });
    const round = await api().get(`/inventory-recertifications/${period}`).set(bearer(lead.token));
    const bobs = round.body.owners.find((o: { ownerId: string }) => o.ownerId === bob.id);
    expect(bobs.notConfirmed).toEqual([{ systemId: systems.bobSpam, name: `Spam filter ${uniq}`, state: 'stale' }]);
  });
});
