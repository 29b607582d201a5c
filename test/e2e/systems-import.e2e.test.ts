/**
 * POST /systems/import against the real stack: one bad row refuses the whole file, naming its
 * row and field, and writes nothing (no system, no audit event, no Schedule, no import); a dry
 * run writes nothing and lists each row's cadences; 1,000 good rows register in one go and
 * every Schedule exists in Temporal once GET /imports/:id says completed, with the right
 * counts; a CSV file with its registration work (go-live AIIA, this quarter's review, initial
 * AIIA); the same file again is refused, as POST /systems refuses a name already registered.
 */
import { Client } from '@temporalio/client';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { eventually, registerPerson, RegisteredPerson } from './support/fixtures';

jest.setTimeout(300_000);

let stack: TestStack;
let temporal: Client;
let clients: StackClients;
let db: DataSource;
let lead: RegisteredPerson;
let owner: RegisteredPerson;

const api = () => request(stack.apiUrl);
const uniq = Math.random().toString(36).slice(2, 8);
const asLead = () => ({ Authorization: `Bearer ${lead.token}` });

const row = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  description: 'imported system',
  purpose: 'testing the import',
  provider: { type: 'internal' },
  deployer: 'Ops',
  ownerId: owner.id,
  riskTier: 'limited',
  lifecycleStage: 'design_and_development',
  dataInputs: ['documents'],
  dataOutputs: ['summaries'],
  oversightMeasures: [],
  ...over,
});

async function counts(): Promise<{ systems: number; events: number; imports: number }> {
  const [r] = await db.query(
    `SELECT (SELECT count(*)::int FROM ai_systems) AS systems, (SELECT count(*)::int FROM audit_events) AS events,
            (SELECT count(*)::int FROM system_imports) AS imports`,
  );
  return r;
}

/** Ids of the cadence Schedules Temporal lists for these systems. */
async function schedulesOf(systemIds: Set<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of temporal.schedule.list()) {
    const systemId = s.scheduleId.slice(s.scheduleId.indexOf(':') + 1);
    if (systemIds.has(systemId)) out.push(s.scheduleId);
  }
  return out;
}

async function completed(id: string): Promise<request.Response> {
  return eventually(
    async () => {
      const res = await api().get(`/imports/${id}`).set(asLead());
      expect(res.status).toBe(200);
      return res.body.status !== 'running' && res;
    },
    `import ${id} to finish`,
    240_000,
  );
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  clients = await connectToStack(stack);
  ({ temporal, db } = clients);
  lead = await registerPerson(stack, 'Ida Lead', 'governance_lead', uniq);
  owner = await registerPerson(stack, 'Oskar Owner', 'owner', uniq);
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

it('one bad row (row 7 riskTier) refuses the file, names the row and field, and writes nothing', async () => {
  const before = await counts();
  const systems = Array.from({ length: 10 }, (_, i) => row(`Bad file ${uniq} ${i + 1}`, i === 6 ? { riskTier: 'severe' } : {}));
  const res = await api().post('/systems/import').set(asLead()).send({ systems });
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ statusCode: 400, message: 'Validation failed', errorsTotal: 1, errorsOmitted: 0 });
  expect(res.body.errors).toEqual([{ row: 7, field: 'riskTier', messages: [expect.stringMatching(/^row 7: riskTier must be one of/)] }]);
  expect(await counts()).toEqual(before);
  const names = await db.query(`SELECT 1 FROM ai_systems WHERE name LIKE $1`, [`Bad file ${uniq}%`]);
  expect(names).toEqual([]);
});

it("an unknown owner, a deactivated one and a name twice in the file are row errors too, every row's at once", async () => {
  const gone = await registerPerson(stack, 'Gone Owner', 'owner', uniq);
  expect((await api().patch(`/people/${gone.id}`).set({ Authorization: stack.adminAuth }).send({ active: false })).status).toBe(200);
  const before = await counts();
  const systems = [
    row(`Twice ${uniq}`),
    row(`Unknown owner ${uniq}`, { ownerId: '0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a' }),
    row(`Deactivated owner ${uniq}`, { ownerId: gone.id }),
    row(`twice ${uniq}`.toUpperCase()),
  ];
  const res = await api().post('/systems/import').set(asLead()).send({ systems });
  expect(res.status).toBe(400);
  expect(res.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
    [2, 'ownerId'],
    [3, 'ownerId'],
    [4, 'name'],
  ]);
  expect(await counts()).toEqual(before);
});

it('more than 10,000 rows is a 413 saying so; a body of another type a 415', async () => {
  const res = await api()
    .post('/systems/import')
    .set(asLead())
    .send({ systems: Array.from({ length: 10_001 }, () => ({})) });
  expect(res.status).toBe(413);
  expect(res.body.message).toMatch(/at most 10000 rows/);
  const plain = await api().post('/systems/import').set(asLead()).set('content-type', 'text/plain').send('name\nx');
  expect(plain.status).toBe(415);
});

it('a dry run writes nothing and lists what each row would create', async () => {
  const before = await counts();
  const res = await api()
    .post('/systems/import?dryRun=true')
    .set(asLead())
    .send({
      systems: [
        row(`Dry high ${uniq}`, { riskTier: 'high', lifecycleStage: 'operation_and_monitoring', goLiveDate: '2026-03-17' }),
        row(`Dry limited ${uniq}`),
        row(`Dry prohibited ${uniq}`, { riskTier: 'unacceptable' }),
      ],
    });
  expect(res.status).toBe(200);
  expect(res.headers.location).toBeUndefined();
  expect(res.body).not.toHaveProperty('id');
  expect(res.body).toMatchObject({ status: 'dry-run', rows: 3, schedules: { total: 3 }, work: { total: 3 } });
  const [high, limited, prohibited] = res.body.systems;
  expect(high.cadences.map((c: { kind: string }) => c.kind)).toEqual(['high-risk-review', 'aiia']);
  expect(high.cadences[0]).toMatchObject({ id: null, months: [1, 4, 7, 10], dayOfMonth: 1 });
  expect(high.cadences[1]).toMatchObject({ months: [3], dayOfMonth: 17, startAt: '2026-03-18T00:00:00.000Z' });
  expect(high.work.map((w: { kind: string }) => w.kind)).toEqual(['go-live-aiia', 'current-review']);
  expect(limited.cadences.map((c: { kind: string }) => c.kind)).toEqual(['aiia']);
  expect(limited.work).toEqual([]);
  expect(prohibited).toMatchObject({ cadences: [], work: [{ kind: 'prohibited-alert', taskId: null }] });
  expect(await counts()).toEqual(before);
});

describe('1,000 rows', () => {
  let systems: Array<Record<string, unknown>>;
  let importId: string;
  let systemIds: Set<string>;

  it('registers every system in one transaction, answers 202 with each row and its cadences, and creates every Schedule', async () => {
    systems = Array.from({ length: 1_000 }, (_, i) => row(`Bulk ${uniq} ${String(i + 1).padStart(4, '0')}`));
    const before = await counts();
    const res = await api().post('/systems/import').set(asLead()).send({ systems });
    expect(res.status).toBe(202);
    importId = res.body.id;
    expect(res.headers.location).toBe(`/imports/${importId}`);
    expect(res.body).toMatchObject({ status: 'running', rows: 1_000, schedules: { total: 1_000 }, work: { total: 0 } });
    expect(res.body.systems[41]).toMatchObject({ row: 42, name: systems[41].name, cadences: [{ kind: 'aiia' }] });
    systemIds = new Set(res.body.systems.map((s: { systemId: string }) => s.systemId));
    expect(systemIds.size).toBe(1_000);
    expect(res.body.systems[41].cadences[0].id).toBe(`aiia:${res.body.systems[41].systemId}`);

    // The systems and their registration events are there at once (one import record).
    const after = await counts();
    expect(after.systems - before.systems).toBe(1_000);
    expect(after.imports - before.imports).toBe(1);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE event = 'system.registered' AND stream_id = ANY($1::text[])`,
      [[...systemIds].map((id) => `system:${id}`)],
    );
    expect(n).toBe(1_000);

    const done = await completed(importId);
    expect(done.body).toMatchObject({
      id: importId,
      status: 'completed',
      format: 'json',
      rows: 1_000,
      actorId: lead.id,
      schedules: { total: 1_000, created: 1_000, failed: 0, pending: 0 },
      work: { total: 0, opened: 0, failed: 0, pending: 0, items: [] },
      failures: [],
    });
    expect(done.body.completedAt).toEqual(expect.any(String));
    const listed = await eventually(async () => {
      const ids = await schedulesOf(systemIds);
      return ids.length === 1_000 && ids;
    }, 'every imported Schedule in the list');
    expect(new Set(listed)).toEqual(new Set([...systemIds].map((id) => `aiia:${id}`)));
  });

  it('the same file again is refused (names are unique, as on POST /systems), and nothing more is written', async () => {
    const before = await counts();
    const res = await api().post('/systems/import').set(asLead()).send({ systems });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errorsTotal: 1_000, errorsOmitted: 900 });
    expect(res.body.summary).toMatch(/1000 error\(s\) in 1000 row\(s\); nothing was imported; the first 100 are listed, 900 more/);
    expect(res.body.errors[0]).toMatchObject({ row: 1, field: 'name', messages: ['row 1: an AI system with this name already exists'] });
    expect(await counts()).toEqual(before);
  });
});

it('a CSV file registers its systems and opens the same work POST /systems opens', async () => {
  const header =
    'name,description,purpose,provider.type,provider.name,deployer,ownerId,businessUnit,riskTier,lifecycleStage,goLiveDate,dataInputs,dataOutputs,oversightMeasures';
  const csv = [
    header,
    `CSV high ${uniq},"Scores, ranks",Credit,third_party,Acme AI,Lending,${owner.id},Retail,high,operation_and_monitoring,2026-03-17,bureau data;applications,score,human review`,
    `CSV live ${uniq},Chat,Support,internal,,Support,${owner.id},,minimal,operation_and_monitoring,,,,`,
  ].join('\r\n');
  const res = await api().post('/systems/import').set(asLead()).set('content-type', 'text/csv').send(csv);
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ format: 'csv', rows: 2, schedules: { total: 3 }, work: { total: 3 } });
  const [high, live] = res.body.systems;
  expect(high).toMatchObject({ row: 1, line: 2 });
  expect(high.work.map((w: { kind: string }) => w.kind)).toEqual(['go-live-aiia', 'current-review']);
  expect(live.work).toEqual([{ kind: 'initial-aiia', taskId: `aiia:${live.systemId}:initial` }]);

  const stored = await api().get(`/systems/${high.systemId}`).set(asLead());
  expect(stored.body).toMatchObject({
    description: 'Scores, ranks',
    provider: { type: 'third_party', name: 'Acme AI' },
    businessUnit: 'Retail',
    goLiveDate: '2026-03-17',
    dataInputs: ['bureau data', 'applications'],
    complianceStatus: 'not_assessed',
  });
  const [audit] = await db.query(`SELECT detail FROM audit_events WHERE stream_id = $1 AND event = 'system.registered'`, [
    `system:${high.systemId}`,
  ]);
  expect(audit.detail.system).toMatchObject({ id: high.systemId, name: `CSV high ${uniq}`, riskTier: 'high' });

  const done = await completed(res.body.id);
  expect(done.body).toMatchObject({ status: 'completed', schedules: { total: 3, created: 3, failed: 0 }, work: { total: 3, opened: 3 } });
  const taskIds = done.body.work.items.map((w: { taskId: string }) => w.taskId);
  expect(taskIds).toEqual([...high.work, ...live.work].map((w: { taskId: string }) => w.taskId));
  // The work is open in Temporal, and its tasks record their opening as on POST /systems.
  for (const id of taskIds) expect((await temporal.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
  await eventually(async () => {
    const rows = await db.query(`SELECT id FROM tasks WHERE id = ANY($1::text[])`, [taskIds]);
    return rows.length === taskIds.length;
  }, 'the imported work in the task read model');
});

it('an unknown import is a 404; only the roles that may POST /systems may import', async () => {
  expect((await api().get('/imports/0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a').set(asLead())).status).toBe(404);
  const res = await api()
    .post('/systems/import')
    .set({ Authorization: `Bearer ${owner.token}` })
    .send({ systems: [row(`Owner import ${uniq}`)] });
  expect(res.status).toBe(403);
});
