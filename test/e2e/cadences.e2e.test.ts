/**
 * Cadences, tasks and status against the real stack (PostgreSQL, Temporal dev server, SMTP
 * inbox, worker and API as child processes): a high-risk system gets its quarterly review and
 * yearly AIIA Schedules in Temporal, a triggered cycle opens the owner's work (email over
 * SMTP), the work is submitted, self-approval is refused and another person approves it;
 * reclassification, retirement and a prohibited system reshape the Schedules.
 */
import { Client, ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { nextQuarterStart, nextRunTimes, quarterOf } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, registerPerson, systemBody, validAnswers } from './support/fixtures';
import { expectJittered, SCHEDULE_JITTER_MS } from './support/jitter';

jest.setTimeout(180_000);

let stack: TestStack;
let temporal: Client;
let clients: StackClients;
let db: DataSource;

const api = () => request(stack.apiUrl);
const admin = () => ({ Authorization: stack.adminAuth });
const uniq = Math.random().toString(36).slice(2, 8);
const RANDOM_UUID = '0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a';

async function describeSchedule(id: string): Promise<ScheduleDescription | undefined> {
  try {
    return await temporal.schedule.getHandle(id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

const person = (name: string, role: string, managerId?: string) => registerPerson(stack, name, role, uniq, managerId);

/** Every 400 names the offending fields. */
function expect400(res: request.Response, ...fields: string[]): void {
  expect(res.status).toBe(400);
  const named = (res.body.errors ?? []).map((e: { field: string }) => e.field);
  for (const f of fields) expect(named).toContain(f);
}

async function auditCount(streamId: string): Promise<number> {
  const rows: Array<{ n: number }> = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE stream_id = $1`, [streamId]);
  return rows[0].n;
}

beforeAll(async () => {
  const t0 = Date.now();
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  clients = await connectToStack(stack);
  ({ temporal, db } = clients);
  process.stdout.write(`[cadences.e2e] stack up in ${Date.now() - t0} ms\n`);
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

describe('a high-risk system from registration to an approved quarterly review', () => {
  let manager: Awaited<ReturnType<typeof person>>;
  let owner: Awaited<ReturnType<typeof person>>;
  let lead: Awaited<ReturnType<typeof person>>;
  let systemId: string;
  let reviewId: string;
  let taskId: string;
  const goLiveDate = '2026-03-17';

  beforeAll(async () => {
    manager = await person('Mona Manager', 'management');
    owner = await person('Otto Owner', 'owner', manager.id);
    lead = await person('Greta Lead', 'governance_lead');
  });

  it('registering a high system creates both Schedules in Temporal with the right next run times', async () => {
    const res = await api()
      .post('/systems')
      .set(admin())
      .send(
        systemBody({
          name: `Credit scoring ${uniq}`,
          ownerId: owner.id,
          riskTier: 'high',
          lifecycleStage: 'operation_and_monitoring',
          goLiveDate,
        }),
      );
    expect(res.status).toBe(201);
    systemId = res.body.id;
    reviewId = `high-risk-review:${systemId}`;
    const now = new Date();

    // In Temporal itself.
    const review = await describeSchedule(reviewId);
    const aiia = await describeSchedule(`aiia:${systemId}`);
    expect(review).toBeDefined();
    expect(aiia).toBeDefined();
    expect(review!.action).toMatchObject({ type: 'startWorkflow', workflowType: 'cadenceCycle', workflowId: reviewId });
    expect((review!.action as { args: unknown[] }).args).toEqual([
      { cadenceId: reviewId, kind: 'high-risk-review', systemId, timeZone: 'UTC' },
    ]);
    expect(review!.spec.timezone).toBe('UTC');
    expect(review!.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 30 * 24 * 3600 * 1000, pauseOnFailure: false });
    expect(review!.memo).toEqual({ systemId, kind: 'high-risk-review' });
    // Jittered (AIMS_SCHEDULE_JITTER_MINUTES): a quarter's Schedules do not all start in the same second.
    expect(review!.spec.jitter).toBe(SCHEDULE_JITTER_MS);
    expect(aiia!.spec.jitter).toBe(SCHEDULE_JITTER_MS);
    expectJittered([review!.info.nextActionTimes[0]], [nextQuarterStart(now, 'UTC')]);
    const aiiaRule = { months: [3], dayOfMonth: 17, hour: 0, minute: 0, timeZone: 'UTC' };
    const expectAiia = nextRunTimes(aiiaRule, now, aiia!.info.nextActionTimes.length).map((d) => d.toISOString());
    expectJittered(aiia!.info.nextActionTimes, expectAiia);

    // Through the API.
    const list = await api().get(`/systems/${systemId}/cadences`).set(bearer(owner.token));
    expect(list.status).toBe(200);
    expect(list.body.map((c: { kind: string }) => c.kind).sort()).toEqual(['aiia', 'high-risk-review']);
    const r = list.body.find((c: { kind: string }) => c.kind === 'high-risk-review');
    expect(r).toMatchObject({
      id: reviewId,
      systemId,
      paused: false,
      calendar: { months: [1, 4, 7, 10], dayOfMonth: 1, hour: 0, minute: 0, timeZone: 'UTC' },
      recentRuns: [],
    });
    expect(r.description).toContain('Credit scoring');
    expectJittered(r.nextRunTimes.slice(0, 4), nextRunTimes(r.calendar, now, 4));
    const a = list.body.find((c: { kind: string }) => c.kind === 'aiia');
    expect(a.calendar).toEqual(aiiaRule);
    expectJittered([a.nextRunTimes[0]], [expectAiia[0]]);
  });

  it('the go-live AIIA is opened once for the new system', async () => {
    const page = await eventually(async () => {
      const res = await api().get('/tasks').query({ ownerId: owner.id, kind: 'aiia', period: 'go-live' }).set(bearer(owner.token));
      return res.status === 200 && res.body.total === 1 && res.body;
    }, 'the go-live AIIA in the read model');
    expect(page.items[0]).toMatchObject({ taskId: `aiia:${systemId}:go-live`, kind: 'aiia', ownerId: owner.id, state: 'open' });
  });

  it('the review is open from registration (the system is high mid-quarter); a trigger answers with it: the task reads at once, the owner is emailed and sees it', async () => {
    const before = await auditCount(`cadence:${reviewId}`);
    const trig = await api().post(`/cadences/${reviewId}/trigger`).set(bearer(lead.token));
    const period = quarterOf(new Date(), 'UTC').key;
    taskId = `high-risk-review:${systemId}:${period}`;
    expect(trig.status).toBe(200);
    // Opened with the registration: the trigger answers that task.
    expect(trig.body).toMatchObject({ cadenceId: reviewId, taskId, period, outcome: 'already-open' });
    expect(Number.isNaN(Date.parse(trig.body.triggeredAt))).toBe(false);
    expect(await auditCount(`cadence:${reviewId}`)).toBe(before + 1);

    // Read your writes: no waiting between the answer and the reads.
    const one = await api()
      .get(`/tasks/${encodeURIComponent(taskId)}`)
      .set(bearer(owner.token));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ taskId, state: 'open', period, cadenceId: reviewId });
    expect(one.body.ladder.length).toBeGreaterThan(0);
    for (const step of one.body.ladder) expect(['done', 'skipped', 'pending']).toContain(step.status);
    expect(typeof one.body.updatedAt).toBe('string');
    const page = await api().get('/tasks').query({ ownerId: owner.id, kind: 'high-risk-review' }).set(bearer(owner.token));
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({
      taskId,
      state: 'open',
      period,
      cadenceId: reviewId,
      subject: { type: 'ai-system', id: systemId },
    });

    const t0 = Date.now();
    const mail = await stack.inbox.waitFor((m) => m.to.includes(owner.email) && m.subject.includes(`High-risk review ${period}`), 60_000);
    process.stdout.write(`[cadences.e2e] trigger answered -> owner email in ${Date.now() - t0} ms\n`);
    expect(mail.subject).toMatch(/^New work for you/);
    expect(mail.text).toContain(taskId);

    // A manual run is the API's, recorded in the cadence's audit stream; the Schedule's runs are its recurring ones.
    const runs = await api().get(`/systems/${systemId}/cadences`).set(bearer(owner.token));
    const review = runs.body.find((c: { kind: string }) => c.kind === 'high-risk-review');
    expect(review.recentRuns).toEqual([]);
  });

  it('a second trigger in the same quarter answers the same task, already open, and opens nothing new', async () => {
    const trig = await api().post(`/cadences/${reviewId}/trigger`).set(admin());
    expect(trig.status).toBe(200);
    expect(trig.body).toMatchObject({ cadenceId: reviewId, taskId, outcome: 'already-open' });
    const page = await api().get('/tasks').query({ ownerId: owner.id, kind: 'high-risk-review' }).set(bearer(owner.token));
    expect(page.body.total).toBe(1);
  });

  it('the owner submits; self-approval is refused with 403 and changes nothing; the governance lead approves', async () => {
    const submitted = await api()
      .post(`/tasks/${encodeURIComponent(taskId)}/submit`)
      .set(bearer(owner.token))
      .send({
        summary: 'Thresholds met; no drift; context unchanged.',
        evidenceUrls: ['https://wiki.example.test/reviews/credit'],
        answers: validAnswers('high-risk-review'),
      });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ taskId, state: 'submitted', submittedBy: owner.id, submissions: 1 });

    const self = await api()
      .post(`/tasks/${encodeURIComponent(taskId)}/approve`)
      .set(bearer(owner.token))
      .send({});
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/segregation of duties/);
    // The refusal left the work as it was: still submitted, not approved.
    const still = await eventually(async () => {
      const r = await api()
        .get(`/tasks/${encodeURIComponent(taskId)}`)
        .set(bearer(lead.token));
      return r.body.state === 'submitted' && r.body;
    }, 'submitted in the read model');
    expect(still).toMatchObject({ submissions: 1, rejections: 0 });
    expect(still.approvedBy).toBeUndefined();

    const approved = await api()
      .post(`/tasks/${encodeURIComponent(taskId)}/approve`)
      .set(bearer(lead.token))
      .send({ comment: 'Good.' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', approvedBy: lead.id, submissions: 1 });
  });

  it('an approved task takes no more changes', async () => {
    const again = await eventually(async () => {
      const r = await api()
        .post(`/tasks/${encodeURIComponent(taskId)}/approve`)
        .set(bearer(lead.token))
        .send({});
      return r.status !== 200 && r;
    }, 'a refusal');
    expect(again.status).toBe(409);
  });

  it('GET /status/cycles shows the approved review of this quarter', async () => {
    const period = quarterOf(new Date(), 'UTC').key;
    const row = await eventually(async () => {
      const res = await api().get('/status/cycles').query({ kind: 'high-risk-review', period }).set(bearer(manager.token));
      return res.status === 200 && res.body.find((r: { approved: number }) => r.approved >= 1);
    }, 'the approved review in /status/cycles');
    expect(row).toMatchObject({ kind: 'high-risk-review', period, cadence: 'quarterly', approved: 1, total: 1 });
    expect(row.expected).toBeGreaterThanOrEqual(1);
    expect(row.coveragePercent).toBeCloseTo((100 * row.approved) / row.expected, 1);

    const overdue = await api().get('/status/overdue').set(bearer(lead.token));
    expect(overdue.status).toBe(200);
    expect(overdue.body).toHaveProperty('byOwner');
    expect((await api().get('/status/cycles').set(bearer(owner.token))).status).toBe(403);
  });

  it('pause and unpause are recorded with who did it and the note', async () => {
    const before = await auditCount(`cadence:${reviewId}`);
    const p = await api().post(`/cadences/${reviewId}/pause`).set(bearer(lead.token)).send({ note: 'vendor migration' });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ id: reviewId, paused: true, note: 'vendor migration' });
    expect((await describeSchedule(reviewId))!.state.paused).toBe(true);
    expect((await api().post(`/cadences/${reviewId}/pause`).set(bearer(lead.token)).send({})).status).toBe(409);
    const u = await api().post(`/cadences/${reviewId}/unpause`).set(bearer(lead.token)).send({});
    expect(u.status).toBe(200);
    expect(u.body.paused).toBe(false);
    const rows: Array<{ event: string; actor_id: string; detail: Record<string, unknown> }> = await db.query(
      `SELECT event, actor_id, detail FROM audit_events WHERE stream_id = $1 ORDER BY seq`,
      [`cadence:${reviewId}`],
    );
    expect(rows.length).toBe(before + 2);
    expect(rows.slice(-2).map((r) => [r.event, r.actor_id])).toEqual([
      ['cadence.paused', lead.id],
      ['cadence.unpaused', lead.id],
    ]);
    expect(rows[rows.length - 2].detail).toMatchObject({ note: 'vendor migration' });
  });

  it('reclassifying high -> limited removes the quarterly Schedule; the AIIA stays', async () => {
    const res = await api().patch(`/systems/${systemId}`).set(admin()).send({ riskTier: 'limited' });
    expect(res.status).toBe(200);
    expect(await describeSchedule(reviewId)).toBeUndefined();
    expect(await describeSchedule(`aiia:${systemId}`)).toBeDefined();
    const list = await api().get(`/systems/${systemId}/cadences`).set(admin());
    expect(list.body.map((c: { kind: string }) => c.kind)).toEqual(['aiia']);
    expect((await api().post(`/cadences/${reviewId}/trigger`).set(admin())).status).toBe(404);
  });

  it('retirement removes every Schedule', async () => {
    const res = await api().patch(`/systems/${systemId}`).set(admin()).send({ lifecycleStage: 'retirement' });
    expect(res.status).toBe(200);
    expect(await describeSchedule(`aiia:${systemId}`)).toBeUndefined();
    expect((await api().get(`/systems/${systemId}/cadences`).set(admin())).body).toEqual([]);
  });

  it('an unacceptable system gets no Schedule and the governance lead is alerted by email', async () => {
    const res = await api()
      .post('/systems')
      .set(bearer(lead.token))
      .send(
        systemBody({
          name: `Social scoring ${uniq}`,
          ownerId: owner.id,
          riskTier: 'unacceptable',
          lifecycleStage: 'deployment',
          goLiveDate,
        }),
      );
    expect(res.status).toBe(201);
    const id = res.body.id;
    expect((await api().get(`/systems/${id}/cadences`).set(admin())).body).toEqual([]);
    expect(await describeSchedule(`aiia:${id}`)).toBeUndefined();
    expect(await describeSchedule(`high-risk-review:${id}`)).toBeUndefined();
    const mail = await stack.inbox.waitFor((m) => m.to.includes(lead.email) && m.subject.includes(`Social scoring ${uniq}`), 60_000);
    expect(mail.subject).toMatch(/Prohibited AI system/);
    // No go-live AIIA for a prohibited system.
    const tasks = await api().get('/tasks').query({ subjectId: id }).set(admin());
    expect(tasks.body.total).toBe(0);
  });
});

describe('retiring a system ends its open work', () => {
  let owner: Awaited<ReturnType<typeof person>>;
  let lead: Awaited<ReturnType<typeof person>>;
  let systemId: string;
  let taskIds: string[];
  const name = `Churn model ${uniq}`;
  const reason = `the AI system ${name} was retired`;
  const period = quarterOf(new Date(), 'UTC').key;

  type CycleRow = { kind: string; period: string; open: number; approved: number; cancelled: number; total: number; expected: number };
  async function cycleRow(kind: string, p: string): Promise<CycleRow | undefined> {
    const res = await api().get('/status/cycles').query({ kind, period: p }).set(bearer(lead.token));
    expect(res.status).toBe(200);
    return res.body.find((r: CycleRow) => r.kind === kind && r.period === p);
  }
  const cancelledMails = async () =>
    (await stack.inbox.for(owner.email)).filter((m) => m.subject.startsWith('Cancelled:') && m.subject.includes(name));

  beforeAll(async () => {
    owner = await person('Cora Owner', 'owner');
    lead = await person('Gil Lead', 'governance_lead');
  });

  it('its open high-risk review and go-live AIIA are cancelled: Temporal, read model, audit trail, one email each', async () => {
    const res = await api()
      .post('/systems')
      .set(bearer(lead.token))
      .send(
        systemBody({ name, ownerId: owner.id, riskTier: 'high', lifecycleStage: 'operation_and_monitoring', goLiveDate: '2026-03-17' }),
      );
    expect(res.status).toBe(201);
    systemId = res.body.id;
    expect((await api().post(`/cadences/high-risk-review:${systemId}/trigger`).set(bearer(lead.token))).status).toBe(200);
    taskIds = [`high-risk-review:${systemId}:${period}`, `aiia:${systemId}:go-live`];
    await eventually(async () => {
      const page = await api().get('/tasks').query({ subjectId: systemId, state: 'open' }).set(bearer(lead.token));
      return page.status === 200 && page.body.total === 2;
    }, 'the open review and AIIA in the read model');
    const before = { review: (await cycleRow('high-risk-review', period))!, aiia: (await cycleRow('aiia', 'go-live'))! };

    const retired = await api().patch(`/systems/${systemId}`).set(bearer(lead.token)).send({ lifecycleStage: 'retirement' });
    expect(retired.status).toBe(200);
    expect(retired.body.lifecycleStage).toBe('retirement');

    for (const id of taskIds) {
      // The workflow completed, with the cancellation as its result.
      const result = await temporal.workflow.getHandle(id).result();
      expect(result).toMatchObject({ taskId: id, state: 'cancelled', overdue: false, cancellation: { by: lead.id, reason } });
      expect((await temporal.workflow.getHandle(id).describe()).status.name).toBe('COMPLETED');
      // The read model says cancelled, with the reason.
      const row = await eventually(async () => {
        const r = await api()
          .get(`/tasks/${encodeURIComponent(id)}`)
          .set(bearer(lead.token));
        return r.status === 200 && r.body.state === 'cancelled' && r.body;
      }, `${id} cancelled in the read model`);
      expect(row).toMatchObject({ state: 'cancelled', overdue: false, cancellation: { by: lead.id, reason } });
      // The audit trail has the event, by the person who retired the system.
      const events: Array<{ event: string; actor_id: string; detail: Record<string, unknown> }> = await db.query(
        `SELECT event, actor_id, detail FROM audit_events WHERE stream_id = $1 AND event = 'cancelled'`,
        [id],
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor_id: lead.id, detail: { reason, state: 'cancelled' } });
    }

    // The owner is told once per task, over SMTP.
    await stack.inbox.waitForCount(
      (m) => m.to.includes(owner.email) && m.subject.startsWith('Cancelled:') && m.subject.includes(name),
      2,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    const mails = await cancelledMails();
    expect(taskIds.map((id) => mails.filter((m) => m.text.includes(id)).length)).toEqual([1, 1]);
    expect(mails[0].text).toContain(`Reason: ${reason}`);

    // Coverage: the cancelled work is counted apart, not as done, and the retired system is not missing.
    const after = { review: (await cycleRow('high-risk-review', period))!, aiia: (await cycleRow('aiia', 'go-live'))! };
    for (const k of ['review', 'aiia'] as const) {
      expect(after[k]).toMatchObject({
        open: before[k].open - 1,
        approved: before[k].approved,
        cancelled: before[k].cancelled + 1,
        total: before[k].total - 1,
        expected: before[k].expected - 1,
      });
    }
  });

  it('retiring again is idempotent: nothing more is cancelled, recorded or sent', async () => {
    const again = await api().patch(`/systems/${systemId}`).set(bearer(lead.token)).send({ lifecycleStage: 'retirement' });
    expect(again.status).toBe(200);
    const events: Array<{ n: number }> = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE stream_id = ANY($1) AND event = 'cancelled'`,
      [taskIds],
    );
    expect(events[0].n).toBe(2);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await cancelledMails()).toHaveLength(2);
    const open = await api().get('/tasks').query({ subjectId: systemId, state: 'open' }).set(bearer(lead.token));
    expect(open.body.total).toBe(0);
  });
});

describe('bad input to the cadence, task and status endpoints', () => {
  let owner: Awaited<ReturnType<typeof person>>;
  let lead: Awaited<ReturnType<typeof person>>;
  let systemId: string;
  let reviewId: string;
  let taskId: string;

  beforeAll(async () => {
    owner = await person('Bea Owner', 'owner');
    lead = await person('Lars Lead', 'governance_lead');
    const res = await api()
      .post('/systems')
      .set(admin())
      .send(systemBody({ name: `Fraud model ${uniq}`, ownerId: owner.id, riskTier: 'high', lifecycleStage: 'deployment' }));
    expect(res.status).toBe(201);
    systemId = res.body.id;
    reviewId = `high-risk-review:${systemId}`;
    expect((await api().post(`/cadences/${reviewId}/trigger`).set(admin())).status).toBe(200);
    taskId = `high-risk-review:${systemId}:${quarterOf(new Date(), 'UTC').key}`;
    await eventually(
      async () =>
        (
          await api()
            .get(`/tasks/${encodeURIComponent(taskId)}`)
            .set(admin())
        ).status === 200,
      'the task',
    );
  });

  it('GET /systems/:id/cadences: malformed id 400, unknown system 404', async () => {
    expect400(await api().get('/systems/not-a-uuid/cadences').set(admin()), 'id');
    expect((await api().get(`/systems/${RANDOM_UUID}/cadences`).set(admin())).status).toBe(404);
  });

  it('cadence actions: malformed id 400, unknown 404, wrong role 403, bad body 400 and nothing changes', async () => {
    const before = await auditCount(`cadence:${reviewId}`);
    expect400(await api().post('/cadences/nonsense/trigger').set(admin()), 'id');
    expect400(
      await api()
        .post('/cadences/weekly:' + systemId + '/pause')
        .set(admin())
        .send({}),
      'id',
    );
    expect400(await api().post('/cadences/aiia:not-a-uuid/unpause').set(admin()).send({}), 'id');
    expect((await api().post(`/cadences/aiia:${RANDOM_UUID}/trigger`).set(admin())).status).toBe(404);
    expect((await api().post(`/cadences/aiia:${RANDOM_UUID}/pause`).set(admin()).send({})).status).toBe(404);
    expect((await api().post(`/cadences/${reviewId}/trigger`).set(bearer(owner.token))).status).toBe(403);
    expect((await api().post(`/cadences/${reviewId}/pause`).set(bearer(owner.token))).status).toBe(403);
    expect400(await api().post(`/cadences/${reviewId}/pause`).set(admin()).send({ note: 42 }), 'note');
    expect400(
      await api()
        .post(`/cadences/${reviewId}/pause`)
        .set(admin())
        .send({ note: 'x'.repeat(1001) }),
      'note',
    );
    expect400(await api().post(`/cadences/${reviewId}/pause`).set(admin()).send({ paused: true }), 'paused');
    expect400(await api().post(`/cadences/${reviewId}/trigger`).set(admin()).send({ now: true }), 'now');
    expect((await describeSchedule(reviewId))!.state.paused).toBe(false);
    // A trigger runs the cycle from the API, never through the Schedule: it has still run nothing.
    expect((await describeSchedule(reviewId))!.info.recentActions).toEqual([]);
    expect(await auditCount(`cadence:${reviewId}`)).toBe(before);
  });

  it('GET /tasks: wrong-typed, unknown and out-of-range filters are 400 with field names', async () => {
    expect400(await api().get('/tasks').query({ ownerId: 'x' }).set(admin()), 'ownerId');
    expect400(await api().get('/tasks').query({ kind: 'weekly' }).set(admin()), 'kind');
    expect400(await api().get('/tasks').query({ state: 'done' }).set(admin()), 'state');
    expect400(await api().get('/tasks').query({ overdue: 'yes' }).set(admin()), 'overdue');
    expect400(await api().get('/tasks').query({ limit: 0 }).set(admin()), 'limit');
    expect400(await api().get('/tasks').query({ limit: 201, offset: -1 }).set(admin()), 'limit', 'offset');
    expect400(await api().get('/tasks').query({ limit: 'ten' }).set(admin()), 'limit');
    expect400(await api().get('/tasks').query({ period: 'a b' }).set(admin()), 'period');
    expect400(await api().get('/tasks').query({ colour: 'red' }).set(admin()), 'colour');
    // The quarter's review is due 30 days after the quarter opened: overdue or not depends on today.
    const task = await api()
      .get(`/tasks/${encodeURIComponent(taskId)}`)
      .set(admin());
    const overdue = Date.parse(task.body.dueAt) < Date.now();
    expect(task.body.overdue).toBe(overdue);
    const ok = await api()
      .get('/tasks')
      .query({ overdue: String(overdue), state: 'open', subjectId: systemId, limit: 5 })
      .set(admin());
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ total: 1, limit: 5, offset: 0 });
    expect(ok.body.items[0].taskId).toBe(taskId);
    const none = await api()
      .get('/tasks')
      .query({ overdue: String(!overdue), subjectId: systemId })
      .set(admin());
    expect(none.body.total).toBe(0);
    const past = await api().get('/tasks').query({ subjectId: systemId, offset: 10 }).set(admin());
    expect(past.body).toMatchObject({ items: [], total: 1, offset: 10 });
    expect(
      (
        await api()
          .get(`/tasks/${encodeURIComponent(`high-risk-review:${RANDOM_UUID}:2026-Q1`)}`)
          .set(admin())
      ).status,
    ).toBe(404);
  });

  it('task Updates: bad bodies are 400, unknown tasks and people 404, and a refused call leaves the task as it was', async () => {
    const path = (verb: string) => `/tasks/${encodeURIComponent(taskId)}/${verb}`;
    const as = bearer(owner.token);
    expect400(await api().post(path('submit')).set(as).send({}), 'summary');
    expect400(await api().post(path('submit')).set(as).send({ summary: 7 }), 'summary');
    expect400(await api().post(path('submit')).set(as).send({ summary: '' }), 'summary');
    expect400(
      await api()
        .post(path('submit'))
        .set(as)
        .send({ summary: 'x'.repeat(10_001) }),
      'summary',
    );
    expect400(
      await api()
        .post(path('submit'))
        .set(as)
        .send({ summary: 'ok', evidenceUrls: ['not a url'] }),
      'evidenceUrls',
    );
    expect400(await api().post(path('submit')).set(as).send({ summary: 'ok', evidenceUrls: 'https://x.test' }), 'evidenceUrls');
    const many = Array.from({ length: 21 }, (_, i) => `https://x.test/${i}`);
    expect400(await api().post(path('submit')).set(as).send({ summary: 'ok', evidenceUrls: many }), 'evidenceUrls');
    expect400(await api().post(path('submit')).set(as).send({ summary: 'ok', approved: true }), 'approved');
    expect400(await api().post(path('approve')).set(admin()).send({ comment: 5 }), 'comment');
    expect400(await api().post(path('reject')).set(admin()).send({}), 'reason');
    expect400(await api().post(path('reassign')).set(admin()).send({ newOwnerId: 'bob', reason: 'r' }), 'newOwnerId');
    expect400(await api().post(path('reassign')).set(admin()).send({ newOwnerId: lead.id }), 'reason');
    expect400(await api().post(path('extend')).set(admin()).send({ newDueAt: '2030-01-01', reason: 'r' }), 'newDueAt');
    expect400(await api().post(path('extend')).set(admin()).send({ newDueAt: 'tomorrow', reason: 'r' }), 'newDueAt');
    expect400(await api().post(path('extend')).set(admin()).send({ newDueAt: '2030-01-01T00:00:00Z' }), 'reason');
    expect((await api().post(path('reassign')).set(admin()).send({ newOwnerId: RANDOM_UUID, reason: 'r' })).status).toBe(404);
    const unknown = `/tasks/${encodeURIComponent(`aiia:${RANDOM_UUID}:2026`)}/submit`;
    expect((await api().post(unknown).set(as).send({ summary: 'x' })).status).toBe(404);

    // Refused by the workflow's validators: the reason comes back, nothing changes.
    const early = await api().post(path('approve')).set(bearer(lead.token)).send({});
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/not submitted/);
    const notOwner = await api()
      .post(path('submit'))
      .set(bearer(lead.token))
      .send({ summary: 'not mine', answers: validAnswers('high-risk-review') });
    expect(notOwner.status).toBe(403);
    // Answers that break the review's form: a 400 naming the field, before the workflow is asked.
    expect400(
      await api()
        .post(path('submit'))
        .set(as)
        .send({ summary: 'ok', answers: { ...validAnswers('high-risk-review'), dataDrift: 'maybe' } }),
      'answers.dataDrift',
    );
    const ownerExtends = await api().post(path('extend')).set(as).send({ newDueAt: '2099-01-01T00:00:00Z', reason: 'more time' });
    expect(ownerExtends.status).toBe(403);
    const past = await api().post(path('extend')).set(admin()).send({ newDueAt: '2001-01-01T00:00:00Z', reason: 'oops' });
    expect(past.status).toBe(400);
    const task = await api()
      .get(`/tasks/${encodeURIComponent(taskId)}`)
      .set(admin());
    expect(task.body).toMatchObject({ state: 'open', submissions: 0, ownerId: owner.id });
    const rows: Array<{ n: number }> = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE stream_id = $1 AND event IN ('submitted', 'approved', 'rejected', 'reassigned', 'due-extended')`,
      [taskId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('a governance lead may move the due date later and the ladder follows', async () => {
    const res = await api()
      .post(`/tasks/${encodeURIComponent(taskId)}/extend`)
      .set(bearer(lead.token))
      .send({ newDueAt: '2099-06-30T17:00:00+02:00', reason: 'audit freeze' });
    expect(res.status).toBe(200);
    expect(res.body.dueAt).toBe('2099-06-30T15:00:00.000Z');
    expect(res.body.nextStep).toBeDefined();
  });

  it('status: wrong-typed and unknown filters are 400', async () => {
    expect400(await api().get('/status/cycles').query({ kind: 'weekly' }).set(admin()), 'kind');
    expect400(await api().get('/status/cycles').query({ period: '../etc' }).set(admin()), 'period');
    expect400(await api().get('/status/cycles').query({ x: 1 }).set(admin()), 'x');
    expect400(await api().get('/status/overdue').query({ ownerId: 'me' }).set(admin()), 'ownerId');
    expect((await api().get('/status/overdue').set(bearer(owner.token))).status).toBe(403);
  });
});

describe('a 29 February go-live', () => {
  it('its yearly AIIA Schedule fires on 29 February in leap years and 28 February otherwise, in Temporal itself', async () => {
    const owner = await person('Lea Leap', 'owner');
    const res = await api()
      .post('/systems')
      .set(admin())
      .send(
        systemBody({
          name: `Leap-day model ${uniq}`,
          ownerId: owner.id,
          riskTier: 'limited',
          lifecycleStage: 'operation_and_monitoring',
          goLiveDate: '2028-02-29',
        }),
      );
    expect(res.status).toBe(201);
    const aiia = await eventually(() => describeSchedule(`aiia:${res.body.id}`), 'the AIIA Schedule');
    expect(aiia.spec.calendars).toHaveLength(2);
    const fires = aiia.info.nextActionTimes.map((d) => d.toISOString().slice(0, 10));
    expect(fires.length).toBeGreaterThanOrEqual(3);
    // Not live before 29 February 2028: the Schedule starts on 1 March 2028, its first run is 28 February 2029.
    expect(aiia.spec.startAt?.toISOString()).toBe('2028-03-01T00:00:00.000Z');
    const expected = nextRunTimes(
      { months: [2], dayOfMonth: 29, hour: 0, minute: 0, timeZone: 'UTC' },
      new Date('2028-03-01T00:00:00Z'),
      fires.length,
    );
    expect(fires).toEqual(expected.map((d) => d.toISOString().slice(0, 10)));
    expect(fires[0]).toBe('2029-02-28');
    // One run a year, on the 29th when the year has one.
    for (const day of fires) expect(day.slice(5)).toBe(Number(day.slice(0, 4)) % 4 === 0 ? '02-29' : '02-28');

    const list = await api().get(`/systems/${res.body.id}/cadences`).set(bearer(owner.token));
    expect({ status: list.status, isList: Array.isArray(list.body) }).toEqual({ status: 200, isList: true });
    const a = list.body.find((c: { kind: string }) => c.kind === 'aiia');
    expect(a.calendar).toEqual({ months: [2], dayOfMonth: 29, hour: 0, minute: 0, timeZone: 'UTC' });
  });
});

describe("cadences from the system's real state (issue 8, item 3)", () => {
  let owner: Awaited<ReturnType<typeof person>>;
  let lead: Awaited<ReturnType<typeof person>>;
  const quarter = () => quarterOf(new Date(), 'UTC').key;
  const DAY = 24 * 3600 * 1000;

  type Row = { expected: number; total: number; open: number; approved: number };
  async function reviewRow(): Promise<Row> {
    const res = await api().get('/status/cycles').query({ kind: 'high-risk-review', period: quarter() }).set(bearer(lead.token));
    expect(res.status).toBe(200);
    return res.body.find((r: { period: string }) => r.period === quarter()) ?? { expected: 0, total: 0, open: 0, approved: 0 };
  }

  async function running(workflowId: string): Promise<boolean> {
    try {
      return (await temporal.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
    } catch {
      return false;
    }
  }

  /** Triggers a cadence: the status and body of its answer (the cycle's result). */
  async function trigger(cadenceId: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await api().post(`/cadences/${cadenceId}/trigger`).set(bearer(lead.token));
    return { status: res.status, body: res.body };
  }

  async function tasksOf(systemId: string, kind: string, total: number): Promise<Array<{ taskId: string; period: string; state: string }>> {
    const page = await eventually(async () => {
      const res = await api().get('/tasks').query({ subjectId: systemId, kind }).set(bearer(lead.token));
      return res.status === 200 && res.body.total === total && res.body;
    }, `${total} ${kind} task(s) of ${systemId} in the read model`);
    return page.items;
  }

  const register = async (name: string, over: Record<string, unknown>) => {
    const res = await api()
      .post('/systems')
      .set(bearer(lead.token))
      .send(systemBody({ name: `${name} ${uniq}`, ownerId: owner.id, ...over }));
    expect(res.status).toBe(201);
    return res.body as { id: string; createdAt: string };
  };

  beforeAll(async () => {
    owner = await person('Rita Owner', 'owner');
    lead = await person('Hal Lead', 'governance_lead');
  });

  it('a high system registered mid-quarter has its review at once; a trigger finds it already open; coverage counts it', async () => {
    const before = await reviewRow();
    const system = await register('Loan pricing', { riskTier: 'high', lifecycleStage: 'deployment' });
    const taskId = `high-risk-review:${system.id}:${quarter()}`;
    // Right after the 201, with no wait: the review's workflow is running.
    expect(await running(taskId)).toBe(true);
    const status = await temporal.workflow.getHandle(taskId).query<{ dueAt: string; period: string; cadenceId: string }>('status');
    expect(status).toMatchObject({ period: quarter(), cadenceId: `high-risk-review:${system.id}` });
    // Opened late in the quarter: due 30 calendar days after its opening (UTC here: 30 x 24 h).
    const dueIn = Date.parse(status.dueAt) - Date.parse(system.createdAt);
    expect(dueIn).toBeGreaterThanOrEqual(30 * DAY);
    expect(dueIn).toBeLessThan(30 * DAY + 10_000);

    expect(await trigger(`high-risk-review:${system.id}`)).toMatchObject({
      status: 200,
      body: { outcome: 'already-open', taskId, period: quarter() },
    });
    expect((await tasksOf(system.id, 'high-risk-review', 1)).map((t) => t.taskId)).toEqual([taskId]);

    const after = await eventually(async () => {
      const r = await reviewRow();
      return r.total === before.total + 1 && r;
    }, 'the review counted in /status/cycles');
    expect(after.expected).toBe(before.expected + 1);
    expect(after.expected - after.total).toBe(before.expected - before.total);
  });

  it('reclassified up mid-quarter: one review at once, and no second on more changes', async () => {
    const system = await register('Churn scoring', { riskTier: 'limited', lifecycleStage: 'deployment' });
    const taskId = `high-risk-review:${system.id}:${quarter()}`;
    expect(await running(taskId)).toBe(false);
    const up = await api().patch(`/systems/${system.id}`).set(bearer(lead.token)).send({ riskTier: 'high' });
    expect(up.status).toBe(200);
    expect(await running(taskId)).toBe(true);
    for (const change of [{ name: `Churn scoring v2 ${uniq}` }, { riskTier: 'limited' }, { riskTier: 'high' }]) {
      expect((await api().patch(`/systems/${system.id}`).set(bearer(lead.token)).send(change)).status).toBe(200);
    }
    expect((await tasksOf(system.id, 'high-risk-review', 1)).map((t) => t.taskId)).toEqual([taskId]);
  });

  it('a system registered already live with no go-live date gets one initial AIIA, due 30 days after registration', async () => {
    const system = await register('Support triage', { riskTier: 'minimal', lifecycleStage: 'operation_and_monitoring' });
    const taskId = `aiia:${system.id}:initial`;
    expect(await running(taskId)).toBe(true);
    const status = await temporal.workflow.getHandle(taskId).query<{ dueAt: string; period: string; title: string }>('status');
    expect(status.period).toBe('initial');
    expect(status.title).toContain('Initial AI impact assessment');
    expect(Date.parse(status.dueAt)).toBe(Date.parse(system.createdAt) + 30 * DAY);
    // A go-live date recorded later opens no second AIIA of the same go-live.
    expect((await api().patch(`/systems/${system.id}`).set(bearer(lead.token)).send({ goLiveDate: '2025-11-03' })).status).toBe(200);
    expect(await running(`aiia:${system.id}:go-live`)).toBe(false);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await tasksOf(system.id, 'aiia', 1)).map((t) => t.taskId)).toEqual([taskId]);
  });

  it('a system registered before its go-live gets exactly one AIIA around go-live: the yearly one starts a year later', async () => {
    const goLive = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    const system = await register('Claims assistant', {
      riskTier: 'limited',
      lifecycleStage: 'verification_and_validation',
      goLiveDate: goLive,
    });
    expect(await running(`aiia:${system.id}:go-live`)).toBe(true);
    const aiia = (await describeSchedule(`aiia:${system.id}`))!;
    const [y, m, d] = goLive.split('-').map(Number);
    const firstAnniversary = new Date(Date.UTC(y + 1, m - 1, d)).toISOString();
    // Temporal itself runs the yearly AIIA first on the first anniversary, never on the go-live day.
    expect(aiia.spec.startAt?.toISOString()).toBe(new Date(Date.UTC(y, m - 1, d + 1)).toISOString());
    expectJittered([aiia.info.nextActionTimes[0]], [firstAnniversary]);
    // A run before then (a trigger) opens nothing.
    const early = await trigger(`aiia:${system.id}`);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain(`is due before ${firstAnniversary} (the first anniversary of its go-live)`);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await tasksOf(system.id, 'aiia', 1)).map((t) => t.taskId)).toEqual([`aiia:${system.id}:go-live`]);
  });

  it('retiring right after registering cancels the work opened at once, even before the read model has it', async () => {
    const system = await register('Quick retire', { riskTier: 'high', lifecycleStage: 'operation_and_monitoring' });
    const ids = [`high-risk-review:${system.id}:${quarter()}`, `aiia:${system.id}:initial`];
    const retired = await api().patch(`/systems/${system.id}`).set(bearer(lead.token)).send({ lifecycleStage: 'retirement' });
    expect(retired.status).toBe(200);
    for (const id of ids) expect(await temporal.workflow.getHandle(id).result()).toMatchObject({ taskId: id, state: 'cancelled' });
  });

  describe('POST /systems/:id/significant-change', () => {
    let system: { id: string; createdAt: string };
    const path = () => `/systems/${system.id}/significant-change`;
    const changes = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE stream_id = $1 AND event = 'system.significant-change'`, [
        `system:${system.id}`,
      ])) as Array<{ n: number }>;

    beforeAll(async () => {
      system = await register('Route planner', {
        riskTier: 'limited',
        lifecycleStage: 'operation_and_monitoring',
        goLiveDate: '2026-01-05',
      });
    });

    it('opens an AIIA at once, due 30 calendar days later, recorded with its reason in the audit trail', async () => {
      const t0 = Date.now();
      const res = await api().post(path()).set(bearer(lead.token)).send({ reason: '  New model version trained on 2026 data  ' });
      expect(res.status).toBe(201);
      const taskId = `aiia:${system.id}:significant-change-1`;
      expect(res.body).toMatchObject({
        systemId: system.id,
        taskId,
        period: 'significant-change',
        reason: 'New model version trained on 2026 data',
        created: true,
      });
      const due = Date.parse(res.body.dueAt);
      expect(due).toBe(Date.parse(res.body.recordedAt) + 30 * DAY);
      expect(due).toBeGreaterThanOrEqual(t0 + 30 * DAY - 1000);
      expect(await running(taskId)).toBe(true);
      const status = await temporal.workflow.getHandle(taskId).query<{ dueAt: string; title: string }>('status');
      expect(status.dueAt).toBe(res.body.dueAt);
      expect(status.title).toContain('after a significant change');
      const events: Array<{ actor_id: string; detail: Record<string, unknown> }> = await db.query(
        `SELECT actor_id, detail FROM audit_events WHERE stream_id = $1 AND event = 'system.significant-change'`,
        [`system:${system.id}`],
      );
      expect(events).toEqual([
        { actor_id: lead.id, detail: { reason: 'New model version trained on 2026 data', taskId, dueAt: res.body.dueAt, n: 1 } },
      ]);
    });

    it('a retry of the same change answers the same AIIA (200) and records nothing more; another change opens its own', async () => {
      const again = await api().post(path()).set(bearer(lead.token)).send({ reason: 'New model version trained on 2026 data' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ taskId: `aiia:${system.id}:significant-change-1`, created: false });
      expect((await changes())[0].n).toBe(1);
      const other = await api().post(path()).set(admin()).send({ reason: 'Now also used for pricing decisions' });
      expect(other.status).toBe(201);
      expect(other.body.taskId).toBe(`aiia:${system.id}:significant-change-2`);
      expect((await changes())[0].n).toBe(2);
    });

    it('bad input is a 400 naming the field; unknown 404; wrong role 403; nothing recorded', async () => {
      expect400(await api().post(path()).set(bearer(lead.token)).send({}), 'reason');
      expect400(await api().post(path()).set(bearer(lead.token)).send({ reason: '   ' }), 'reason');
      expect400(await api().post(path()).set(bearer(lead.token)).send({ reason: 7 }), 'reason');
      expect400(
        await api()
          .post(path())
          .set(bearer(lead.token))
          .send({ reason: 'x'.repeat(2001) }),
        'reason',
      );
      expect400(await api().post(path()).set(bearer(lead.token)).send({ reason: 'ok', urgent: true }), 'urgent');
      expect400(await api().post('/systems/not-a-uuid/significant-change').set(bearer(lead.token)).send({ reason: 'x' }), 'id');
      const unknown = await api().post(`/systems/${RANDOM_UUID}/significant-change`).set(bearer(lead.token)).send({ reason: 'x' });
      expect(unknown.status).toBe(404);
      expect((await api().post(path()).set(bearer(owner.token)).send({ reason: 'mine' })).status).toBe(403);
      expect((await changes())[0].n).toBe(2);
    });

    it('retiring the system cancels its significant-change AIIAs with the rest; a retired or prohibited system is a 409 naming why', async () => {
      const ids = [`aiia:${system.id}:go-live`, `aiia:${system.id}:significant-change-1`, `aiia:${system.id}:significant-change-2`];
      await eventually(async () => {
        const res = await api().get('/tasks').query({ subjectId: system.id, state: 'open' }).set(bearer(lead.token));
        return res.body.total === 3 && res.body;
      }, 'the three open AIIAs in the read model');
      const retired = await api().patch(`/systems/${system.id}`).set(bearer(lead.token)).send({ lifecycleStage: 'retirement' });
      expect(retired.status).toBe(200);
      for (const id of ids) expect(await temporal.workflow.getHandle(id).result()).toMatchObject({ taskId: id, state: 'cancelled' });

      const refused = await api().post(path()).set(bearer(lead.token)).send({ reason: 'late change' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/retired/);
      const banned = await register('Emotion scoring', { riskTier: 'unacceptable', lifecycleStage: 'deployment' });
      const no = await api().post(`/systems/${banned.id}/significant-change`).set(bearer(lead.token)).send({ reason: 'x' });
      expect(no.status).toBe(409);
      expect(no.body.message).toMatch(/prohibited/);
      expect((await changes())[0].n).toBe(2);
    });
  });
});
