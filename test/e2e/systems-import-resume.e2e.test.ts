/**
 * An import the API stopped during resumes when it starts again: the stack is stopped while
 * the import's Schedules are being created (one at a time, so it is caught in the middle) and
 * started on the same data; the import then completes with every Schedule, each counted once,
 * beside the start-up reconcile of the same systems.
 */
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, registerPerson } from './support/fixtures';

jest.setTimeout(600_000);

const uniq = Math.random().toString(36).slice(2, 8);
const ROWS = 150;
let stack: TestStack | undefined;

afterAll(async () => {
  await stack?.stop();
}, 60_000);

test('a stopped import resumes at start-up and completes with every Schedule counted once', async () => {
  const env = { AIMS_IMPORT_SCHEDULE_CONCURRENCY: '1', AIMS_TIMEZONE: 'UTC' };
  const first = await startTestStack({ keepData: true, env });
  stack = first;
  const dataDir = first.dataDir;
  let importId: string;
  let token: string;
  let systemIds: string[];
  try {
    const owner = await registerPerson(first, 'Rhea Owner', 'owner', uniq);
    const lead = await registerPerson(first, 'Remo Lead', 'governance_lead', uniq);
    token = lead.token;
    const systems = Array.from({ length: ROWS }, (_, i) => ({
      name: `Resumed ${uniq} ${i + 1}`,
      description: 'd',
      purpose: 'p',
      provider: { type: 'internal' },
      deployer: 'ops',
      ownerId: owner.id,
      riskTier: 'minimal',
      lifecycleStage: 'design_and_development',
      dataInputs: [],
      dataOutputs: [],
      oversightMeasures: [],
    }));
    const res = await request(first.apiUrl).post('/systems/import').set(bearer(token)).send({ systems });
    expect(res.status).toBe(202);
    importId = res.body.id;
    systemIds = res.body.systems.map((s: { systemId: string }) => s.systemId);
    // Caught in the middle: some Schedules made (and written), not all.
    const midway = await eventually(
      async () => {
        const v = await request(first.apiUrl).get(`/imports/${importId}`).set(bearer(token));
        return v.body.schedules.created > 0 && v.body;
      },
      'the first Schedules of the import',
      120_000,
    );
    expect(midway.status).toBe('running');
  } finally {
    await first.stop();
    stack = undefined;
  }

  const second = await startTestStack({ dataDir, env: { ...env, AIMS_IMPORT_SCHEDULE_CONCURRENCY: '8' } });
  stack = second;
  const before = await request(second.apiUrl).get(`/imports/${importId}`).set(bearer(token));
  expect(before.status).toBe(200);
  expect(before.body.schedules.created).toBeLessThan(ROWS);
  const done = await eventually(
    async () => {
      const v = await request(second.apiUrl).get(`/imports/${importId}`).set(bearer(token));
      return v.body.status !== 'running' && v.body;
    },
    'the resumed import to complete',
    240_000,
  );
  expect(done).toMatchObject({ status: 'completed', schedules: { total: ROWS, created: ROWS, failed: 0, pending: 0 }, failures: [] });

  const connection = await Connection.connect({ address: second.temporalAddress });
  try {
    const client = new Client({ connection, namespace: second.temporalNamespace });
    const want = new Set(systemIds.map((id) => `aiia:${id}`));
    await eventually(async () => {
      let found = 0;
      for await (const s of client.schedule.list()) if (want.has(s.scheduleId)) found++;
      return found === ROWS;
    }, 'every Schedule of the import in Temporal');
  } finally {
    await connection.close();
  }
});
