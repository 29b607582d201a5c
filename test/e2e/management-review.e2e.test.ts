/**
 * The management review (ISO/IEC 42001 9.3) against the real stack: a review started by a
 * trigger of its org-wide cadence (`POST /cadences/org:management-review/trigger`), a proposal
 * and decisions over HTTP; the decided action is a task that reads
 * at once in GET /tasks/:id and in GET /management-reviews/:id, and its owner gets the email over
 * SMTP. Bad decisions are refused field by field and leave nothing behind.
 */
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { managementReviewActionTaskId, managementReviewMeetingTaskId, orgRoundWorkflowId } from '../../libs/contracts';
import { DAY_MS, ORG_CADENCE_DEFAULTS, orgPeriodOf } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, downloadAuditPackage, registerPerson, RegisteredPerson, systemBody } from './support/fixtures';

jest.setTimeout(180_000);

let stack: TestStack;
let clients: StackClients;
let db: DataSource;

const api = () => request(stack.apiUrl);
const uniq = Math.random().toString(36).slice(2, 8);
/** The yearly period a trigger now belongs to (the default: November, in the zone UTC). */
const PERIOD = orgPeriodOf(ORG_CADENCE_DEFAULTS['management-review'], new Date(), 'UTC').key;
const REVIEW_ID = orgRoundWorkflowId('management-review', PERIOD);

let ceo: RegisteredPerson;
let lead: RegisteredPerson;
let owner: RegisteredPerson;
let auditor: RegisteredPerson;
let leaver: RegisteredPerson;

function expect400(res: request.Response, ...fields: string[]): void {
  expect(res.status).toBe(400);
  const named = (res.body.errors ?? []).map((e: { field: string }) => e.field);
  for (const f of fields) expect(named).toContain(f);
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  clients = await connectToStack(stack);
  ({ db } = clients);
  const person = (name: string, role: string, managerId?: string) => registerPerson(stack, name, role, uniq, managerId);
  ceo = await person('Tess Top', 'management');
  lead = await person('Greta Lead', 'governance_lead');
  owner = await person('Otto Owner', 'owner', ceo.id);
  auditor = await person('Ada Auditor', 'auditor');
  leaver = await person('Lea Leaver', 'owner', ceo.id);
  // One inventory change since the period before: the pack reports it.
  const sys = await api()
    .post('/systems')
    .set(bearer(lead.token))
    .send(systemBody({ name: `Credit scoring ${uniq}`, ownerId: owner.id, riskTier: 'limited', lifecycleStage: 'design_and_development' }));
  expect(sys.status).toBe(201);
  const off = await api().patch(`/people/${leaver.id}`).set({ Authorization: stack.adminAuth }).send({ active: false });
  expect(off.status).toBe(200);
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

describe('a management review over HTTP', () => {
  it('starts by a trigger of org:management-review, which answers once its meeting task is recorded', async () => {
    const trigger = await api().post('/cadences/org:management-review/trigger').set(bearer(lead.token)).send({});
    expect(trigger.status).toBe(200);
    // The default interval is yearly (November): this year's review, or last year's before November.
    expect(trigger.body).toMatchObject({ roundId: REVIEW_ID, period: PERIOD, outcome: 'opened' });
    const opened = trigger.body as { taskIds: string[] };
    expect(opened.taskIds).toEqual([managementReviewMeetingTaskId(PERIOD)]);

    const meeting = await api()
      .get(`/tasks/${encodeURIComponent(opened.taskIds[0])}`)
      .set(bearer(lead.token));
    expect(meeting.status).toBe(200);
    expect(meeting.body).toMatchObject({ kind: 'management-review', ownerId: ceo.id, state: 'open' });

    const res = await api().get(`/management-reviews/${REVIEW_ID}`).set(bearer(auditor.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reviewId: REVIEW_ID, state: 'open', meetingOwnerId: ceo.id, decisions: [], proposals: [] });
    const pack = res.body.pack;
    expect(pack).toMatchObject({ previousReviewId: null, previousActions: [] });
    expect(pack.changes.inventory).toEqual(
      expect.arrayContaining([expect.objectContaining({ change: 'registered', name: `Credit scoring ${uniq}`, to: 'limited' })]),
    );
    // The audit programmes' tables exist (migration 1764310000000): none recorded yet.
    expect(pack.performance.audits).toEqual({ recorded: true, programmes: [], findingsByGrade: {}, nonconformitiesRaised: 0 });
    expect(pack.performance.monitoring.overdueByEscalationLevel.map((l: { level: string }) => l.level)).toEqual([
      'owner',
      'manager',
      'governance_lead',
      'top_management',
    ]);

    const list = await api().get('/management-reviews').set(bearer(ceo.token));
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { reviewId: string }) => r.reviewId)).toContain(REVIEW_ID);
  });

  it('takes proposals from top management and governance leads before the meeting', async () => {
    const res = await api()
      .post(`/management-reviews/${REVIEW_ID}/improvements`)
      .set(bearer(lead.token))
      .send({ text: 'Automate drift monitoring' });
    expect(res.status).toBe(200);
    expect(res.body.proposals).toEqual([
      expect.objectContaining({ by: lead.id, role: 'governance_lead', text: 'Automate drift monitoring' }),
    ]);

    const byOwner = await api().post(`/management-reviews/${REVIEW_ID}/improvements`).set(bearer(owner.token)).send({ text: 'x' });
    expect(byOwner.status).toBe(403);
    const blank = await api().post(`/management-reviews/${REVIEW_ID}/improvements`).set(bearer(ceo.token)).send({ text: '  ' });
    expect400(blank, 'text');
    const unknown = await api().post('/management-reviews/management-review:1999/improvements').set(bearer(ceo.token)).send({ text: 'y' });
    expect(unknown.status).toBe(404);
    const malformed = await api().get('/management-reviews/not-a-review').set(bearer(ceo.token));
    expect400(malformed, 'id');
    // The meeting is done by its decisions, never by a bare submission of its task.
    const bare = await api()
      .post(`/tasks/${encodeURIComponent(managementReviewMeetingTaskId(PERIOD))}/submit`)
      .set(bearer(ceo.token))
      .send({ summary: 'Held the meeting' });
    expect(bare.status).toBe(409);
    expect(bare.body.message).toContain(`POST /management-reviews/${REVIEW_ID}/decisions`);
  });

  it('refuses bad decisions field by field, leaving nothing behind', async () => {
    const before = await db.query(`SELECT version FROM management_reviews WHERE id = $1`, [REVIEW_ID]);
    const past = await api()
      .post(`/management-reviews/${REVIEW_ID}/decisions`)
      .set(bearer(ceo.token))
      .send({
        decisions: [
          {
            text: 'Monitor drift',
            type: 'improvement',
            action: { title: 'Drift', ownerId: owner.id, dueAt: new Date(Date.now() - DAY_MS).toISOString() },
          },
        ],
      });
    expect400(past, 'decisions.0.action.dueAt');
    const inactive = await api()
      .post(`/management-reviews/${REVIEW_ID}/decisions`)
      .set(bearer(ceo.token))
      .send({
        decisions: [
          {
            text: 'Monitor drift',
            type: 'improvement',
            action: { title: 'Drift', ownerId: leaver.id, dueAt: new Date(Date.now() + DAY_MS).toISOString() },
          },
        ],
      });
    expect400(inactive, 'decisions.0.action.ownerId');
    const badType = await api()
      .post(`/management-reviews/${REVIEW_ID}/decisions`)
      .set(bearer(ceo.token))
      .send({ decisions: [{ text: 'x', type: 'budget' }] });
    expect400(badType, 'decisions.0.type');
    const none = await api().post(`/management-reviews/${REVIEW_ID}/decisions`).set(bearer(ceo.token)).send({ decisions: [] });
    expect400(none, 'decisions');
    const byLead = await api()
      .post(`/management-reviews/${REVIEW_ID}/decisions`)
      .set(bearer(lead.token))
      .send({ decisions: [{ text: 'x', type: 'improvement' }] });
    expect(byLead.status).toBe(403);
    expect(await db.query(`SELECT version FROM management_reviews WHERE id = $1`, [REVIEW_ID])).toEqual(before);
    expect(await db.query(`SELECT id FROM tasks WHERE kind = 'management-review-action'`)).toEqual([]);
  });

  it('records decisions: the action reads at once as a task and its owner gets the email', async () => {
    const dueAt = new Date(Date.now() + 60 * DAY_MS).toISOString();
    const res = await api()
      .post(`/management-reviews/${REVIEW_ID}/decisions`)
      .set(bearer(ceo.token))
      .send({
        decisions: [
          {
            text: 'Monitor drift on every high-risk system',
            type: 'improvement',
            action: { title: `Roll out drift monitoring ${uniq}`, ownerId: owner.id, dueAt },
          },
          { text: 'Keep the AI policy as it is', type: 'aims-change' },
        ],
        minutes: 'Pack reviewed; two decisions.',
      });
    expect(res.status).toBe(200);
    const taskId = managementReviewActionTaskId(PERIOD, 1);
    expect(res.body).toMatchObject({
      state: 'closed',
      decidedBy: ceo.id,
      minutes: 'Pack reviewed; two decisions.',
      decisions: [
        { n: 1, type: 'improvement', action: { taskId, ownerId: owner.id, dueAt, state: 'open', overdue: false } },
        { n: 2, type: 'aims-change' },
      ],
    });

    // Read your writes: the action's task reads at once.
    const task = await api()
      .get(`/tasks/${encodeURIComponent(taskId)}`)
      .set(bearer(lead.token));
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ kind: 'management-review-action', ownerId: owner.id, dueAt, state: 'open' });
    const meeting = await api()
      .get(`/tasks/${encodeURIComponent(managementReviewMeetingTaskId(PERIOD))}`)
      .set(bearer(lead.token));
    expect(meeting.body).toMatchObject({ state: 'completed', submittedBy: ceo.id });

    const again = await api().get(`/management-reviews/${REVIEW_ID}`).set(bearer(auditor.token));
    expect(again.body.decisions[0].action).toMatchObject({ taskId, state: 'open' });

    const mail = await stack.inbox.waitFor(
      (m) => m.to.includes(owner.email) && m.subject.includes(`Roll out drift monitoring ${uniq}`),
      60_000,
    );
    expect(mail.text).toContain(taskId);

    // A second recording is a conflict: the review is closed.
    const twice = await api()
      .post(`/management-reviews/${REVIEW_ID}/decisions`)
      .set(bearer(ceo.token))
      .send({ decisions: [{ text: 'Again', type: 'improvement' }] });
    expect(twice.status).toBe(409);
  });

  it('goes into the audit package: the review with its pack and decisions, and a CSV line per decision', async () => {
    const res = await downloadAuditPackage(stack, auditor.token);
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    const reviews = JSON.parse(strFromU8(files['management-reviews.json']));
    expect(reviews).toEqual([expect.objectContaining({ reviewId: REVIEW_ID, state: 'closed', pack: expect.any(Object) })]);
    const csv = strFromU8(files['management-review-decisions.csv']).trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^review_id,period,decided_by,decided_at,n,type,text,action_task_id,/);
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain(`${managementReviewActionTaskId(PERIOD, 1)},Roll out drift monitoring ${uniq},${owner.id},`);
    expect(strFromU8(files['MANIFEST.sha256'])).toContain('management-review-decisions.csv');
  });
});
