/**
 * auditProgramme (ISO/IEC 42001 9.2) under the time-skipping server: a programme from plan to
 * report; plans refused (a control left out, named; an auditor who owns a control; an auditor
 * who submitted work evidencing a clause) with the programme still running and nothing
 * recorded; a major nonconformity that starts its corrective action with the finding as its
 * source; and an overdue audit escalated at its exact workflow instants (calendar days in the zone).
 */
import { WorkflowHandle } from '@temporalio/client';
import {
  acknowledgeReportUpdate,
  auditPlanTaskId,
  auditProgrammeStatusQuery,
  auditReportTaskId,
  auditTaskId,
  nonconformityStatusQuery,
  nonconformityWorkflowId,
  OrgRoundInput,
  orgRoundWorkflowId,
  planProgrammeUpdate,
  reassignUpdate,
  recordFindingsUpdate,
  REFUSAL,
  roundOpenedUpdate,
  submitUpdate,
  TaskStatus,
} from '../../libs/contracts';
import { addCalendar, DAY_MS, FindingInput, PlannedAudit, zonedParts, zonedTimeToInstant } from '../../libs/domain';
import { auditProgramme, correctiveAction } from '../../workflows';
import { recordHistory } from '../support/histories';
import {
  actor,
  expectRefusedUnchanged,
  onTime,
  PEOPLE,
  refusalOf,
  sleepUntil,
  startWorkflowTestContext,
  WorkflowTestContext,
} from './fixtures';

jest.setTimeout(180_000);

const ZONE = 'Europe/Amsterdam';
const AUDITOR = {
  id: 'p-auditor',
  name: 'Aude Auditor',
  email: 'aude@example.test',
  role: 'auditor' as const,
  managerId: PEOPLE.manager.id,
};
const CLAUSES = ['4', '5', '6', '7', '8', '9', '10'];

let ctx: WorkflowTestContext;

beforeAll(async () => {
  ctx = await startWorkflowTestContext('audit-programme');
  ctx.ports.addPerson(AUDITOR);
  // The SoA: two applicable controls with owners (the rest is undecided: no criterion).
  ctx.ports.applicableControls.set('A.6.2.4', PEOPLE.owner.id);
  ctx.ports.applicableControls.set('A.8.4', PEOPLE.peer.id);
  ctx.ports.clauseOwners.set('5', PEOPLE.lead.id);
});

afterAll(async () => {
  await ctx?.stop();
});

async function startProgramme(period: string): Promise<{ handle: WorkflowHandle<typeof auditProgramme>; openedMs: number }> {
  const now = await ctx.env.currentTimeMs();
  const input: OrgRoundInput = {
    cadenceId: 'org:internal-audit',
    kind: 'internal-audit',
    period,
    opensAt: new Date(now - DAY_MS).toISOString(),
    endsAt: new Date(now + 365 * DAY_MS).toISOString(),
    timeZone: ZONE,
  };
  const handle = await ctx.env.client.workflow.start(auditProgramme, {
    workflowId: orgRoundWorkflowId('internal-audit', period),
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  const opened = await handle.executeUpdate(roundOpenedUpdate);
  expect(opened).toEqual({ roundId: `internal-audit:${period}`, period, taskIds: [auditPlanTaskId(period)] });
  // Readable at once: the plan task's opening is in the read model.
  const plan = ctx.ports.tasks.get(auditPlanTaskId(period))!;
  expect(plan).toMatchObject({ kind: 'audit-plan', ownerId: PEOPLE.lead.id, state: 'open' });
  const openedMs = Date.parse((await handle.query(auditProgrammeStatusQuery)).openedAt);
  // Due 14 calendar days after the programme opened, in the zone.
  expect(plan.dueAt).toBe(addCalendar(new Date(openedMs), { days: 14 }, ZONE).toISOString());
  return { handle, openedMs };
}

const lead = actor(PEOPLE.lead);
const plan = (handle: WorkflowHandle, audits: PlannedAudit[], by = lead) =>
  handle.executeUpdate(planProgrammeUpdate, { args: [{ by, audits }] });
const findings = (handle: WorkflowHandle, audit: number, list: FindingInput[], by = actor(AUDITOR)) =>
  handle.executeUpdate(recordFindingsUpdate, { args: [{ by, audit, findings: list }] });
const conformity = (criterionId: string): FindingInput => ({ criterionId, grade: 'conformity', summary: `${criterionId} conforms` });

test('a programme from plan to report: refused plans, findings, a major nonconformity with its corrective action, the acknowledged report', async () => {
  const { handle, openedMs } = await startProgramme('2026');
  const dueAt = new Date(openedMs + 30 * DAY_MS).toISOString();
  const state = () => handle.query(auditProgrammeStatusQuery);

  // The auditor submitted an AI impact assessment in the period: it evidences clause 8 and A.5.
  ctx.ports.tasks.set('aiia:sys-1:2026', {
    ...ctx.ports.tasks.get(auditPlanTaskId('2026'))!,
    taskId: 'aiia:sys-1:2026',
    kind: 'aiia',
    state: 'approved',
    submittedBy: AUDITOR.id,
    submittedAt: new Date(openedMs).toISOString(),
  } as TaskStatus);

  const eventsBefore = ctx.ports.auditProgrammeEvents.length;
  await expectRefusedUnchanged(handle, state, [
    [
      'a plan that leaves A.6.2.4 out',
      () =>
        plan(handle, [
          { auditorId: AUDITOR.id, criteria: ['4', '5', '6', '7', '9', '10', 'A.8.4'], dueAt },
          { auditorId: PEOPLE.peer.id, criteria: ['8'], dueAt },
        ]),
      REFUSAL.invalidArgument,
      /A\.6\.2\.4 \(AI system verification and validation\) is not covered by any audit/,
    ],
    [
      'an auditor who owns the control',
      () =>
        plan(handle, [
          { auditorId: AUDITOR.id, criteria: ['4', '5', '6', '7', '9', '10', 'A.8.4'], dueAt },
          { auditorId: PEOPLE.owner.id, criteria: ['8', 'A.6.2.4'], dueAt },
        ]),
      REFUSAL.invalidArgument,
      /Olivia Owner \(p-owner\) owns A\.6\.2\.4 and may not audit it/,
    ],
    [
      'an auditor who submitted work evidencing the clause',
      () => plan(handle, [{ auditorId: AUDITOR.id, criteria: [...CLAUSES, 'A.6.2.4', 'A.8.4'], dueAt }]),
      REFUSAL.invalidArgument,
      /Aude Auditor \(p-auditor\) submitted aiia:sys-1:2026 \(aiia\), which evidences 8, and may not audit it/,
    ],
    [
      'an unknown control and auditor',
      () =>
        plan(handle, [
          { auditorId: AUDITOR.id, criteria: ['4', '5', '6', '7', '9', '10', 'A.6.2.4', 'A.8.4', 'A.99.1'], dueAt },
          { auditorId: 'p-nobody', criteria: ['8'], dueAt },
        ]),
      REFUSAL.invalidArgument,
      /A\.99\.1 is neither a clause 4-10 nor an Annex A control.*auditor p-nobody does not exist/,
    ],
    [
      'a plan by someone other than its owner',
      () => plan(handle, [], actor(PEOPLE.admin)),
      REFUSAL.notPermitted,
      /only the owner of the plan \(p-lead\)/,
    ],
    ['findings before the plan', () => findings(handle, 1, [conformity('4')]), REFUSAL.invalidState, /not planned yet/],
  ]);
  expect(ctx.ports.auditProgrammeEvents.length).toBe(eventsBefore);
  expect(ctx.ports.tasks.has(auditTaskId('2026', 1))).toBe(false);

  const planned = await plan(handle, [
    { auditorId: AUDITOR.id, criteria: ['4', '5', '6', '7', '9', '10', 'A.6.2.4', 'A.8.4'], dueAt },
    { auditorId: PEOPLE.peer.id, criteria: ['8'], dueAt },
  ]);
  expect(planned).toMatchObject({ state: 'auditing', plannedBy: PEOPLE.lead.id, audits: [{ n: 1 }, { n: 2 }] });
  expect(planned.criteria.map((c) => c.id)).toEqual([...CLAUSES, 'A.6.2.4', 'A.8.4']);
  // Answered once every audit's task is readable, and the plan task is done.
  expect(ctx.ports.tasks.get(auditPlanTaskId('2026'))).toMatchObject({ state: 'completed', submittedBy: PEOPLE.lead.id });
  expect(ctx.ports.tasks.get(auditTaskId('2026', 1))).toMatchObject({ kind: 'internal-audit', ownerId: AUDITOR.id, state: 'open', dueAt });
  expect(ctx.ports.tasks.get(auditTaskId('2026', 2))).toMatchObject({ ownerId: PEOPLE.peer.id, state: 'open', dueAt });
  expect(ctx.ports.programmes.get('internal-audit:2026')).toMatchObject({ state: 'auditing', version: planned.version });
  // An audit is never reassigned to the owner of a criterion it covers.
  const reassign = ctx.env.client.workflow
    .getHandle(auditTaskId('2026', 1))
    .executeUpdate(reassignUpdate, { args: [{ by: lead, newOwnerId: PEOPLE.owner.id, reason: 'workload' }] });
  expect(await refusalOf(reassign)).toEqual({
    type: REFUSAL.notPermitted,
    message: expect.stringMatching(/p-owner may not own this work/),
  });

  const audit1 = [
    ...['4', '5', '6', '7', '10', 'A.8.4'].map(conformity),
    { criterionId: '9', grade: 'observation' as const, summary: 'Monitoring results are read late' },
    {
      criterionId: 'A.6.2.4',
      grade: 'major-nonconformity' as const,
      summary: 'No verification before release',
      evidenceUrls: ['https://evidence.example/a624'],
    },
  ];
  await expectRefusedUnchanged(handle, state, [
    ['a finding missing', () => findings(handle, 1, audit1.slice(1)), REFUSAL.invalidArgument, /no finding for 4: every criterion/],
    [
      'someone else than the auditor',
      () => findings(handle, 1, audit1, actor(PEOPLE.peer)),
      REFUSAL.notPermitted,
      /only the auditor of audit 1/,
    ],
    ['an audit not in the plan', () => findings(handle, 3, audit1), REFUSAL.invalidArgument, /no audit 3/],
  ]);

  const after1 = await findings(handle, 1, audit1);
  expect(after1.state).toBe('auditing');
  const major = after1.findings.find((f) => f.criterionId === 'A.6.2.4')!;
  expect(major).toMatchObject({ grade: 'major-nonconformity', recordedBy: AUDITOR.id, auditTaskId: auditTaskId('2026', 1) });
  expect(after1.findings.filter((f) => f.nonconformityId)).toEqual([major]);
  expect(ctx.ports.tasks.get(auditTaskId('2026', 1))).toMatchObject({ state: 'completed', outcome: 'findings-recorded' });
  // The nonconformity reads at once, and its corrective action runs: owner the control's owner, verified by the auditor.
  const nc = ctx.ports.nonconformities.get(major.nonconformityId!)!;
  expect(nc).toMatchObject({
    grade: 'major',
    source: { type: 'audit-finding', ref: major.id },
    actionOwnerId: PEOPLE.owner.id,
    verifierId: AUDITOR.id,
  });
  const ncHandle = ctx.env.client.workflow.getHandle<typeof correctiveAction>(nonconformityWorkflowId(major.nonconformityId!));
  expect((await ncHandle.describe()).status.name).toBe('RUNNING');
  expect(await ncHandle.query(nonconformityStatusQuery)).toMatchObject({
    source: { type: 'audit-finding', ref: major.id },
    grade: 'major',
  });

  const after2 = await findings(handle, 2, [conformity('8')], actor(PEOPLE.peer));
  // The last audit's answer reports the report to top management open and readable.
  expect(after2.state).toBe('reporting');
  expect(after2.report).toMatchObject({ taskId: auditReportTaskId('2026'), ownerId: PEOPLE.ceo.id });
  expect(after2.report!.title).toBe(
    'Internal audit report 2026: 9 criteria audited in 2 audit(s); 7 conformity, 0 minor and 1 major nonconformities, 1 observation(s); 1 corrective action(s) raised',
  );
  const report = ctx.ports.tasks.get(auditReportTaskId('2026'))!;
  expect(report).toMatchObject({ kind: 'audit-report', ownerId: PEOPLE.ceo.id, state: 'open' });
  expect(report.dueAt).toBe(addCalendar(new Date(after2.report!.openedAt), { days: 30 }, ZONE).toISOString());

  await ctx.env.client.workflow
    .getHandle(auditReportTaskId('2026'))
    .executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.ceo), summary: 'Read; the major nonconformity is top priority' }] });
  const closed = await handle.result();
  expect(closed).toMatchObject({
    state: 'closed',
    report: { acknowledgedBy: PEOPLE.ceo.id, summary: 'Read; the major nonconformity is top priority' },
  });
  expect(ctx.ports.programmes.get('internal-audit:2026')).toMatchObject({ state: 'closed', version: closed.version });
  expect(ctx.ports.auditProgrammeEvents.slice(eventsBefore).map((e) => e.event)).toEqual([
    'planned',
    'findings-recorded',
    'findings-recorded',
    'report-opened',
    'closed',
  ]);
  await recordHistory(handle, 'auditProgramme', 'plan-to-report');
});

test('an overdue audit escalates at its exact workflow instants: manager +3, governance lead +7, top management +14 calendar days', async () => {
  const { handle, openedMs } = await startProgramme('2027');
  // Due at local midnight 20 days on: calendar days in the zone from there.
  const day = zonedParts(addCalendar(new Date(openedMs), { days: 20 }, ZONE), ZONE);
  const dueMs = zonedTimeToInstant(day.year, day.month, day.day, 0, 0, ZONE).getTime();
  const dueAt = new Date(dueMs).toISOString();
  await plan(handle, [
    { auditorId: PEOPLE.peer.id, criteria: ['8'], dueAt },
    // p-auditor submitted an AIIA in 2026's window only; here it audits the rest.
    { auditorId: AUDITOR.id, criteria: ['4', '5', '6', '7', '9', '10', 'A.6.2.4', 'A.8.4'], dueAt },
  ]);
  const taskId = auditTaskId('2027', 2);
  await sleepUntil(ctx.env, addCalendar(new Date(dueMs), { days: 15 }, ZONE).getTime());
  const sent = ctx.ports.notificationsFor(taskId).filter((n) => n.kind === 'escalate');
  const expected = [
    ['escalate-manager', 3, PEOPLE.manager.id],
    ['escalate-governance-lead', 7, PEOPLE.lead.id],
    ['escalate-top-management', 14, PEOPLE.ceo.id],
  ] as const;
  expect(sent.map((n) => n.notificationKey)).toEqual(expected.map(([key]) => key));
  for (const [key, days, to] of expected) {
    const n = sent.find((x) => x.notificationKey === key)!;
    const at = addCalendar(new Date(dueMs), { days }, ZONE).getTime();
    expect({ key, onTime: onTime(n.at, at), to: n.recipients.map((r) => r.personId) }).toEqual({ key, onTime: true, to: [to] });
  }
  expect(ctx.ports.tasks.get(taskId)).toMatchObject({ state: 'open', overdue: true, escalationLevel: 3 });
  expect((await handle.query(auditProgrammeStatusQuery)).audits[1]).toMatchObject({ taskId, taskState: 'open' });
  await handle.terminate('test done');
});

test('top management acknowledge the report through the programme: answered once it is closed', async () => {
  const { handle, openedMs } = await startProgramme('2028');
  const dueAt = new Date(openedMs + 30 * DAY_MS).toISOString();
  await plan(handle, [
    { auditorId: PEOPLE.peer.id, criteria: ['8'], dueAt },
    { auditorId: AUDITOR.id, criteria: ['4', '5', '6', '7', '9', '10', 'A.6.2.4', 'A.8.4'], dueAt },
  ]);
  const ack = (by = actor(PEOPLE.ceo), summary = 'Read') => handle.executeUpdate(acknowledgeReportUpdate, { args: [{ by, summary }] });
  expect(await refusalOf(ack())).toMatchObject({ type: REFUSAL.invalidState, message: expect.stringMatching(/not open yet/) });
  await findings(handle, 1, [conformity('8')], actor(PEOPLE.peer));
  const reporting = await findings(handle, 2, ['4', '5', '6', '7', '9', '10', 'A.6.2.4', 'A.8.4'].map(conformity));
  expect(reporting.state).toBe('reporting');
  await expectRefusedUnchanged(handle, () => handle.query(auditProgrammeStatusQuery), [
    ['the governance lead', () => ack(lead), REFUSAL.notPermitted, /only the report's addressee \(p-ceo\)/],
    ['no summary', () => ack(actor(PEOPLE.ceo), ' '), REFUSAL.invalidArgument, /summary/],
  ]);
  const closed = await ack(actor(PEOPLE.ceo), 'No nonconformity: carry on');
  expect(closed).toMatchObject({ state: 'closed', report: { acknowledgedBy: PEOPLE.ceo.id, summary: 'No nonconformity: carry on' } });
  expect(ctx.ports.tasks.get(auditReportTaskId('2028'))).toMatchObject({ state: 'completed', submittedBy: PEOPLE.ceo.id });
  expect(ctx.ports.programmes.get('internal-audit:2028')).toMatchObject({ state: 'closed', closedAt: closed.closedAt });
  expect(await handle.result()).toMatchObject({ state: 'closed' });
  await recordHistory(handle, 'auditProgramme', 'acknowledged-through-programme');
});
