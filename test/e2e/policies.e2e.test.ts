/**
 * The AI policy register over HTTP, against the real stack: CRUD with field-level 400s and
 * 404s; a major change opens the policy's review (its task reads at once, the owner gets the
 * email over SMTP); the owner submits the revised version, another person approves it on the
 * task, and the policy then shows the new version, the approver and the last review; a retry of
 * the same change opens no second review. The yearly round (the Schedule org:policy-review's
 * work) is started here with the Temporal client.
 */
import request from 'supertest';
import { policyReviewTaskId } from '../../libs/contracts';
import { addCalendar } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, expectFieldError, registerPerson, RegisteredPerson, streamEvents } from './support/fixtures';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const TZ = 'Europe/Amsterdam';

let stack: TestStack;
let clients: StackClients;
const uniq = Date.now().toString(36);
let lead: RegisteredPerson;
let owner: RegisteredPerson;
let other: RegisteredPerson;
let ceo: RegisteredPerson;
let auditor: RegisteredPerson;

const api = () => request(stack.apiUrl);
const DOC = 'https://docs.example.test/ai-policy-1.0.pdf';

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: TZ } });
  clients = await connectToStack(stack);
  lead = await registerPerson(stack, 'Paula Lead', 'governance_lead', uniq);
  owner = await registerPerson(stack, 'Oscar Owner', 'owner', uniq);
  other = await registerPerson(stack, 'Olga Other', 'owner', uniq);
  ceo = await registerPerson(stack, 'Carla Ceo', 'management', uniq);
  auditor = await registerPerson(stack, 'Aldo Auditor', 'auditor', uniq);
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 120_000);

async function registerPolicy(title: string): Promise<string> {
  const res = await api()
    .post('/policies')
    .set(bearer(lead.token))
    .send({ title: `${title} ${uniq}`, ownerId: owner.id, version: '1.0', documentUrl: DOC, approvedBy: ceo.id });
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('the register', () => {
  it('registers, lists, reads and changes a policy; every change is in its audit stream', async () => {
    const created = await api()
      .post('/policies')
      .set(bearer(lead.token))
      .send({ title: `AI policy ${uniq}`, ownerId: owner.id, version: '1.0', documentUrl: DOC });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: `AI policy ${uniq}`,
      ownerId: owner.id,
      version: '1.0',
      approvedBy: null,
      lastReviewedAt: null,
    });
    const id = created.body.id;

    const list = await api().get('/policies').set(bearer(auditor.token));
    expect(list.status).toBe(200);
    expect(list.body.map((p: { id: string }) => p.id)).toContain(id);

    const patched = await api()
      .patch(`/policies/${id}`)
      .set(bearer(lead.token))
      .send({ approvedBy: ceo.id, title: `The AI policy ${uniq}` });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ approvedBy: ceo.id, title: `The AI policy ${uniq}`, version: '1.0' });

    const read = await api().get(`/policies/${id}`).set(bearer(owner.token));
    expect(read.status).toBe(200);
    // No org:policy-review Schedule on this stack yet: no next yearly review to show.
    expect(read.body).toMatchObject({ id, approvedBy: ceo.id, reviews: [] });
    expect(read.body).toHaveProperty('nextYearlyReviewAt');

    const events = await streamEvents(clients.db, `policy:${id}`);
    expect(events.map((e) => e.event)).toEqual(['policy.registered', 'policy.updated']);
    expect(events[1].detail).toMatchObject({ changes: { approvedBy: { from: null, to: ceo.id } } });
  });

  it('refuses bad input by field, unknown policies and people, and other roles, leaving nothing behind', async () => {
    const before = (await api().get('/policies').set(bearer(lead.token))).body.length;
    const post = (body: object, token = lead.token) => api().post('/policies').set(bearer(token)).send(body);
    const valid = { title: `Refused ${uniq}`, ownerId: owner.id, version: '1.0', documentUrl: DOC };

    expectFieldError(await post({ ...valid, title: ' ' }), 'title');
    expectFieldError(await post({ ...valid, title: undefined }), 'title');
    expectFieldError(await post({ ...valid, documentUrl: 'ftp://docs.example.test/p.pdf' }), 'documentUrl');
    expectFieldError(await post({ ...valid, documentUrl: 'not a url' }), 'documentUrl');
    expectFieldError(await post({ ...valid, version: '' }), 'version');
    expectFieldError(await post({ ...valid, version: 'x'.repeat(51) }), 'version');
    expectFieldError(await post({ ...valid, ownerId: 'nobody' }), 'ownerId');
    expectFieldError(await post({ ...valid, approvedBy: owner.id }), 'approvedBy');
    expect((await post({ ...valid, ownerId: UNKNOWN_ID })).status).toBe(404);
    expect((await post({ ...valid, approvedBy: UNKNOWN_ID })).status).toBe(404);
    expect((await post(valid, owner.token)).status).toBe(403);
    expect((await api().get('/policies').set(bearer(lead.token))).body).toHaveLength(before);

    const id = await registerPolicy('Patched');
    const patch = (body: object) => api().patch(`/policies/${id}`).set(bearer(lead.token)).send(body);
    expectFieldError(await patch({}), 'body');
    // The version is the one an approved review recorded: PATCH does not take it.
    expectFieldError(await patch({ version: '9.9' }), 'version');
    expectFieldError(await patch({ ownerId: ceo.id }), 'approvedBy');
    expectFieldError(await patch({ documentUrl: 'mailto:x@example.test' }), 'documentUrl');
    expect((await api().patch(`/policies/${UNKNOWN_ID}`).set(bearer(lead.token)).send({ title: 'x' })).status).toBe(404);
    expect((await api().get(`/policies/${UNKNOWN_ID}`).set(bearer(lead.token))).status).toBe(404);
    expectFieldError(await api().get('/policies/not-a-uuid').set(bearer(lead.token)), 'id');
    expect((await api().get(`/policies/${id}`).set(bearer(lead.token))).body).toMatchObject({ ownerId: owner.id, approvedBy: ceo.id });
  });
});

describe('a major change', () => {
  let id: string;
  let taskId: string;

  it('opens the review at once: its task reads, due 30 calendar days later, and the owner gets the email over SMTP; a retry opens no second', async () => {
    id = await registerPolicy('Generative AI policy');
    expectFieldError(await api().post(`/policies/${id}/major-change`).set(bearer(lead.token)).send({}), 'reason');
    expect((await api().post(`/policies/${UNKNOWN_ID}/major-change`).set(bearer(lead.token)).send({ reason: 'x' })).status).toBe(404);

    const reason = 'The EU AI Act obligations for general-purpose AI apply';
    const res = await api().post(`/policies/${id}/major-change`).set(bearer(lead.token)).send({ reason });
    expect(res.status).toBe(201);
    taskId = policyReviewTaskId(id, 'major-change-1');
    expect(res.body).toMatchObject({ policyId: id, key: 'major-change-1', taskId, reason, created: true });
    expect(res.body.dueAt).toBe(addCalendar(new Date(res.body.recordedAt), { days: 30 }, TZ).toISOString());

    // Read your writes: the task is there when the answer is.
    const task = await api().get(`/tasks/${taskId}`).set(bearer(owner.token));
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ kind: 'policy-review', state: 'open', ownerId: owner.id, dueAt: res.body.dueAt });

    const mail = await stack.inbox.waitFor((m) => m.to.includes(owner.email) && m.text.includes(taskId), 60_000);
    expect(mail.subject).toMatch(/^New work for you/);

    const again = await api()
      .post(`/policies/${id}/major-change`)
      .set(bearer(lead.token))
      .send({ reason: ` ${reason} ` });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ taskId, created: false, dueAt: res.body.dueAt });
    const open = await clients.db.query(`SELECT id FROM policy_reviews WHERE policy_id = $1`, [id]);
    expect(open).toHaveLength(1);
    const events = await streamEvents(clients.db, `policy:${id}`);
    expect(events.filter((e) => e.event === 'policy.major-change')).toHaveLength(1);

    const read = await api().get(`/policies/${id}`).set(bearer(auditor.token));
    expect(read.body.reviews).toEqual([
      expect.objectContaining({ key: 'major-change-1', trigger: 'major-change', reason, taskId, state: 'open', taskState: 'open' }),
    ]);
  });

  it('the owner submits the revised version through the review; approved by someone else, the policy shows the new version', async () => {
    const submit = (body: object, token = owner.token, key = 'major-change-1') =>
      api().post(`/policies/${id}/reviews/${key}/submit`).set(bearer(token)).send(body);
    const revised = { summary: 'GPAI rules added', newVersion: '2.0', documentUrl: 'https://docs.example.test/ai-policy-2.0.pdf' };
    expectFieldError(await submit({ ...revised, newVersion: undefined }), 'newVersion');
    expectFieldError(await submit({ ...revised, documentUrl: 'nope' }), 'documentUrl');
    // A new document with the version in force is refused by the review.
    expect((await submit({ ...revised, newVersion: '1.0' })).status).toBe(400);
    expect((await submit(revised, other.token)).status).toBe(403);
    expect((await submit(revised, owner.token, 'major-change-7')).status).toBe(404);
    expectFieldError(await submit(revised, owner.token, 'whenever'), 'key');

    const submitted = await submit(revised);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', outcome: 'revised', submission: { newVersion: '2.0' } });
    expect((await api().get(`/tasks/${taskId}`).set(bearer(owner.token))).body.state).toBe('submitted');

    // Segregation of duties: the owner never approves their own policy's review.
    expect((await api().post(`/tasks/${taskId}/approve`).set(bearer(owner.token)).send({})).status).toBe(403);
    const approved = await api().post(`/tasks/${taskId}/approve`).set(bearer(lead.token)).send({ comment: 'Approved' });
    expect(approved.status).toBe(200);

    // The approval answered once the review recorded the new version on the policy.
    const read = await api().get(`/policies/${id}`).set(bearer(auditor.token));
    expect(read.body).toMatchObject({
      version: '2.0',
      documentUrl: revised.documentUrl,
      approvedBy: lead.id,
      lastReviewedAt: expect.any(String),
    });
    expect(read.body.reviews[0]).toMatchObject({ state: 'approved', newVersion: '2.0', approvedBy: lead.id, taskState: 'approved' });
    const events = await streamEvents(clients.db, `policy:${id}`);
    expect(events.at(-1)).toMatchObject({
      event: 'policy.reviewed',
      detail: { previousVersion: '1.0', version: '2.0', approvedBy: lead.id },
    });

    // The owner of a policy cannot be deactivated while they own it.
    const deactivate = await api().patch(`/people/${owner.id}`).set(bearer(lead.token)).send({ active: false });
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.openWork.policies.map((p: { id: string }) => p.id)).toContain(id);

    // The change's review is done: the same reason now is a new change with its own review.
    const next = await api()
      .post(`/policies/${id}/major-change`)
      .set(bearer(lead.token))
      .send({ reason: 'The EU AI Act obligations for general-purpose AI apply' });
    expect(next.status).toBe(201);
    expect(next.body.key).toBe('major-change-2');
  });
});

it('the yearly round opens one review per policy and skips a policy under review', async () => {
  const fresh = await registerPolicy('Supplier AI policy');
  const busy = await registerPolicy('Busy policy');
  expect((await api().post(`/policies/${busy}/major-change`).set(bearer(lead.token)).send({ reason: 'Merger' })).status).toBe(201);
  // The yearly round, as its Schedule runs it: the trigger answers once every review's task reads.
  const triggered = await api().post('/cadences/org:policy-review/trigger').set(bearer(lead.token)).send();
  expect(triggered.status).toBe(200);
  const opened = triggered.body as { period: string; roundId: string; taskIds: string[]; outcome: string };
  expect(opened).toMatchObject({ outcome: 'opened', roundId: `policy-review:${opened.period}` });
  const period = opened.period;
  expect(opened.taskIds).toContain(policyReviewTaskId(fresh, period));
  expect(opened.taskIds).not.toContain(policyReviewTaskId(busy, period));
  const task = await api()
    .get(`/tasks/${policyReviewTaskId(fresh, period)}`)
    .set(bearer(owner.token));
  expect(task.body).toMatchObject({ kind: 'policy-review', state: 'open', cadenceId: 'org:policy-review', period });

  // Reviewed, no change, after the document moved: the approval keeps the version and the moved link.
  const moved = 'https://docs.example.test/moved/supplier-ai-policy.pdf';
  expect((await api().patch(`/policies/${fresh}`).set(bearer(lead.token)).send({ documentUrl: moved })).status).toBe(200);
  const submitted = await api()
    .post(`/policies/${fresh}/reviews/${period}/submit`)
    .set(bearer(owner.token))
    .send({ summary: 'Still current', newVersion: '1.0' });
  expect(submitted.status).toBe(200);
  expect(submitted.body).toMatchObject({ outcome: 'reviewed', trigger: 'yearly' });
  expect(
    (
      await api()
        .post(`/tasks/${policyReviewTaskId(fresh, period)}/approve`)
        .set(bearer(ceo.token))
        .send({})
    ).status,
  ).toBe(200);
  const read = await api().get(`/policies/${fresh}`).set(bearer(auditor.token));
  expect(read.body).toMatchObject({ version: '1.0', documentUrl: moved, approvedBy: ceo.id, lastReviewedAt: expect.any(String) });
  expect(read.body.reviews[0]).toMatchObject({ key: period, state: 'approved', outcome: 'reviewed' });
});
