/**
 * The internal audit programme (ISO/IEC 42001 9.2) over HTTP against the real stack: the
 * clause register, a plan refused field by field (an unknown control, a control left out named,
 * an auditor who owns a control) leaving nothing behind, an accepted plan whose audits' tasks
 * read at once, findings whose nonconformity shows in GET /nonconformities with the finding as
 * its source, the programme's figures, the report acknowledged by top management.
 *
 * The programme is opened by the trigger of the Schedule org:internal-audit, which runs its cycle
 * now (the round `internal-audit:<period>`).
 */
import { createHash } from 'crypto';
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { orgRoundWorkflowId } from '../../libs/contracts';
import { DAY_MS, ORG_CADENCE_DEFAULTS, orgCadenceId, orgPeriodOf } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import {
  bearer,
  downloadAuditPackage,
  expectFieldError,
  registerPerson,
  RegisteredPerson,
  streamEvents,
  validAnswers,
} from './support/fixtures';

jest.setTimeout(240_000);

let stack: TestStack;
let clients: StackClients;
let db: DataSource;
const uniq = Date.now().toString(36);
let lead: RegisteredPerson;
let ceo: RegisteredPerson;
let auditorA: RegisteredPerson;
let auditorB: RegisteredPerson;
let owner: RegisteredPerson;
let programmeId: string;
let period: string;

const api = () => request(stack.apiUrl);
const CLAUSES = ['4', '5', '6', '7', '8', '9', '10'];
const dueAt = () => new Date(Date.now() + 30 * DAY_MS).toISOString();
const plan = (audits: unknown, token = lead.token) =>
  api().post(`/audit-programmes/${programmeId}/plan`).set(bearer(token)).send({ audits });
const findings = (n: number, list: unknown, token: string) =>
  api().post(`/audit-programmes/${programmeId}/audits/${n}/findings`).set(bearer(token)).send({ findings: list });
const conformity = (criterionId: string) => ({
  criterionId,
  grade: 'conformity',
  summary: `${criterionId} conforms`,
  answers: validAnswers('audit-finding'),
});
const findingForm = { kind: 'audit-finding', version: 1 };

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  clients = await connectToStack(stack);
  ({ db } = clients);
  const person = (name: string, role: string, managerId?: string) => registerPerson(stack, name, role, uniq, managerId);
  lead = await person('Lena Lead', 'governance_lead');
  ceo = await person('Tess Top', 'management');
  auditorA = await person('Aude Auditor', 'auditor', ceo.id);
  auditorB = await person('Bert Auditor', 'auditor');
  owner = await person('Omar Owner', 'owner', ceo.id);
  // The SoA holds two controls applicable: A.6.2.4 owned by Omar, A.8.4 by Bert.
  for (const [controlId, ownerId] of [
    ['A.6.2.4', owner.id],
    ['A.8.4', auditorB.id],
  ]) {
    const res = await api().patch(`/soa/${controlId}`).set(bearer(lead.token)).send({ applicability: 'applicable', ownerId });
    expect(res.status).toBe(200);
  }
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 120_000);

it('keeps a clause register of clauses 4-10 with owners, versioned in the audit trail', async () => {
  const list = await api().get('/aims-clauses').set(bearer(auditorA.token));
  expect(list.status).toBe(200);
  expect(list.body.map((c: { clause: string }) => c.clause)).toEqual(CLAUSES);
  expect(list.body[5]).toMatchObject({ clause: '9', title: 'Performance evaluation', ownerId: null, version: 0 });

  const set = await api().patch('/aims-clauses/9').set(bearer(lead.token)).send({ ownerId: auditorB.id });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ clause: '9', ownerId: auditorB.id, version: 1, updatedBy: lead.id });
  expect(await streamEvents(db, 'aims-clause:9')).toEqual([
    { event: 'aims-clause.changed', detail: expect.objectContaining({ clause: '9', ownerId: auditorB.id, version: 1 }) },
  ]);
  expectFieldError(await api().patch('/aims-clauses/11').set(bearer(lead.token)).send({ ownerId: null }), 'clause');
  expectFieldError(await api().patch('/aims-clauses/9').set(bearer(lead.token)).send({ ownerId: 'x' }), 'ownerId');
  expect((await api().patch('/aims-clauses/9').set(bearer(auditorA.token)).send({ ownerId: null })).status).toBe(403);
});

it('opens the programme with its plan task for the AIMS owner, readable at once, from the org-wide trigger', async () => {
  period = orgPeriodOf(ORG_CADENCE_DEFAULTS['internal-audit'], new Date(), 'UTC').key;
  programmeId = orgRoundWorkflowId('internal-audit', period);
  const triggered = await api()
    .post(`/cadences/${orgCadenceId('internal-audit')}/trigger`)
    .set(bearer(lead.token));
  expect(triggered.status).toBe(200);
  expect(triggered.body).toMatchObject({ roundId: programmeId, period, outcome: 'opened', taskIds: [`audit-plan:${period}`] });
  const task = await api().get(`/tasks/audit-plan:${period}`).set(bearer(lead.token));
  expect(task.body).toMatchObject({ kind: 'audit-plan', ownerId: lead.id, state: 'open' });

  const res = await api().get(`/audit-programmes/${programmeId}`).set(bearer(auditorA.token));
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ programmeId, period, state: 'planning', ownerId: lead.id, coverage: { percent: 0 }, report: null });
  expect((await api().get(`/audit-programmes/${programmeId}`).set(bearer(owner.token))).status).toBe(403);
  expect((await api().get('/audit-programmes/internal-audit:1999').set(bearer(lead.token))).status).toBe(404);
  expectFieldError(await api().get('/audit-programmes/nope').set(bearer(lead.token)), 'id');
});

it('refuses a bad plan field by field, and leaves nothing behind', async () => {
  const before = await db.query(`SELECT version, status FROM audit_programmes WHERE id = $1`, [programmeId]);
  const eventsBefore = await streamEvents(db, programmeId);
  const a = (criteria: string[], auditorId = auditorA.id) => ({ auditorId, criteria, dueAt: dueAt() });

  const unknown = await plan([a([...CLAUSES, 'A.6.2.4', 'A.8.4', 'A.9.9'])]);
  expectFieldError(unknown, 'audits.0.criteria');
  expect(JSON.stringify(unknown.body.errors)).toMatch(/A\.9\.9 is neither a clause 4-10 nor an Annex A control/);
  expectFieldError(await plan([a([...CLAUSES, 'B.1'])]), 'audits.0.criteria');

  const missing = await plan([a([...CLAUSES, 'A.8.4'])]);
  expectFieldError(missing, 'audits');
  expect(JSON.stringify(missing.body.errors)).toMatch(/A\.6\.2\.4 \(AI system verification and validation\) is not covered by any audit/);

  const owns = await plan([a([...CLAUSES, 'A.6.2.4']), a(['A.8.4'], auditorB.id)]);
  expectFieldError(owns, 'audits.1.auditorId');
  expect(JSON.stringify(owns.body.errors)).toMatch(/owns A\.8\.4 and may not audit it/);
  const ownsClause = await plan([a([...CLAUSES.filter((c) => c !== '9'), 'A.6.2.4', 'A.8.4']), a(['9'], auditorB.id)]);
  expectFieldError(ownsClause, 'audits.1.auditorId');

  expectFieldError(await plan([{ auditorId: auditorA.id, criteria: CLAUSES, dueAt: '2020-01-01T00:00:00Z' }]), 'audits.0.dueAt');
  expect((await plan([a([...CLAUSES, 'A.6.2.4', 'A.8.4'])], auditorA.token)).status).toBe(403);

  expect(await db.query(`SELECT version, status FROM audit_programmes WHERE id = $1`, [programmeId])).toEqual(before);
  expect(await streamEvents(db, programmeId)).toEqual(eventsBefore);
  expect(await db.query(`SELECT id FROM tasks WHERE kind = 'internal-audit'`)).toEqual([]);
  expect((await api().get(`/tasks/audit-plan:${period}`).set(bearer(lead.token))).body.state).toBe('open');
});

it('plans, records findings with a nonconformity raised from the finding, and reports the figures', async () => {
  const planned = await plan([
    { auditorId: auditorA.id, criteria: [...CLAUSES, 'A.8.4'], dueAt: dueAt() },
    { auditorId: auditorB.id, criteria: ['A.6.2.4'], dueAt: dueAt() },
  ]);
  expect(planned.status).toBe(200);
  expect(planned.body).toMatchObject({
    state: 'auditing',
    plannedBy: lead.id,
    coverage: { criteria: 9, audited: 0, percent: 0 },
    auditsByState: { open: 2 },
    audits: [
      { n: 1, taskId: `internal-audit:${period}:1`, auditorId: auditorA.id, state: 'open' },
      { n: 2, auditorId: auditorB.id, state: 'open' },
    ],
  });
  // The audits' tasks read at once; the plan task is done.
  expect((await api().get(`/tasks/internal-audit:${period}:1`).set(bearer(auditorA.token))).body).toMatchObject({ state: 'open' });
  expect((await api().get(`/tasks/audit-plan:${period}`).set(bearer(lead.token))).body.state).toBe('completed');
  expect((await plan([{ auditorId: auditorA.id, criteria: CLAUSES, dueAt: dueAt() }])).status).toBe(409);

  const audit1 = [
    ...CLAUSES.map(conformity),
    {
      criterionId: 'A.8.4',
      grade: 'minor-nonconformity',
      summary: 'Incident notices reach users late',
      evidenceUrls: ['https://evidence.example/a84'],
      answers: validAnswers('audit-finding', { methods: ['record-sampling'], sample: '12 incident notices of 2026' }),
    },
  ];
  // Each finding's answers against the audit-finding form: every bad one named, nothing recorded.
  const badAnswers = await findings(
    1,
    audit1.map((f, i) =>
      i === 0 ? { ...f, answers: { methods: ['guessing'], evidence: ' ' } } : i === 7 ? { ...f, answers: undefined } : f,
    ),
    auditorA.token,
  );
  for (const field of ['findings.0.answers.methods', 'findings.0.answers.evidence', 'findings.7.answers'])
    expectFieldError(badAnswers, field);
  expect(await db.query(`SELECT count(*)::int AS n FROM audit_findings WHERE programme_id = $1`, [programmeId])).toEqual([{ n: 0 }]);
  expect((await findings(1, audit1, auditorB.token)).status).toBe(403);
  expectFieldError(await findings(1, audit1.slice(1), auditorA.token), 'findings');
  expect((await findings(3, audit1, auditorA.token)).status).toBe(404);

  const recorded = await findings(1, audit1, auditorA.token);
  expect(recorded.status).toBe(200);
  const nc = recorded.body.correctiveActions[0];
  expect(recorded.body.correctiveActions).toEqual([
    expect.objectContaining({ criterionId: 'A.8.4', grade: 'minor', state: 'open', actionOwnerId: auditorB.id, verifierId: auditorA.id }),
  ]);
  const finding = recorded.body.findings.find((f: { criterionId: string }) => f.criterionId === 'A.8.4');
  expect(finding).toMatchObject({
    grade: 'minor-nonconformity',
    nonconformityId: nc.nonconformityId,
    recordedBy: auditorA.id,
    submission: { form: findingForm, answers: { methods: ['record-sampling'], sample: '12 incident notices of 2026' } },
  });
  // The nonconformity reads at once, its source the finding.
  const listed = await api().get(`/nonconformities?sourceType=audit-finding&sourceRef=${finding.id}`).set(bearer(lead.token));
  expect(listed.status).toBe(200);
  expect(listed.body.items).toEqual([
    expect.objectContaining({ nonconformityId: nc.nonconformityId, source: { type: 'audit-finding', ref: finding.id }, grade: 'minor' }),
  ]);
  expect(await db.query(`SELECT count(*)::int AS n FROM audit_findings WHERE programme_id = $1`, [programmeId])).toEqual([{ n: 8 }]);

  const figures = await api().get(`/audit-programmes/${programmeId}`).set(bearer(ceo.token));
  expect(figures.body).toMatchObject({
    state: 'auditing',
    coverage: { criteria: 9, audited: 8, percent: 88.9, notAudited: ['A.6.2.4'] },
    auditsByState: { completed: 1, open: 1 },
    findingsByGrade: { conformity: 7, 'minor-nonconformity': 1, 'major-nonconformity': 0, observation: 0 },
    openCorrectiveActions: 1,
  });

  const last = await findings(2, [conformity('A.6.2.4')], auditorB.token);
  expect(last.status).toBe(200);
  expect(last.body).toMatchObject({ state: 'reporting', coverage: { percent: 100 }, report: { ownerId: ceo.id, acknowledged: false } });
  const reportTask = `audit-report:${period}`;
  expect((await api().get(`/tasks/${reportTask}`).set(bearer(ceo.token))).body).toMatchObject({ kind: 'audit-report', state: 'open' });

  const acknowledge = (token: string, body: object = { summary: 'Read and accepted' }) =>
    api().post(`/audit-programmes/${programmeId}/report/acknowledge`).set(bearer(token)).send(body);
  expect((await acknowledge(lead.token)).status).toBe(403);
  expectFieldError(await acknowledge(ceo.token, { summary: ' ' }), 'summary');
  const ack = await acknowledge(ceo.token);
  expect(ack.status).toBe(200);
  // Answered once the programme is closed: the report's task and the programme read so at once.
  const closed = ack.body;
  expect(closed.state).toBe('closed');
  expect((await api().get(`/tasks/${reportTask}`).set(bearer(ceo.token))).body).toMatchObject({ state: 'completed', submittedBy: ceo.id });
  expect((await api().get(`/audit-programmes/${programmeId}`).set(bearer(lead.token))).body.state).toBe('closed');
  expect((await acknowledge(ceo.token)).status).toBe(409);
  expect(closed.report).toMatchObject({ acknowledged: true, acknowledgedBy: ceo.id, summary: 'Read and accepted' });
  const list = await api().get('/audit-programmes').set(bearer(auditorA.token));
  expect(list.body).toMatchObject({ total: 1, items: [{ programmeId, state: 'closed', openCorrectiveActions: 1 }] });
  expect((await streamEvents(db, programmeId)).map((e) => e.event)).toEqual([
    'opened',
    'planned',
    'findings-recorded',
    'findings-recorded',
    'report-opened',
    'closed',
  ]);
});

it('puts the programme with its findings in the audit package, covered by the manifest', async () => {
  const res = await downloadAuditPackage(stack, auditorA.token);
  expect(res.status).toBe(200);
  const files = unzipSync(new Uint8Array(res.body as Buffer));
  const text = (name: string) => strFromU8(files[name]);
  const programmes = JSON.parse(text('audit-programmes.json'));
  expect(programmes).toEqual([expect.objectContaining({ programmeId, state: 'closed', findings: expect.any(Array) })]);
  expect(programmes[0].findings).toHaveLength(9);
  const csv = text('audit-findings.csv').trimEnd().split('\r\n');
  expect(csv[0]).toBe(
    'id,programme_id,audit_number,audit_task_id,criterion_id,grade,summary,evidence_urls,nonconformity_id,recorded_by,recorded_at,submission',
  );
  expect(csv).toHaveLength(10);
  expect(csv.find((l) => l.includes(',A.8.4,'))).toMatch(
    /,minor-nonconformity,Incident notices reach users late,https:\/\/evidence\.example\/a84,[0-9a-f-]{36},/,
  );
  // The finding's answers to the audit-finding form, with its version, as JSON.
  expect(csv.find((l) => l.includes(',A.8.4,'))).toContain('""kind"":""audit-finding""');
  expect(csv.find((l) => l.includes(',A.8.4,'))).toContain('12 incident notices of 2026');
  expect(text('aims-clauses.csv')).toContain(`9,Performance evaluation,${auditorB.id},1,`);
  const manifest = text('MANIFEST.sha256');
  for (const name of ['audit-programmes.json', 'audit-findings.csv', 'aims-clauses.csv']) {
    const sum = createHash('sha256').update(files[name]).digest('hex');
    expect(manifest).toContain(`${sum}  ${name}`);
  }
});
