/**
 * Finding work in Temporal's visibility on the real stack (the dev server `npm start` runs, its
 * SQLite visibility store): the README's query `AimsOwnerId = '<id>' AND AimsState = 'open'`
 * finds exactly that owner's open tasks, created over the API; the same by system and by kind;
 * work submitted, approved or cancelled (the system retired) no longer matches. Visibility is
 * eventually consistent, so each query is waited for, within a bound.
 */
import { Client } from '@temporalio/client';
import request from 'supertest';
import { quarterOf } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, registerPerson, RegisteredPerson, systemBody, validAnswers } from './support/fixtures';

jest.setTimeout(180_000);

let stack: TestStack;
let temporal: Client;
let clients: StackClients;
const api = () => request(stack.apiUrl);
const uniq = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  clients = await connectToStack(stack);
  temporal = clients.temporal;
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
});

/** The workflow ids a visibility query finds, sorted. */
async function visible(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of temporal.workflow.list({ query })) ids.push(w.workflowId);
  return ids.sort();
}

/** Waits (at most 30 s) until the query finds exactly `expected`; the last answer otherwise. */
async function expectVisible(query: string, expected: string[]): Promise<void> {
  const want = [...expected].sort();
  let last: string[] = [];
  const t0 = Date.now();
  await eventually(
    async () => {
      last = await visible(query);
      return JSON.stringify(last) === JSON.stringify(want);
    },
    `${query} to find ${want.join(', ')}`,
  ).catch(() => undefined);
  process.stdout.write(`[search-attributes.e2e] ${Date.now() - t0} ms until ${query}\n`);
  expect({ query, found: last }).toEqual({ query, found: want });
}

describe('a Temporal visibility query by owner finds that owner’s open tasks', () => {
  let owner: RegisteredPerson;
  let other: RegisteredPerson;
  let lead: RegisteredPerson;
  let systemId: string;
  let otherSystemId: string;
  const period = quarterOf(new Date(), 'UTC').key;
  const review = () => `high-risk-review:${systemId}:${period}`;
  const goLiveAiia = () => `aiia:${systemId}:go-live`;
  // The other system is high too: its quarter's review opened at its registration (mid-quarter).
  const otherOpen = () => [`aiia:${otherSystemId}:go-live`, `high-risk-review:${otherSystemId}:${period}`];

  beforeAll(async () => {
    lead = await registerPerson(stack, 'Sia Lead', 'governance_lead', uniq);
    owner = await registerPerson(stack, 'Sol Owner', 'owner', uniq);
    other = await registerPerson(stack, 'Ode Other', 'owner', uniq);
    const register = async (name: string, ownerId: string) => {
      const res = await api()
        .post('/systems')
        .set(bearer(lead.token))
        .send(systemBody({ name, ownerId, riskTier: 'high', lifecycleStage: 'operation_and_monitoring', goLiveDate: '2026-03-17' }));
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    systemId = await register(`Searchable scoring ${uniq}`, owner.id);
    otherSystemId = await register(`Other scoring ${uniq}`, other.id);
    expect((await api().post(`/cadences/high-risk-review:${systemId}/trigger`).set(bearer(lead.token))).status).toBe(200);
  });

  it("AimsOwnerId = '<id>' AND AimsState = 'open' finds exactly the owner's review and AIIA, not another owner's work", async () => {
    await expectVisible(`AimsOwnerId = '${owner.id}' AND AimsState = 'open'`, [goLiveAiia(), review()]);
    await expectVisible(`AimsOwnerId = '${other.id}' AND AimsState = 'open'`, otherOpen());
    // By system and kind; the ids and the due time as the task has them.
    await expectVisible(`AimsSubjectId = '${systemId}' AND AimsKind = 'high-risk-review'`, [review()]);
    const [info] = await (async () => {
      const out = [];
      for await (const w of temporal.workflow.list({ query: `WorkflowId = '${review()}'` })) out.push(w);
      return out;
    })();
    const task = await api()
      .get(`/tasks/${encodeURIComponent(review())}`)
      .set(bearer(owner.token));
    expect(task.status).toBe(200);
    expect(info.searchAttributes).toMatchObject({
      AimsKind: ['high-risk-review'],
      AimsOwnerId: [owner.id],
      AimsSubjectId: [systemId],
      AimsState: ['open'],
    });
    expect((info.searchAttributes.AimsDueAt as unknown as Date[])[0].toISOString()).toBe(new Date(task.body.dueAt).toISOString());
    // Nothing of theirs is overdue: every due time is ahead.
    await expectVisible(`AimsOwnerId = '${owner.id}' AND AimsState = 'open' AND AimsDueAt < '${new Date().toISOString()}'`, []);
  });

  it('submitted and approved work leaves the open query; a retirement cancels the rest, and the query finds nothing', async () => {
    const submitted = await api()
      .post(`/tasks/${encodeURIComponent(review())}/submit`)
      .set(bearer(owner.token))
      .send({ summary: 'Thresholds met', answers: validAnswers('high-risk-review') });
    expect(submitted.status).toBe(200);
    await expectVisible(`AimsOwnerId = '${owner.id}' AND AimsState = 'open'`, [goLiveAiia()]);
    await expectVisible(`AimsOwnerId = '${owner.id}' AND AimsState = 'submitted'`, [review()]);
    expect(
      (
        await api()
          .post(`/tasks/${encodeURIComponent(review())}/approve`)
          .set(bearer(lead.token))
      ).status,
    ).toBe(200);
    await expectVisible(`AimsOwnerId = '${owner.id}' AND AimsState = 'approved'`, [review()]);

    const retired = await api().patch(`/systems/${systemId}`).set(bearer(lead.token)).send({ lifecycleStage: 'retirement' });
    expect(retired.status).toBe(200);
    await expectVisible(`AimsOwnerId = '${owner.id}' AND AimsState = 'open'`, []);
    await expectVisible(`AimsOwnerId = '${owner.id}' AND AimsState = 'cancelled'`, [goLiveAiia()]);
    // The other owner's work is untouched.
    await expectVisible(`AimsOwnerId = '${other.id}' AND AimsState = 'open'`, otherOpen());
  });

  it("an incident is found by its responder and system; its report tasks by the incident's id", async () => {
    const responder = await registerPerson(stack, 'Rae Responder', 'responder', uniq);
    const res = await api()
      .post('/incidents')
      .set(bearer(responder.token))
      .send({
        systemId: otherSystemId,
        title: `Scores leaked ${uniq}`,
        description: 'A support ticket carried scores.',
        severity: 'high',
        detectedAt: new Date(Date.now() - 60_000).toISOString(),
        responderId: responder.id,
      });
    expect(res.status).toBe(201);
    const incidentId = res.body.incidentId as string;
    await expectVisible(`AimsOwnerId = '${responder.id}' AND AimsKind = 'incident' AND AimsState = 'open'`, [`incident:${incidentId}`]);
    await expectVisible(`AimsSubjectId = '${otherSystemId}' AND AimsKind = 'incident'`, [`incident:${incidentId}`]);
    await expectVisible(`AimsSubjectId = '${incidentId}' AND AimsState = 'open'`, [`incident-report:${incidentId}:draft`]);
  });
});
