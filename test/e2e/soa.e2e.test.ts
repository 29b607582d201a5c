/**
 * The Statement of Applicability over HTTP, against the real stack: 38 Annex A controls from
 * the migration; an exclusion needs a justification (a 400 that leaves nothing behind);
 * every change is a new version in the audit trail, `asOf` shows the SoA as it stood, and
 * the CSV export carries a line per control. Unknown and malformed controls, unknown and
 * deactivated owners, stale versions and other roles are refused.
 */
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, expectFieldError, registerPerson, RegisteredPerson, streamEvents } from './support/fixtures';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

let stack: TestStack;
let db: DataSource;
const uniq = Date.now().toString(36);
let lead: RegisteredPerson;
let owner: RegisteredPerson;
let auditor: RegisteredPerson;

const api = () => request(stack.apiUrl);
const patch = (controlId: string, body: unknown, token = lead.token) =>
  api()
    .patch(`/soa/${controlId}`)
    .set(bearer(token))
    .send(body as object);

const trail = (controlId: string) => streamEvents(db, `soa:${controlId}`);

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  db = createDataSource(stack.databaseUrl, { poolSize: 2 });
  await db.initialize();
  lead = await registerPerson(stack, 'Lena Lead', 'governance_lead', uniq);
  owner = await registerPerson(stack, 'Omar Owner', 'owner', uniq);
  auditor = await registerPerson(stack, 'Aude Auditor', 'auditor', uniq);
}, 300_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
  await stack?.stop();
}, 120_000);

it('lists the 38 Annex A controls, undecided, in the standard order', async () => {
  const res = await api().get('/soa').set(bearer(auditor.token));
  expect(res.status).toBe(200);
  expect(res.body.summary).toEqual({ controls: 38, applicable: 0, excluded: 0, undecided: 38, implemented: 0 });
  expect(res.body.controls[0]).toMatchObject({
    controlId: 'A.2.2',
    title: 'AI policy',
    objectiveId: 'A.2',
    applicability: 'undecided',
    implementationStatus: 'not_started',
    evidence: [],
    version: 0,
    ownerId: null,
  });
  expect(res.body.controls.at(-1).controlId).toBe('A.10.4');
});

it('refuses an exclusion without a justification with a 400 on the field, and writes nothing', async () => {
  const before = await db.query(`SELECT * FROM soa_entries WHERE control_id = 'A.10.4'`);
  for (const body of [
    { applicability: 'excluded' },
    { applicability: 'excluded', justification: '   ' },
    { applicability: 'excluded', justification: null },
  ]) {
    expectFieldError(await patch('A.10.4', body), 'justification');
  }
  expect(await db.query(`SELECT * FROM soa_entries WHERE control_id = 'A.10.4'`)).toEqual(before);
  expect(await trail('A.10.4')).toEqual([]);
});

it('versions every change in the audit trail and shows the SoA as it stood with asOf', async () => {
  const excluded = await patch('A.10.4', { applicability: 'excluded', justification: 'We have no customers of our AI systems' });
  expect(excluded.status).toBe(200);
  expect(excluded.body).toMatchObject({ controlId: 'A.10.4', applicability: 'excluded', version: 1, updatedBy: lead.id });
  const afterExclusion = new Date(Date.parse(excluded.body.updatedAt) + 1).toISOString();
  await new Promise((r) => setTimeout(r, 20));

  const included = await patch('A.10.4', {
    applicability: 'applicable',
    ownerId: owner.id,
    implementationStatus: 'implemented',
    evidence: ['https://wiki.example.com/customers', 'Contract template v3'],
    version: 1,
  });
  expect(included.status).toBe(200);
  expect(included.body).toMatchObject({ applicability: 'applicable', justification: null, ownerId: owner.id, version: 2 });

  // A stale version is a 409; the same values again are not a new version.
  expect((await patch('A.10.4', { implementationStatus: 'planned', version: 1 })).status).toBe(409);
  expect((await patch('A.10.4', { ownerId: owner.id })).body.version).toBe(2);

  const events = await trail('A.10.4');
  expect(events.map((e) => [e.event, e.detail.version, e.detail.applicability])).toEqual([
    ['soa.changed', 1, 'excluded'],
    ['soa.changed', 2, 'applicable'],
  ]);
  expect(events[1].detail.changed).toEqual(['applicability', 'justification', 'ownerId', 'implementationStatus', 'evidence']);

  const now = (await api().get('/soa').set(bearer(auditor.token))).body;
  expect(now.summary).toMatchObject({ applicable: 1, excluded: 0, undecided: 37, implemented: 1 });
  const then = await api().get('/soa').query({ asOf: afterExclusion }).set(bearer(auditor.token));
  expect(then.status).toBe(200);
  expect(then.body.asOf).toBe(afterExclusion);
  expect(then.body.summary).toMatchObject({ applicable: 0, excluded: 1, undecided: 37 });
  expect(then.body.controls.find((c: { controlId: string }) => c.controlId === 'A.10.4')).toMatchObject({
    applicability: 'excluded',
    justification: 'We have no customers of our AI systems',
    version: 1,
  });
  const before = await api().get('/soa').query({ asOf: '2000-01-01T00:00:00Z' }).set(bearer(auditor.token));
  expect(before.body.summary.undecided).toBe(38);
});

it('exports the SoA as CSV, a line per control, quoted where needed', async () => {
  await patch('A.8.3', { applicability: 'excluded', justification: 'No external reporting duty, "yet", per legal, 2026' });
  const res = await api().get('/soa').query({ format: 'csv' }).set(bearer(auditor.token));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  const lines = res.text.trimEnd().split('\r\n');
  expect(lines).toHaveLength(39);
  expect(lines[0]).toBe(
    'control_id,objective_id,objective,control,applicability,justification,owner_id,implementation_status,evidence,version,updated_at',
  );
  expect(lines.find((l) => l.startsWith('A.8.3,'))).toContain(',excluded,"No external reporting duty, ""yet"", per legal, 2026",');
  expect(lines.find((l) => l.startsWith('A.10.4,'))).toContain(
    `,applicable,,${owner.id},implemented,https://wiki.example.com/customers | Contract template v3,2,`,
  );
});

it('refuses unknown and malformed controls, bad owners, bad fields and other roles', async () => {
  expect((await patch('A.2.9', { applicability: 'applicable' })).status).toBe(404);
  expectFieldError(await patch('X.1', { applicability: 'applicable' }), 'controlId');
  expect((await patch('A.2.2', { ownerId: UNKNOWN_ID })).status).toBe(404);
  expectFieldError(await patch('A.2.2', { ownerId: 'me' }), 'ownerId');
  expectFieldError(await patch('A.2.2', { applicability: 'undecided' }), 'applicability');
  expectFieldError(await patch('A.2.2', { implementationStatus: 'done' }), 'implementationStatus');
  expectFieldError(await patch('A.2.2', { evidence: ['a', 'a'] }), 'evidence');
  expectFieldError(await patch('A.2.2', { colour: 'red' }), 'colour');
  expectFieldError(await patch('A.2.2', {}), 'body');
  expectFieldError(await patch('A.2.2', { evidence: ['line\nbreak'] }), 'evidence');
  expectFieldError(await patch('A.2.2', { applicability: 'excluded', justification: 'nul\u0000' }), 'justification');
  expectFieldError(await api().get('/soa').query({ asOf: 'yesterday' }).set(bearer(auditor.token)), 'asOf');
  expect((await patch('A.2.2', { applicability: 'applicable' }, owner.token)).status).toBe(403);
  expect((await patch('A.2.2', { applicability: 'applicable' }, auditor.token)).status).toBe(403);
  expect(await trail('A.2.2')).toEqual([]);
});

it('keeps a control owner from being deactivated while they own an applicable control', async () => {
  const res = await api().patch(`/people/${owner.id}`).set(bearer(lead.token)).send({ active: false });
  expect(res.status).toBe(409);
  expect(res.body.openWork.controls).toEqual([{ id: 'A.10.4' }]);
  expect(res.body.message).toContain('1 Annex A control (A.10.4)');
});
