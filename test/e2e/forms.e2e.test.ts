/**
 * Structured submissions against the real stack: the forms are read over HTTP; a submission
 * that breaks its kind's form is one 400 naming each bad field and changes nothing; a valid one
 * is stored with its form's version and reads at once (the task, its history, the audit
 * package); the incident report routes check the same forms; approvers find the work waiting
 * for them, never their own or what they own.
 */
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { FORMS, HOUR_MS, quarterOf } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import {
  bearer,
  downloadAuditPackage,
  expectFieldError,
  registerPerson,
  RegisteredPerson,
  streamEvents,
  systemBody,
  validAnswers,
} from './support/fixtures';

jest.setTimeout(180_000);

let stack: TestStack;
let clients: StackClients;
let db: DataSource;
const uniq = Math.random().toString(36).slice(2, 8);
const api = () => request(stack.apiUrl);
const path = (taskId: string) => `/tasks/${encodeURIComponent(taskId)}`;

let manager: RegisteredPerson;
let owner: RegisteredPerson;
let other: RegisteredPerson;
let lead: RegisteredPerson;
let responder: RegisteredPerson;
let systemId: string;
let review: string;
let otherReview: string;
let aiia: string;

const REVIEW_FORM = { kind: 'high-risk-review', version: 1 };

async function registerHighSystem(name: string, ownerId: string): Promise<string> {
  const res = await api()
    .post('/systems')
    .set(bearer(lead.token))
    .send(
      systemBody({
        name: `${name} ${uniq}`,
        ownerId,
        riskTier: 'high',
        lifecycleStage: 'operation_and_monitoring',
        goLiveDate: '2026-03-17',
      }),
    );
  expect(res.status).toBe(201);
  return res.body.id;
}

const submit = (taskId: string, token: string, body: Record<string, unknown>) =>
  api()
    .post(`${path(taskId)}/submit`)
    .set(bearer(token))
    .send(body);
const awaiting = (token: string, query: Record<string, string | number> = {}) =>
  api().get('/tasks/awaiting-approval').query(query).set(bearer(token));
const ids = (res: request.Response) => (res.body.items as Array<{ taskId: string }>).map((t) => t.taskId);

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  clients = await connectToStack(stack);
  ({ db } = clients);
  const person = (name: string, role: string, managerId?: string) => registerPerson(stack, name, role, uniq, managerId);
  manager = await person('Mona Manager', 'management');
  owner = await person('Otto Owner', 'owner', manager.id);
  other = await person('Oona Owner', 'owner', manager.id);
  lead = await person('Greta Lead', 'governance_lead');
  responder = await person('Rita Responder', 'responder');
  const period = quarterOf(new Date(), 'UTC').key;
  systemId = await registerHighSystem('Credit scoring', owner.id);
  review = `high-risk-review:${systemId}:${period}`;
  aiia = `aiia:${systemId}:go-live`;
  otherReview = `high-risk-review:${await registerHighSystem('Fraud screening', other.id)}:${period}`;
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

describe('the forms as data', () => {
  it('GET /forms lists every form with its version; GET /forms/:kind one; an unknown kind is a 404', async () => {
    const list = await api().get('/forms').set(bearer(owner.token));
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: { kind: string; version: number }) => [f.kind, f.version])).toEqual(
      Object.keys(FORMS)
        .sort()
        .map((k) => [k, 1]),
    );
    const one = await api().get('/forms/high-risk-review').set(bearer(owner.token));
    expect(one.status).toBe(200);
    expect(one.body).toEqual(FORMS['high-risk-review']);
    expect(one.body.fields.find((f: { name: string }) => f.name === 'dataDrift')).toMatchObject({
      type: 'select',
      required: true,
      options: expect.arrayContaining([{ value: 'no-drift', label: 'No drift' }]),
    });
    expect((await api().get('/forms/containment').set(bearer(owner.token))).status).toBe(404);
    expect((await api().get('/forms/high-risk-review')).status).toBe(401);
  });

  it('a task names the form it is submitted with, and who may approve it', async () => {
    const task = await api().get(path(review)).set(bearer(owner.token));
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      state: 'open',
      formKind: 'high-risk-review',
      approverRoles: ['governance_lead', 'management', 'owner', 'admin'],
    });
    expect(task.body.submission).toBeUndefined();
    expect((await api().get(path(aiia)).set(bearer(owner.token))).body).toMatchObject({
      formKind: 'aiia',
      approverRoles: ['governance_lead'],
    });
  });
});

describe('a submission against its form', () => {
  it('one that breaks the form is a 400 naming each bad field, and nothing changes on the task', async () => {
    const before = (await api().get(path(review)).set(bearer(owner.token))).body;
    const events = (await streamEvents(db, review)).length;
    const res = await submit(review, owner.token, {
      summary: 'Looked at it',
      answers: {
        ...validAnswers('high-risk-review'),
        performance: 'great',
        performanceFinding: undefined,
        dataDrift: 5,
        conclusion: ['fit-for-use'],
        monitoringReports: ['ftp://files.example.com/drift.csv'],
        colour: 'red',
      },
    });
    for (const field of [
      'answers.performance',
      'answers.performanceFinding',
      'answers.dataDrift',
      'answers.conclusion',
      'answers.monitoringReports',
      'answers.colour',
    ])
      expectFieldError(res, field);
    expect(res.body.errors).toHaveLength(6);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'answers.performance').messages).toEqual([
      'answers.performance must be one of within-thresholds, threshold-breached',
    ]);
    // Without answers at all, and answers that are not an object.
    expectFieldError(await submit(review, owner.token, { summary: 'Thresholds met' }), 'answers');
    expectFieldError(await submit(review, owner.token, { summary: 'Thresholds met', answers: ['no-drift'] }), 'answers');

    const after = (await api().get(path(review)).set(bearer(owner.token))).body;
    expect(after).toMatchObject({ state: 'open', version: before.version, submissions: 0 });
    expect(after.submission).toBeUndefined();
    expect((await streamEvents(db, review)).length).toBe(events);
  });

  it('work without a form refuses answers', async () => {
    const inc = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send({
        systemId,
        title: `Leak ${uniq}`,
        description: 'A score reached the wrong customer',
        severity: 'high',
        detectedAt: new Date(Date.now() - 2 * HOUR_MS).toISOString(),
        responderId: responder.id,
      });
    expect(inc.status).toBe(201);
    const nc = await api()
      .post(`/incidents/${inc.body.incidentId}/nonconformities`)
      .set(bearer(lead.token))
      .send({ title: `Unscoped lookup ${uniq}`, description: 'x', grade: 'minor', actionOwnerId: owner.id, verifierId: other.id });
    expect(nc.status).toBe(201);
    const containment = nc.body.currentTaskId;
    expect((await api().get(path(containment)).set(bearer(owner.token))).body.formKind).toBe('containment');
    const refused = await submit(containment, owner.token, { summary: 'Tool disabled', answers: { done: true } });
    expectFieldError(refused, 'answers');
    expect(refused.body.errors[0].messages[0]).toContain('containment has no form');
    expect((await submit(containment, owner.token, { summary: 'Tool disabled' })).status).toBe(200);
  });

  it('a valid one is stored with its form version, reads at once, and is in the history and the audit package', async () => {
    const answers = validAnswers('high-risk-review', {
      dataDrift: 'within-tolerance',
      driftFinding: 'PSI 0.08 on income, under the 0.1 tolerance',
      monitoringReports: ['https://grafana.example.com/d/credit-drift'],
    });
    const res = await submit(review, owner.token, { summary: 'Quarter reviewed', answers });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'submitted', submission: { form: REVIEW_FORM, answers } });
    const read = await api().get(path(review)).set(bearer(lead.token));
    expect(read.body).toMatchObject({ state: 'submitted', submittedBy: owner.id, submission: { form: REVIEW_FORM, answers } });

    // The AIIA of the same system, and the other owner's review, wait for approval too.
    expect((await submit(aiia, owner.token, { summary: 'Assessed', answers: validAnswers('aiia') })).status).toBe(200);
    expect((await submit(otherReview, other.token, { summary: 'Reviewed', answers: validAnswers('high-risk-review') })).status).toBe(200);

    const history = await api()
      .get(`${path(review)}/history`)
      .set(bearer(lead.token));
    expect(history.status).toBe(200);
    const events = history.body.items as Array<{
      event: string;
      actorId: string | null;
      actorName?: string;
      at: string;
      detail: Record<string, unknown>;
    }>;
    expect(events.map((e) => e.event)).toEqual(['opened', 'submitted']);
    expect(events[0]).toMatchObject({ actorId: null });
    expect(events[1]).toMatchObject({
      actorId: owner.id,
      actorName: `Otto Owner ${uniq}`,
      detail: { form: REVIEW_FORM, answers, summary: 'Quarter reviewed', state: 'submitted' },
    });
    expect(Date.parse(events[1].at)).toBeGreaterThanOrEqual(Date.parse(events[0].at));
    expect(
      (
        await api()
          .get(`${path(`high-risk-review:${systemId}:1999-Q1`)}/history`)
          .set(bearer(lead.token))
      ).status,
    ).toBe(404);

    const pkg = await downloadAuditPackage(stack, lead.token);
    expect(pkg.status).toBe(200);
    const files = unzipSync(new Uint8Array(pkg.body as Buffer));
    const lines = strFromU8(files['task-submissions.csv']).trimEnd().split('\r\n');
    expect(lines[0]).toBe('task_id,kind,form_kind,form_version,submitted_by,submitted_at,field,answer');
    const ofReview = lines.filter((l) => l.startsWith(`${review},`));
    expect(ofReview).toHaveLength(Object.keys(answers).length);
    expect(ofReview).toContainEqual(expect.stringContaining(`,high-risk-review,1,${owner.id},`));
    expect(ofReview.find((l) => l.includes(',dataDrift,'))).toMatch(/,dataDrift,within-tolerance$/);
    expect(ofReview.find((l) => l.includes(',monitoringReports,'))).toMatch(
      /,monitoringReports,"\[""https:\/\/grafana\.example\.com\/d\/credit-drift""\]"$/,
    );
    const tasks = JSON.parse(strFromU8(files['tasks.json']));
    expect(tasks.find((t: { taskId: string }) => t.taskId === review).submission).toEqual({ form: REVIEW_FORM, answers });
  });

  it('an incident report is checked against its form on the incident routes too', async () => {
    const inc = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send({
        systemId,
        title: `Wrong score ${uniq}`,
        description: 'Scores swapped between two applicants',
        severity: 'medium',
        detectedAt: new Date(Date.now() - HOUR_MS).toISOString(),
        responderId: responder.id,
        regimes: [{ id: 'gdpr-art33' }],
      });
    expect(inc.status).toBe(201);
    const id = inc.body.incidentId;
    const bad = await api()
      .post(`/incidents/${id}/report`)
      .set(bearer(responder.token))
      .send({ stage: 'draft', summary: 'Swapped', answers: { whatHappened: 'Swapped', harms: ['all'], ongoing: 'no' } });
    for (const field of ['answers.detectedBy', 'answers.harms', 'answers.immediateActions', 'answers.ongoing'])
      expectFieldError(bad, field);
    const draftTask = `incident-report:${id}:draft`;
    expect((await api().get(path(draftTask)).set(bearer(responder.token))).body).toMatchObject({ state: 'open', submissions: 0 });
    const answers = validAnswers('incident-report', { harms: ['personal-data'], affectedPersons: 2 });
    const draft = await api()
      .post(`/incidents/${id}/report`)
      .set(bearer(responder.token))
      .send({ stage: 'draft', summary: 'Swapped', answers });
    expect(draft.status).toBe(200);
    expect((await api().get(path(draftTask)).set(bearer(responder.token))).body).toMatchObject({
      state: 'completed',
      formKind: 'incident-report',
      approverRoles: [],
      submission: { form: { kind: 'incident-report', version: 1 }, answers },
    });
    // A regulatory report takes the regulatory-report form, whichever route files it.
    const task = `regulatory-report:${id}:gdpr-art33:notification`;
    expectFieldError(
      await submit(task, responder.token, { summary: 'Filed', answers: validAnswers('regulatory-report', { filedOn: '2026-02-30' }) }),
      'answers.filedOn',
    );
    const filed = await api()
      .post(`/incidents/${id}/regulatory-reports`)
      .set(bearer(responder.token))
      .send({ regimeId: 'gdpr-art33', report: 'notification', summary: 'Filed', answers: validAnswers('regulatory-report') });
    expect(filed.status).toBe(200);
    expect((await api().get(path(task)).set(bearer(responder.token))).body.submission.form).toEqual({
      kind: 'regulatory-report',
      version: 1,
    });
  });
});

describe('GET /tasks/awaiting-approval', () => {
  it('lists submitted work the caller may approve, earliest due first, never their own submissions or what they own', async () => {
    const lead1 = await awaiting(lead.token);
    expect(lead1.status).toBe(200);
    expect(lead1.body).toMatchObject({ limit: 50, offset: 0 });
    expect(ids(lead1).sort()).toEqual([aiia, otherReview, review].sort());
    const due = (lead1.body.items as Array<{ dueAt: string }>).map((t) => Date.parse(t.dueAt));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(lead1.body.items.every((t: { state: string }) => t.state === 'submitted')).toBe(true);

    // Management approves reviews, not AIIAs (the governance lead's).
    expect(ids(await awaiting(manager.token)).sort()).toEqual([otherReview, review].sort());
    // Owners approve each other's reviews, never their own submission.
    expect(ids(await awaiting(owner.token))).toEqual([otherReview]);
    expect(ids(await awaiting(other.token))).toEqual([review]);
    expect(ids(await awaiting(responder.token))).toEqual([]);
    // Paged like GET /tasks, and filtered by kind.
    const page = await awaiting(lead.token, { limit: 1, offset: 1 });
    expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(ids(page)).toEqual([ids(lead1)[1]]);
    expect(ids(await awaiting(lead.token, { kind: 'aiia' }))).toEqual([aiia]);
    expectFieldError(await awaiting(lead.token, { limit: 0 }), 'limit');

    // Given to Oona while it waits: she owns it now, so it is no longer hers to approve.
    const reassigned = await api()
      .post(`${path(review)}/reassign`)
      .set(bearer(lead.token))
      .send({ newOwnerId: other.id, reason: 'Otto moved teams' });
    expect(reassigned.status).toBe(200);
    expect(ids(await awaiting(other.token))).toEqual([]);

    // Approved work leaves the list; the history shows each step with who took it.
    expect(
      (
        await api()
          .post(`${path(review)}/approve`)
          .set(bearer(manager.token))
          .send({ comment: 'Fine' })
      ).status,
    ).toBe(200);
    expect(ids(await awaiting(lead.token)).sort()).toEqual([aiia, otherReview].sort());
    const history = (
      await api()
        .get(`${path(review)}/history`)
        .set(bearer(owner.token))
    ).body.items;
    expect(history.map((e: { event: string; actorName?: string }) => [e.event, e.actorName])).toEqual([
      ['opened', undefined],
      ['submitted', `Otto Owner ${uniq}`],
      ['reassigned', `Greta Lead ${uniq}`],
      ['approved', `Mona Manager ${uniq}`],
    ]);
    expect(history[2].detail).toMatchObject({ from: owner.id, to: other.id, reason: 'Otto moved teams' });
  });
});
