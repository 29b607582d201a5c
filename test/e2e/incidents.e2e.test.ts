/**
 * Incidents and corrective actions against the real stack (PostgreSQL, Temporal dev server,
 * SMTP inbox, worker and API as child processes): an incident opened over HTTP starts its
 * clocks and emails the responder and the governance lead; the responder acts on it until it
 * closes; a late-opened incident is breached at once; a nonconformity raised from it starts
 * its corrective action; bad input is refused and leaves nothing behind.
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { addCalendar, DAY_MS, HOUR_MS } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, registerPerson, RegisteredPerson, systemBody, validAnswers } from './support/fixtures';

jest.setTimeout(180_000);

let stack: TestStack;
let temporal: Client;
let clients: StackClients;
let db: DataSource;

const api = () => request(stack.apiUrl);
const uniq = Math.random().toString(36).slice(2, 8);
const RANDOM_UUID = '0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a';

let responder: RegisteredPerson;
let lead: RegisteredPerson;
let ceo: RegisteredPerson;
let owner: RegisteredPerson;
let verifier: RegisteredPerson;
let stranger: RegisteredPerson;
let systemId: string;

function expect400(res: request.Response, ...fields: string[]): void {
  expect(res.status).toBe(400);
  const named = (res.body.errors ?? []).map((e: { field: string }) => e.field);
  for (const f of fields) expect(named).toContain(f);
}

function incidentBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    systemId,
    title: `Chatbot disclosed a customer address ${uniq}`,
    description: 'The support chatbot answered one customer with another customer’s postal address.',
    severity: 'high',
    detectedAt: new Date(Date.now() - 2 * HOUR_MS).toISOString(),
    responderId: responder.id,
    ...over,
  };
}

async function workflowStatus(workflowId: string): Promise<string | undefined> {
  try {
    return (await temporal.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

async function counts(): Promise<{ incidents: number; nonconformities: number; audit: number; workflows: number }> {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM incidents) AS incidents, (SELECT count(*)::int FROM nonconformities) AS nonconformities,
            (SELECT count(*)::int FROM audit_events WHERE stream_id LIKE 'incident:%' OR stream_id LIKE 'nonconformity:%') AS audit`,
  );
  let workflows = 0;
  for await (const _ of temporal.workflow.list({ query: `WorkflowType = 'incident' OR WorkflowType = 'correctiveAction'` })) workflows++;
  return { ...row, workflows };
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  clients = await connectToStack(stack);
  ({ temporal, db } = clients);
  const person = (name: string, role: string, managerId?: string) => registerPerson(stack, name, role, uniq, managerId);
  ceo = await person('Tess Top', 'management');
  lead = await person('Greta Lead', 'governance_lead');
  responder = await person('Rita Responder', 'responder', ceo.id);
  owner = await person('Otto Owner', 'owner', ceo.id);
  verifier = await person('Vera Verifier', 'auditor');
  stranger = await person('Sam Stranger', 'owner');
  const sys = await api()
    .post('/systems')
    .set(bearer(lead.token))
    .send(
      systemBody({ name: `Support chatbot ${uniq}`, ownerId: owner.id, riskTier: 'limited', lifecycleStage: 'operation_and_monitoring' }),
    );
  expect(sys.status).toBe(201);
  systemId = sys.body.id;
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

describe('an incident from opening to closure', () => {
  let id: string;
  let detectedAt: string;

  it('opening it over HTTP starts every clock: the responder and the governance lead are emailed', async () => {
    detectedAt = new Date(Date.now() - 2 * HOUR_MS).toISOString();
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send(incidentBody({ detectedAt, regimes: [{ id: 'gdpr-art33' }, { id: 'eu-ai-act-art73', variant: 'death' }] }));
    expect(res.status).toBe(201);
    id = res.body.incidentId;
    const detected = Date.parse(detectedAt);
    const due = (ms: number) => new Date(detected + ms).toISOString();
    expect(res.body).toMatchObject({
      state: 'open',
      severity: 'high',
      responderId: responder.id,
      system: { id: systemId },
      breached: false,
    });
    expect(res.body.clocks.map((c: Record<string, unknown>) => [c.key, c.state, c.dueAt])).toEqual([
      ['draft', 'open', due(72 * HOUR_MS)],
      ['final', 'waiting', due(30 * DAY_MS)],
      ['gdpr-art33:notification', 'open', due(72 * HOUR_MS)],
      ['eu-ai-act-art73:report', 'open', due(10 * DAY_MS)],
    ]);

    // The workflow and its report tasks run in Temporal.
    expect(await workflowStatus(`incident:${id}`)).toBe('RUNNING');
    await eventually(async () => (await workflowStatus(`incident-report:${id}:draft`)) === 'RUNNING', 'the draft report task');
    await eventually(async () => (await workflowStatus(`regulatory-report:${id}:gdpr-art33:notification`)) === 'RUNNING', 'the GDPR task');

    // Over SMTP: the responder gets the draft report's work, the governance lead the incident.
    const toResponder = await stack.inbox.waitFor(
      (m) => m.to.includes(responder.email) && m.subject.includes('Draft incident report (72 hours)'),
      60_000,
    );
    expect(toResponder.subject).toContain(`Chatbot disclosed a customer address ${uniq}`);
    expect(toResponder.text).toContain('It is done when you submit it.');
    const toLead = await stack.inbox.waitFor((m) => m.to.includes(lead.email) && m.subject.startsWith('AI incident opened'), 60_000);
    expect(toLead.text).toContain(`/incidents/${id}`);
    expect(toLead.text).toContain('Severity: high');
  });

  it('GET /incidents/:id shows every clock: deadline, time left, not breached', async () => {
    const res = await eventually(async () => {
      const r = await api().get(`/incidents/${id}`).set(bearer(ceo.token));
      return r.status === 200 && r.body.version >= 1 && r.body;
    }, 'the workflow’s first snapshot');
    const draft = res.clocks.find((c: { key: string }) => c.key === 'draft');
    expect(draft).toMatchObject({ taskId: `incident-report:${id}:draft`, clockState: 'on-track', breached: false, lateByMs: 0 });
    expect(draft.timeLeftMs).toBeGreaterThan(69 * HOUR_MS);
    expect(draft.timeLeftMs).toBeLessThanOrEqual(70 * HOUR_MS);
    const art73 = res.clocks.find((c: { key: string }) => c.key === 'eu-ai-act-art73:report');
    expect(art73.regime).toMatchObject({ id: 'eu-ai-act-art73', variant: 'death' });
    expect(res.clockState).toBe('on-track');

    const open = await api().get('/incidents').query({ state: 'open', systemId }).set(bearer(ceo.token));
    expect(open.body.items.map((i: { incidentId: string }) => i.incidentId)).toContain(id);
    const breached = await api().get('/incidents').query({ breached: 'true', systemId }).set(bearer(ceo.token));
    expect(breached.body.items.map((i: { incidentId: string }) => i.incidentId)).not.toContain(id);
  });

  it('the responder acknowledges and contains it; others are refused; closing is refused until the reports are in', async () => {
    const path = (verb: string) => `/incidents/${id}/${verb}`;
    expect((await api().post(path('acknowledge')).set(bearer(stranger.token)).send({})).status).toBe(403);
    const ack = await api().post(path('acknowledge')).set(bearer(responder.token)).send({ note: 'on it' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ acknowledgedBy: responder.id });
    expect((await api().post(path('acknowledge')).set(bearer(responder.token)).send({})).status).toBe(409);

    const early = await api().post(path('close')).set(bearer(responder.token)).send({ summary: 'done' });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('cannot close before every report is in');

    const sev = await api()
      .post(path('severity'))
      .set(bearer(lead.token))
      .send({ severity: 'critical', reason: 'more customers affected' });
    expect(sev.status).toBe(200);
    expect(sev.body.severityChanges).toEqual([expect.objectContaining({ from: 'high', to: 'critical', by: lead.id })]);

    const contained = await api().post(path('containment')).set(bearer(responder.token)).send({ summary: 'Address lookup tool disabled' });
    expect(contained.status).toBe(200);
    expect(contained.body.containment).toMatchObject({ by: responder.id, summary: 'Address lookup tool disabled' });
  });

  it('the draft comes before the final report; only the responder submits; every report in, the incident closes', async () => {
    const report = (token: string, body: Record<string, unknown>) =>
      api()
        .post(`/incidents/${id}/report`)
        .set(bearer(token))
        .send({ answers: validAnswers('incident-report'), ...body });
    const finalFirst = await report(responder.token, { stage: 'final', summary: 'final' });
    expect(finalFirst.status).toBe(409);
    expect(finalFirst.body.message).toContain('the draft report comes first');
    expect((await report(lead.token, { stage: 'draft', summary: 'by someone else' })).status).toBe(403);

    const draft = await report(responder.token, {
      stage: 'draft',
      summary: 'One customer saw another’s address',
      evidenceUrls: ['https://wiki.example.com/inc/1'],
    });
    expect(draft.status).toBe(200);
    expect(draft.body.clocks.find((c: { key: string }) => c.key === 'draft')).toMatchObject({
      state: 'in',
      clockState: 'in-on-time',
      breached: false,
      timeLeftMs: null,
    });
    // Right after the draft: the final report opens and takes its submission.
    const final = await report(responder.token, { stage: 'final', summary: 'Root cause: tool returned unscoped records' });
    expect(final.status).toBe(200);
    expect(final.body.clocks.find((c: { key: string }) => c.key === 'final')).toMatchObject({ state: 'in' });

    const unknown = await api()
      .post(`/incidents/${id}/regulatory-reports`)
      .set(bearer(responder.token))
      .send({ regimeId: 'nis2-art23', report: 'early-warning', summary: 'x', answers: validAnswers('regulatory-report') });
    expect400(unknown, 'report');
    for (const [regimeId, key] of [
      ['gdpr-art33', 'notification'],
      ['eu-ai-act-art73', 'report'],
    ]) {
      const filed = await api()
        .post(`/incidents/${id}/regulatory-reports`)
        .set(bearer(responder.token))
        .send({ regimeId, report: key, summary: `Filed with the authority, ref ${key}`, answers: validAnswers('regulatory-report') });
      expect(filed.status).toBe(200);
    }

    const closed = await api()
      .post(`/incidents/${id}/close`)
      .set(bearer(responder.token))
      .send({ summary: 'Contained, reported, tool fixed' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', closedBy: responder.id, breached: false, clockState: 'in-on-time' });
    await eventually(async () => (await workflowStatus(`incident:${id}`)) === 'COMPLETED', 'the incident workflow to complete');
    expect((await api().post(`/incidents/${id}/acknowledge`).set(bearer(responder.token)).send({})).status).toBe(409);

    const trail: Array<{ event: string }> = await db.query(`SELECT event FROM audit_events WHERE stream_id = $1 ORDER BY seq`, [
      `incident:${id}`,
    ]);
    const events = trail.map((r) => r.event);
    expect(events.slice(0, 2)).toEqual(['incident.reported', 'opened']);
    for (const e of ['acknowledged', 'severity-changed', 'contained', 'report-in', 'report-opened', 'closed']) expect(events).toContain(e);
    expect(events.filter((e) => e === 'report-in')).toHaveLength(4);
  });

  it('a nonconformity raised from the incident starts its corrective action, and the log lists it', async () => {
    const self = await api()
      .post(`/incidents/${id}/nonconformities`)
      .set(bearer(lead.token))
      .send({ title: 'Unscoped customer lookup', description: 'x', grade: 'major', actionOwnerId: owner.id, verifierId: owner.id });
    expect400(self, 'verifierId');

    const res = await api()
      .post(`/incidents/${id}/nonconformities`)
      .set(bearer(lead.token))
      .send({
        title: `Unscoped customer lookup ${uniq}`,
        description: 'The lookup tool ignores the session customer',
        grade: 'major',
        actionOwnerId: owner.id,
        verifierId: verifier.id,
      });
    expect(res.status).toBe(201);
    const ncId = res.body.nonconformityId;
    expect(res.body).toMatchObject({ source: { type: 'incident', ref: id }, grade: 'major', step: 'containment', state: 'open', loops: 0 });
    const mail = await stack.inbox.waitFor(
      (m) => m.to.includes(owner.email) && m.subject.includes(`Contain the nonconformity: Unscoped customer lookup ${uniq}`),
      60_000,
    );
    expect(mail.text).toContain(`corrective-action-step:${ncId}:containment`);

    // Read your writes: the answer names the containment step's task, which reads and takes its submission at once.
    const containmentTask = `corrective-action-step:${ncId}:containment`;
    expect(res.body.currentTaskId).toBe(containmentTask);
    const read = await api()
      .get(`/tasks/${encodeURIComponent(containmentTask)}`)
      .set(bearer(owner.token));
    expect({ status: read.status, state: read.body.state }).toEqual({ status: 200, state: 'open' });
    // Only an effectiveness check takes an outcome, and it must have one (field-level 400s, nothing recorded).
    const withOutcome = await api()
      .post(`/tasks/${encodeURIComponent(containmentTask)}/submit`)
      .set(bearer(owner.token))
      .send({ summary: 'Tool disabled', outcome: 'effective' });
    expect400(withOutcome, 'outcome');
    const check = `/tasks/${encodeURIComponent(`corrective-action-step:${ncId}:effectiveness-check-1`)}/submit`;
    expect400(await api().post(check).set(bearer(verifier.token)).send({ summary: 'Works' }), 'outcome');
    expect400(await api().post(check).set(bearer(verifier.token)).send({ summary: 'Works', outcome: 'maybe' }), 'outcome');
    // Submitting it (one Update on the corrective action) answers once the root cause is open: no wait.
    const submit = await api()
      .post(`/tasks/${encodeURIComponent(containmentTask)}/submit`)
      .set(bearer(owner.token))
      .send({ summary: 'Tool disabled' });
    expect(submit.status).toBe(200);
    expect(submit.body).toMatchObject({ taskId: containmentTask, state: 'completed' });
    const moved = (await api().get(`/nonconformities/${ncId}`).set(bearer(lead.token))).body;
    expect(moved.step).toBe('root-cause');
    expect(moved.containment).toMatchObject({ by: owner.id, summary: 'Tool disabled' });
    expect(moved.currentTaskId).toBe(`corrective-action-step:${ncId}:root-cause`);
    const rootCause = await api()
      .post(`/tasks/${encodeURIComponent(moved.currentTaskId)}/submit`)
      .set(bearer(owner.token))
      .send({ summary: 'The tool reads every customer' });
    expect(rootCause.status).toBe(200);
    expect((await api().get(`/nonconformities/${ncId}`).set(bearer(lead.token))).body.step).toBe('action');

    const log = await api().get('/nonconformities').query({ sourceType: 'incident', sourceRef: id }).set(bearer(ceo.token));
    expect(log.status).toBe(200);
    expect(log.body.items.map((n: { nonconformityId: string }) => n.nonconformityId)).toEqual([ncId]);
    expect(log.body.items[0]).toMatchObject({ ageDays: 0, actionOwnerId: owner.id, verifierId: verifier.id });
    expect((await api().get(`/incidents/${id}`).set(bearer(ceo.token))).body.nonconformityIds).toEqual([ncId]);

    const ncStatus = await api().get('/status/nonconformities').set(bearer(ceo.token));
    expect(ncStatus.status).toBe(200);
    expect(ncStatus.body.open).toBeGreaterThanOrEqual(1);
    expect(ncStatus.body.byAge[0]).toMatchObject({ bucket: '0-30 days' });
    expect(ncStatus.body.byStep).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'action' })]));
  });
});

describe('an incident opened after its 72 hours', () => {
  it('is breached at once: the governance lead and top management are emailed, and it lists as breached', async () => {
    const title = `Late-found model drift ${uniq}`;
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send(incidentBody({ title, detectedAt: new Date(Date.now() - 80 * HOUR_MS).toISOString() }));
    expect(res.status).toBe(201);
    const id = res.body.incidentId;
    expect(res.body).toMatchObject({ breached: true, clockState: 'breached' });
    expect(res.body.clocks[0]).toMatchObject({ key: 'draft', clockState: 'breached' });
    expect(res.body.clocks[0].lateByMs).toBeGreaterThanOrEqual(8 * HOUR_MS);

    for (const who of [lead, ceo, responder]) {
      await stack.inbox.waitFor(
        (m) => m.to.includes(who.email) && m.subject.startsWith('Deadline breached') && m.subject.includes(title),
        60_000,
      );
    }
    const breached = await api().get('/incidents').query({ breached: 'true' }).set(bearer(ceo.token));
    expect(breached.body.items.map((i: { incidentId: string }) => i.incidentId)).toContain(id);

    const kpis = await api().get('/status/incidents').set(bearer(ceo.token));
    expect(kpis.status).toBe(200);
    expect(kpis.body.open.byClockState.breached).toBeGreaterThanOrEqual(1);
    expect(kpis.body.reportsWithin72h).toMatchObject({ onTime: 1, late: 1, percent: 50 });
    expect(kpis.body.meanHoursFromDetection.toClose.incidents).toBe(1);
    expect((await api().get('/status/incidents').set(bearer(responder.token))).status).toBe(403);
  });
});

describe('bad input is refused with a clear 4xx and leaves nothing behind', () => {
  it('refuses a future detection, unknown regimes and variants, missing fields, unknown ids', async () => {
    const before = await counts();
    // The earlier suites left incidents, a nonconformity, their trail and workflows: each count can move.
    expect(Object.values(before).every((n) => n > 0)).toBe(true);
    const post = (body: Record<string, unknown>, token = responder.token) => api().post('/incidents').set(bearer(token)).send(body);

    const future = await post(incidentBody({ detectedAt: new Date(Date.now() + HOUR_MS).toISOString() }));
    expect400(future, 'detectedAt');
    expect(future.body.errors.find((e: { field: string }) => e.field === 'detectedAt').messages[0]).toContain('in the future');
    const regimes = await post(incidentBody({ regimes: [{ id: 'made-up-act' }, { id: 'eu-ai-act-art73', variant: 'sometimes' }] }));
    expect400(regimes, 'regimes.0.id', 'regimes.1.variant');
    expect(regimes.body.errors[0].messages[0]).toContain('unknown regime made-up-act');
    expect400(await post(incidentBody({ regimes: [{ id: 'constructor' }] })), 'regimes.0.id');
    expect400(await post(incidentBody({ detectedAt: '2026-11-01' })), 'detectedAt');
    expect400(
      await post({ title: '', severity: 'apocalyptic', extra: 1 }),
      'systemId',
      'title',
      'description',
      'severity',
      'detectedAt',
      'responderId',
      'extra',
    );
    expect((await post(incidentBody({ systemId: RANDOM_UUID }))).status).toBe(404);
    expect((await post(incidentBody({ responderId: RANDOM_UUID }))).status).toBe(404);
    expect((await post(incidentBody(), ceo.token)).status).toBe(403);

    const nc = await api()
      .post('/nonconformities')
      .set(bearer(verifier.token))
      .send({
        source: { type: 'audit-finding', ref: 'IA-2026-07' },
        title: 'Missing drift monitoring',
        description: 'x',
        grade: 'minor',
        actionOwnerId: owner.id,
        verifierId: owner.id,
      });
    expect400(nc, 'verifierId');
    expect(
      (
        await api()
          .post('/nonconformities')
          .set(bearer(verifier.token))
          .send({
            source: { type: 'incident', ref: RANDOM_UUID },
            title: 't',
            description: 'd',
            grade: 'minor',
            actionOwnerId: owner.id,
            verifierId: verifier.id,
          })
      ).status,
    ).toBe(404);
    expect400(
      await api()
        .post('/nonconformities')
        .set(bearer(verifier.token))
        .send({ source: { type: 'rumour', ref: '' }, grade: 'huge', planDays: { action: 0 } }),
      'source.type',
      'source.ref',
      'grade',
      'planDays.action',
      'title',
      'actionOwnerId',
      'verifierId',
    );
    expect((await api().post(`/incidents/${RANDOM_UUID}/acknowledge`).set(bearer(responder.token)).send({})).status).toBe(404);
    expect((await api().get(`/incidents/${RANDOM_UUID}`).set(bearer(responder.token))).status).toBe(404);
    expect400(await api().get('/incidents').query({ breached: 'maybe' }).set(bearer(responder.token)), 'breached');

    expect(await counts()).toEqual(before);
  });

  it('a refused close leaves the incident open and writes nothing', async () => {
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send(incidentBody({ title: `Refused close ${uniq}` }));
    const id = res.body.incidentId;
    await eventually(
      async () => (await api().get(`/incidents/${id}`).set(bearer(responder.token))).body.version >= 1,
      'the first snapshot',
    );
    const before: Array<{ n: number }> = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE stream_id = $1`, [
      `incident:${id}`,
    ]);
    const refused = await api().post(`/incidents/${id}/close`).set(bearer(lead.token)).send({ summary: 'nothing to see' });
    expect(refused.status).toBe(409);
    expect(refused.body.refusal).toBe('InvalidState');
    expect400(await api().post(`/incidents/${id}/severity`).set(bearer(lead.token)).send({ severity: 'high', reason: '' }), 'reason');
    const same = await api().post(`/incidents/${id}/severity`).set(bearer(lead.token)).send({ severity: 'high', reason: 'no change' });
    expect(same.status).toBe(400);
    const after: Array<{ n: number }> = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE stream_id = $1`, [
      `incident:${id}`,
    ]);
    expect(after[0].n).toBe(before[0].n);
    expect((await api().get(`/incidents/${id}`).set(bearer(responder.token))).body.state).toBe('open');
    expect(await workflowStatus(`incident:${id}`)).toBe('RUNNING');
  });
});

describe('regimes as data', () => {
  it('awareness before detection, or in the future, is a 400 naming the field', async () => {
    const detectedAt = new Date(Date.now() - 30 * HOUR_MS).toISOString();
    const before = new Date(Date.now() - 31 * HOUR_MS).toISOString();
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send({
        ...incidentBody({ title: `Aware too early ${uniq}`, detectedAt }),
        awareAt: before,
        regimes: [{ id: 'gdpr-art33', awareAt: before }],
      });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['awareAt', 'regimes.0.awareAt']);
    const future = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send({
        ...incidentBody({ title: `Aware in the future ${uniq}`, detectedAt }),
        awareAt: new Date(Date.now() + DAY_MS).toISOString(),
      });
    expect(future.status).toBe(400);
    expect(future.body.errors.map((e: { field: string }) => e.field)).toEqual(['awareAt']);
  });

  it('GET /regimes lists each regime with its variants and deadlines in hours', async () => {
    const res = await api().get('/regimes').set(bearer(responder.token));
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.map((r: { id: string }) => [r.id, r]));
    expect(byId['nis2-art23'].variants[0].reports.map((r: { key: string; dueAfterHours: number }) => [r.key, r.dueAfterHours])).toEqual([
      ['early-warning', 24],
      ['notification', 72],
      // Nominal: a month shown as 30 days; the deadline itself is a calendar month after the notification.
      ['final-report', 30 * 24],
    ]);
    expect(
      byId['nis2-art23'].variants[0].reports.map((r: { key: string; dueAfter: unknown; from: unknown }) => [r.key, r.dueAfter, r.from]),
    ).toEqual([
      ['early-warning', { hours: 24 }, 'awareness'],
      ['notification', { hours: 72 }, 'awareness'],
      ['final-report', { months: 1 }, { after: 'notification' }],
    ]);
    expect(
      byId['eu-ai-act-art73'].variants.map((v: { id: string; reports: Array<{ dueAfterHours: number }> }) => [
        v.id,
        v.reports[0].dueAfterHours,
      ]),
    ).toEqual([
      ['standard', 15 * 24],
      ['death', 10 * 24],
      ['widespread', 2 * 24],
    ]);
  });

  it('an art. 73 variant found late: POST /incidents/:id/regime-variant moves the deadline to 10 days, in the audit trail', async () => {
    const detectedAt = new Date(Date.now() - 11 * DAY_MS).toISOString();
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send(incidentBody({ title: `A death found late ${uniq}`, detectedAt, regimes: [{ id: 'eu-ai-act-art73' }] }));
    expect(res.status).toBe(201);
    const id = res.body.incidentId;
    const clock = (body: { clocks: Array<Record<string, unknown>> }) => body.clocks.find((c) => c.key === 'eu-ai-act-art73:report');
    expect(clock(res.body)).toMatchObject({ dueAt: new Date(Date.parse(detectedAt) + 15 * DAY_MS).toISOString(), breached: false });
    const changed = await api()
      .post(`/incidents/${id}/regime-variant`)
      .set(bearer(lead.token))
      .send({ id: 'eu-ai-act-art73', variant: 'death', reason: 'A person died' });
    expect(changed.status).toBe(200);
    expect(changed.body.regimes).toEqual([{ id: 'eu-ai-act-art73', variant: 'death' }]);
    // Ten days after awareness were a day ago: breached at once.
    expect(clock(changed.body)).toMatchObject({ dueAt: new Date(Date.parse(detectedAt) + 10 * DAY_MS).toISOString(), breached: true });
    const again = await api()
      .post(`/incidents/${id}/regime-variant`)
      .set(bearer(lead.token))
      .send({ id: 'eu-ai-act-art73', variant: 'death', reason: 'again' });
    expect(again.status).toBe(400);
    expect(
      (await api().post(`/incidents/${id}/regime-variant`).set(bearer(lead.token)).send({ id: 'gdpr-art33', variant: 'x', reason: 'r' }))
        .status,
    ).toBe(400);
    await eventually(async () => {
      const rows: Array<{ event: string }> = await db.query(`SELECT event FROM audit_events WHERE stream_id = $1`, [`incident:${id}`]);
      return rows.some((r) => r.event === 'regime-variant-changed');
    }, 'the variant change in the audit trail');
    // The responder hears of the breach at once.
    await stack.inbox.waitFor(
      (m) =>
        m.to.includes(responder.email) && m.subject.startsWith('Deadline breached') && m.subject.includes(`A death found late ${uniq}`),
    );
  });

  it('a regime found to apply after opening is added: its clocks count from detection', async () => {
    const detectedAt = new Date(Date.now() - 30 * HOUR_MS).toISOString();
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send(incidentBody({ title: `Triage found personal data ${uniq}`, detectedAt }));
    const id = res.body.incidentId;
    const added = await api().post(`/incidents/${id}/regimes`).set(bearer(lead.token)).send({ id: 'nis2-art23' });
    expect(added.status).toBe(200);
    expect(added.body.regimes).toEqual([{ id: 'nis2-art23', variant: 'standard' }]);
    const at = (h: number) => new Date(Date.parse(detectedAt) + h * HOUR_MS).toISOString();
    expect(
      added.body.clocks
        .filter((c: { kind: string }) => c.kind === 'regulatory-report')
        .map((c: Record<string, unknown>) => [c.key, c.dueAt, c.clockState]),
    ).toEqual([
      ['nis2-art23:early-warning', at(24), 'breached'],
      ['nis2-art23:notification', at(72), 'on-track'],
      // While the notification is not in: a calendar month (AIMS_TIMEZONE, UTC here) after its deadline.
      ['nis2-art23:final-report', addCalendar(new Date(at(72)), { months: 1 }, 'UTC').toISOString(), 'on-track'],
    ]);
    // The early warning was due 6 hours ago: the responder hears of the breach at once.
    await stack.inbox.waitFor(
      (m) => m.to.includes(responder.email) && m.subject.startsWith('Deadline breached') && m.subject.includes('Early warning'),
      60_000,
    );

    const again = await api().post(`/incidents/${id}/regimes`).set(bearer(lead.token)).send({ id: 'nis2-art23' });
    expect(again.status).toBe(400);
    expect(again.body.message).toContain('already applies');
    expect400(await api().post(`/incidents/${id}/regimes`).set(bearer(lead.token)).send({ id: 'gdpr-art33', variant: 'huge' }), 'variant');
    expect((await api().post(`/incidents/${id}/regimes`).set(bearer(stranger.token)).send({ id: 'gdpr-art33' })).status).toBe(403);
  });
});

// Last: its incidents count in the KPIs the tests above assert exactly.
describe('read your writes: every answer is state the next request can act on', () => {
  it('ten incidents, each opened then filed and closed at once: draft, final, GDPR notification, close, all 2xx with no wait', async () => {
    const ok = (res: request.Response, what: string) => {
      if (res.status < 200 || res.status > 299) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const post = (path: string, body: Record<string, unknown> = {}) => api().post(path).set(bearer(responder.token)).send(body);
    const reportAnswers = validAnswers('incident-report');
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      const opened = ok(await post('/incidents', incidentBody({ regimes: [{ id: 'gdpr-art33' }] })), `incident ${i}: open`);
      const id: string = opened.incidentId;
      // What the answer reports exists: the draft's task reads at once.
      if (i === 0) {
        const task = await api()
          .get(`/tasks/${encodeURIComponent(`incident-report:${id}:draft`)}`)
          .set(bearer(responder.token));
        expect({ status: task.status, state: task.body.state }).toEqual({ status: 200, state: 'open' });
        const read = ok(await api().get(`/incidents/${id}`).set(bearer(ceo.token)), 'GET');
        expect(read.clocks.map((c: { key: string; state: string }) => [c.key, c.state])).toEqual([
          ['draft', 'open'],
          ['final', 'waiting'],
          ['gdpr-art33:notification', 'open'],
        ]);
      }
      // Every other incident files its draft on the task itself: the same one Update on the incident.
      if (i % 2)
        ok(
          await post(`/tasks/${encodeURIComponent(`incident-report:${id}:draft`)}/submit`, { summary: 'draft', answers: reportAnswers }),
          `incident ${i}: task draft`,
        );
      else ok(await post(`/incidents/${id}/report`, { stage: 'draft', summary: 'draft', answers: reportAnswers }), `incident ${i}: draft`);
      const final = ok(
        await post(`/incidents/${id}/report`, { stage: 'final', summary: 'final', answers: reportAnswers }),
        `incident ${i}: final`,
      );
      expect(final.clocks.find((c: { key: string }) => c.key === 'final').state).toBe('in');
      ok(
        await post(`/incidents/${id}/regulatory-reports`, {
          regimeId: 'gdpr-art33',
          report: 'notification',
          summary: 'notified',
          answers: validAnswers('regulatory-report'),
        }),
        `incident ${i}: GDPR`,
      );
      ok(await post(`/incidents/${id}/containment`, { summary: 'contained' }), `incident ${i}: containment`);
      const closed = ok(await post(`/incidents/${id}/close`, { summary: 'closed' }), `incident ${i}: close`);
      expect(closed.state).toBe('closed');
      expect(ok(await api().get(`/incidents/${id}`).set(bearer(ceo.token)), 'GET closed').state).toBe('closed');
      // One marking per report in the trail.
      const ins: Array<{ n: number }> = await db.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE stream_id = $1 AND event = 'report-in'`,
        [`incident:${id}`],
      );
      expect(ins[0].n).toBe(3);
    }
    process.stdout.write(`[incidents.e2e] 10 incidents opened, filed and closed back to back in ${Date.now() - t0} ms\n`);
  });
});
