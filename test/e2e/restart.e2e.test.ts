/**
 * A restart keeps everything: the stack is stopped and started again on the same data, and
 * the systems, people, tokens, Schedules and task are still there. The review's workflow,
 * opened before the restart, is still running and takes its submit and approval after it.
 */
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { quarterOf } from '../../libs/domain';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, RegisteredPerson, registerPerson, systemBody, validAnswers } from './support/fixtures';

jest.setTimeout(300_000);

const uniq = Math.random().toString(36).slice(2, 8);
let stack: TestStack | undefined;
let dataDir: string;

afterAll(async () => {
  await stack?.stop();
}, 60_000);

async function temporalOf(s: TestStack): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: s.temporalAddress });
  return { client: new Client({ connection, namespace: s.temporalNamespace }), close: () => connection.close() };
}

test('systems, tokens, schedules and a running review survive a stop and a start', async () => {
  // Before: a high-risk system and this quarter's review, opened and waiting for its owner.
  const first = await startTestStack({ keepData: true });
  stack = first;
  dataDir = first.dataDir;
  let owner: RegisteredPerson;
  let lead: RegisteredPerson;
  let systemId: string;
  const taskId = () => `high-risk-review:${systemId}:${quarterOf(new Date(), 'UTC').key}`;
  try {
    const manager = await registerPerson(first, 'Mia Manager', 'management', uniq);
    owner = await registerPerson(first, 'Oli Owner', 'owner', uniq, manager.id);
    lead = await registerPerson(first, 'Gil Lead', 'governance_lead', uniq);
    const created = await request(first.apiUrl)
      .post('/systems')
      .set(bearer(lead.token))
      .send(systemBody({ name: `Fraud model ${uniq}`, ownerId: owner.id, riskTier: 'high', lifecycleStage: 'operation_and_monitoring' }));
    expect(created.status).toBe(201);
    systemId = created.body.id;
    expect((await request(first.apiUrl).post(`/cadences/high-risk-review:${systemId}/trigger`).set(bearer(lead.token))).status).toBe(200);
    await eventually(
      async () =>
        (
          await request(first.apiUrl)
            .get(`/tasks/${encodeURIComponent(taskId())}`)
            .set(bearer(owner.token))
        ).status === 200,
      'the review task',
    );
  } finally {
    await first.stop();
    stack = undefined;
  }

  // After: the same data dir, new processes (and new ports).
  const second = await startTestStack({ dataDir });
  stack = second;
  const api = () => request(second.apiUrl);

  // A token issued before the restart still signs in; the inventory is there.
  const system = await api().get(`/systems/${systemId}`).set(bearer(owner.token));
  expect(system.status).toBe(200);
  expect(system.body).toMatchObject({ id: systemId, riskTier: 'high', ownerId: owner.id });

  // The Schedules are still in Temporal, and the workflow of the review is still running.
  const temporal = await temporalOf(second);
  try {
    for (const id of [`high-risk-review:${systemId}`, `aiia:${systemId}`]) {
      expect((await temporal.client.schedule.getHandle(id).describe()).scheduleId).toBe(id);
    }
    expect((await temporal.client.workflow.getHandle(taskId()).describe()).status.name).toBe('RUNNING');
  } finally {
    await temporal.close();
  }

  // It takes its human steps on the new worker, and the read model follows.
  const submitted = await api()
    .post(`/tasks/${encodeURIComponent(taskId())}/submit`)
    .set(bearer(owner.token))
    .send({ summary: 'Reviewed after the restart', answers: validAnswers('high-risk-review') });
  expect(submitted.status).toBe(200);
  expect(submitted.body.state).toBe('submitted');
  const approved = await api()
    .post(`/tasks/${encodeURIComponent(taskId())}/approve`)
    .set(bearer(lead.token))
    .send({});
  expect(approved.status).toBe(200);
  expect(approved.body.state).toBe('approved');
  const row = await eventually(async () => {
    const res = await api()
      .get(`/tasks/${encodeURIComponent(taskId())}`)
      .set(bearer(lead.token));
    return res.body.state === 'approved' && res.body;
  }, 'the approved task in the read model');
  expect(row).toMatchObject({ submissions: 1, approvedBy: lead.id });
});
