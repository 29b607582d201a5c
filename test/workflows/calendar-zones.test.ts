/**
 * Calendar arithmetic in the organisation's zone under the time-skipping server (issue 8,
 * item 2): due dates, ladder reminders and escalations, and the corrective-action verification
 * wait land on the same local time (local midnight for work opened at local midnight) across
 * DST, in Europe/Amsterdam and Australia/Sydney (DST in each hemisphere), Australia/Adelaide
 * (a half-hour offset with DST) and Asia/Kolkata (+05:30, no DST); and the 29 February
 * anniversary. Every expected instant is written out by hand; workflow time only moves
 * forward, so the tests run in calendar order (2030-2033) and share one server.
 */
import { WorkflowHandle } from '@temporalio/client';
import {
  CadenceCycleInput,
  correctiveStepTaskId,
  CorrectiveActionInput,
  goLiveAiiaStart,
  IncidentInput,
  incidentReportTaskId,
  incidentStatusQuery,
  incidentWorkflowId,
  planIncidentReports,
  nonconformityStatusQuery,
  nonconformityWorkflowId,
  statusQuery,
  submitUpdate,
  TaskStatus,
  taskWorkflowId,
} from '../../libs/contracts';
import {
  correctiveActionPlan,
  correctiveActionPlanDays,
  DAY_MS,
  desiredCadences,
  HOUR_MS,
  nextRunTimes,
  zonedParts,
} from '../../libs/domain';
import { cadenceCycle, correctiveAction, governanceTask, incident } from '../../workflows';
import { recordHistory } from '../support/histories';
import { actor, eventually, onTime, PEOPLE, sleepUntil, startWorkflowTestContext, WorkflowTestContext } from './fixtures';

jest.setTimeout(120_000);

const AMS = 'Europe/Amsterdam';
const SYD = 'Australia/Sydney';
const ADL = 'Australia/Adelaide';
const KOL = 'Asia/Kolkata';

let ctx: WorkflowTestContext;
const started: WorkflowHandle[] = [];
const ms = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  ctx = await startWorkflowTestContext('calendar-zones');
  const now = await ctx.env.currentTimeMs();
  if (now > ms('2030-03-01T00:00:00Z')) throw new Error('these tests are written for workflow time before March 2030');
  for (const [id, riskTier] of [
    ['sys-syd', 'high'],
    ['sys-syd-aiia', 'limited'],
    ['sys-kol', 'high'],
    ['sys-adl', 'high'],
    ['sys-ams', 'high'],
    ['sys-leap', 'limited'],
  ] as const) {
    ctx.ports.addSystem({
      id,
      name: `System ${id}`,
      ownerId: PEOPLE.owner.id,
      riskTier,
      lifecycleStage: 'operation_and_monitoring',
      // Live since long before the yearly runs below (the leap-day system goes live on 29 February 2032).
      ...(id === 'sys-leap' ? { goLiveDate: '2032-02-29' } : { goLiveDate: '2028-01-10' }),
      registeredAt: '2027-01-04T09:00:00.000Z',
    });
  }
});

afterAll(async () => {
  for (const h of started) await h.terminate('test done').catch(() => undefined);
  await ctx?.stop();
});

/** Runs a cycle at `atIso` (as its Schedule would), returns the opened task's status. */
async function cycleAt(atIso: string, input: CadenceCycleInput, name: string): Promise<TaskStatus> {
  await sleepUntil(ctx.env, ms(atIso));
  const handle = await ctx.env.client.workflow.start(cadenceCycle, {
    workflowId: `${input.cadenceId}-${atIso}`,
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  const result = await handle.result();
  expect(result.outcome).toBe('opened');
  await recordHistory(handle, 'cadenceCycle', name);
  const task = ctx.env.client.workflow.getHandle(result.taskId!);
  started.push(task);
  return task.query(statusQuery);
}

function review(systemId: string, timeZone: string): CadenceCycleInput {
  return { cadenceId: `high-risk-review:${systemId}`, kind: 'high-risk-review', systemId, timeZone };
}

const stepAt = (status: TaskStatus, key: string) => status.ladder.find((s) => s.key === key)?.at;

/** The time the task sent a ladder notification (workflow time), after sleeping past it. */
async function sentAt(taskId: string, notificationKey: string, expectedIso: string): Promise<string | undefined> {
  await sleepUntil(ctx.env, ms(expectedIso) + 10 * 60_000);
  const log = await eventually(
    async () => ctx.ports.notificationsFor(taskId),
    (l) => l.some((n) => n.notificationKey === notificationKey),
  );
  return log.find((n) => n.notificationKey === notificationKey)?.at;
}

/**
 * A cycle started by the test runs a few seconds after the instant slept to (a Schedule fires
 * on it): work due from the run (an AIIA) is due that much later. Quarter work is due from the
 * quarter's start, exact.
 */
const RUN_SLACK_MS = 10_000;

async function expectSentOnTime(taskId: string, key: string, expectedIso: string, slackMs?: number): Promise<void> {
  const at = await sentAt(taskId, key, expectedIso);
  expect({ key, on: onTime(at, ms(expectedIso), slackMs), at }).toEqual({ key, on: true, at: expect.any(String) });
}

/** `actualIso` is `expectedIso` or at most `slackMs` later. */
function expectAt(actualIso: string | undefined, expectedIso: string, slackMs = RUN_SLACK_MS): void {
  expect({ actualIso, on: onTime(actualIso, ms(expectedIso), slackMs) }).toEqual({ actualIso, on: true });
}

function local(iso: string, tz: string): string {
  const p = zonedParts(new Date(iso), tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

describe('Australia/Sydney (DST ends 7 April 2030)', () => {
  const aiiaTask = taskWorkflowId('aiia', 'sys-syd-aiia', '2030');
  const reviewTask = taskWorkflowId('high-risk-review', 'sys-syd', '2030-Q2');

  test('an AIIA opened on 15 March 00:00 AEDT is due 14 April 00:00 AEST; its reminders are local midnights', async () => {
    const status = await cycleAt(
      '2030-03-14T13:00:00.000Z',
      { cadenceId: 'aiia:sys-syd-aiia', kind: 'aiia', systemId: 'sys-syd-aiia', timeZone: SYD },
      'calendar-sydney-aiia',
    );
    expect(status).toMatchObject({ taskId: aiiaTask, period: '2030' });
    // Due 30 days after the run (a few seconds after 00:00 local here): not 13:00Z (23:00 local), as 30 x 24 h gave.
    expectAt(status.dueAt, '2030-04-13T14:00:00.000Z');
    expect(local(status.dueAt, SYD)).toBe('2030-04-14 00:00');
    // 30 calendar days over the change: 30 x 24 h + 1 h after the local midnight of the run's day
    // (the due counts from that midnight, however late in the day the run or its task opened).
    expect(ms(status.dueAt) - ms('2030-03-14T13:00:00.000Z')).toBe(30 * DAY_MS + HOUR_MS);
    expect(ms(status.openedAt)).toBeGreaterThanOrEqual(ms('2030-03-14T13:00:00.000Z'));
    expectAt(stepAt(status, 'remind-14d-before'), '2030-03-30T13:00:00.000Z'); // 31 March 00:00 AEDT
    expectAt(stepAt(status, 'remind-3d-before'), '2030-04-10T14:00:00.000Z'); // 11 April 00:00 AEST
    expectAt(stepAt(status, 'remind-1d-before'), '2030-04-12T14:00:00.000Z');
    expectAt(stepAt(status, 'remind-due'), '2030-04-13T14:00:00.000Z');
    expectAt(stepAt(status, 'escalate-manager'), '2030-04-16T14:00:00.000Z');
    expectAt(stepAt(status, 'escalate-governance-lead'), '2030-04-20T14:00:00.000Z');
    expectAt(stepAt(status, 'escalate-top-management'), '2030-04-27T14:00:00.000Z');
    for (const step of status.ladder) expect(local(step.at, SYD).slice(11)).toBe('00:00');

    await expectSentOnTime(aiiaTask, 'remind-14d-before', stepAt(status, 'remind-14d-before')!);
  });

  test('the 2030-Q2 review opens 1 April 00:00 AEDT, due 1 May 00:00 AEST; reminders and escalation fire at local midnight', async () => {
    const status = await cycleAt('2030-03-31T13:00:00.000Z', review('sys-syd', SYD), 'calendar-sydney-q2');
    expect(status).toMatchObject({ taskId: reviewTask, period: '2030-Q2' });
    expect(status.dueAt).toBe('2030-04-30T14:00:00.000Z');
    expect(local(status.dueAt, SYD)).toBe('2030-05-01 00:00');

    const aiia = await ctx.env.client.workflow.getHandle(aiiaTask).query(statusQuery);
    await expectSentOnTime(aiiaTask, 'remind-3d-before', stepAt(aiia, 'remind-3d-before')!);
    await expectSentOnTime(aiiaTask, 'escalate-manager', stepAt(aiia, 'escalate-manager')!);
    await expectSentOnTime(reviewTask, 'remind-14d-before', '2030-04-16T14:00:00.000Z');
    await expectSentOnTime(reviewTask, 'remind-due', '2030-04-30T14:00:00.000Z');
    await expectSentOnTime(reviewTask, 'escalate-manager', '2030-05-03T14:00:00.000Z');
  });
});

describe('Asia/Kolkata (+05:30)', () => {
  test('the 2030-Q3 review opens 1 July 00:00 IST, due 31 July 00:00 IST; its reminders at local midnight', async () => {
    const taskId = taskWorkflowId('high-risk-review', 'sys-kol', '2030-Q3');
    const status = await cycleAt('2030-06-30T18:30:00.000Z', review('sys-kol', KOL), 'calendar-kolkata-q3');
    expect(status.dueAt).toBe('2030-07-30T18:30:00.000Z');
    expect(local(status.dueAt, KOL)).toBe('2030-07-31 00:00');
    expect(stepAt(status, 'remind-14d-before')).toBe('2030-07-16T18:30:00.000Z');
    await expectSentOnTime(taskId, 'remind-14d-before', '2030-07-16T18:30:00.000Z');
    await expectSentOnTime(taskId, 'remind-due', '2030-07-30T18:30:00.000Z');
  });
});

describe('Europe/Amsterdam and Australia/Adelaide in October 2030, and a corrective action across the autumn change', () => {
  const ncId = 'nc-calendar-ams';
  const ncHandle = () => ctx.env.client.workflow.getHandle<typeof correctiveAction>(nonconformityWorkflowId(ncId));
  let actionSubmittedAt: string;
  let verificationOpensAt: string;

  test('a corrective action started 1 August 2030 15:00 CEST: steps due in calendar days, the check 90 calendar days after the action', async () => {
    await sleepUntil(ctx.env, ms('2030-08-01T13:00:00.000Z'));
    const input: CorrectiveActionInput = {
      nonconformityId: ncId,
      title: 'Calendar drift',
      description: 'Due dates landed an hour off local midnight.',
      grade: 'major',
      source: { type: 'audit-finding', ref: 'AF-CAL' },
      actionOwnerId: PEOPLE.owner.id,
      containmentOwnerId: PEOPLE.owner.id,
      rootCauseOwnerId: PEOPLE.owner.id,
      verifierId: PEOPLE.peer.id,
      openedBy: PEOPLE.lead.id,
      plan: correctiveActionPlan('major'),
      planDays: correctiveActionPlanDays('major'),
      timeZone: AMS,
    };
    const handle = await ctx.env.client.workflow.start(correctiveAction, {
      workflowId: nonconformityWorkflowId(ncId),
      taskQueue: ctx.taskQueue,
      args: [input],
    });
    started.push(handle);
    const owner = actor(PEOPLE.owner);
    const open = (taskId: string) =>
      eventually(
        () =>
          ctx.env.client.workflow
            .getHandle<typeof governanceTask>(taskId)
            .query(statusQuery)
            .catch(() => undefined),
        (s) => s?.state === 'open',
      );
    const submitNow = (taskId: string, summary: string) =>
      ctx.env.client.workflow.getHandle<typeof governanceTask>(taskId).executeUpdate(submitUpdate, { args: [{ by: owner, summary }] });

    const containment = (await open(correctiveStepTaskId(ncId, 'containment')))!;
    // Due 2 calendar days later at the same local time (no DST change in between: 48 h).
    expect(local(containment.dueAt, AMS)).toBe(`2030-08-03 ${local(containment.openedAt, AMS).slice(11)}`);
    await submitNow(containment.taskId, 'Contained');
    const rootCause = (await open(correctiveStepTaskId(ncId, 'root-cause')))!;
    expect(ms(rootCause.dueAt) - ms(rootCause.openedAt)).toBeLessThanOrEqual(14 * DAY_MS);
    expect(local(rootCause.dueAt, AMS).slice(11)).toBe(local(rootCause.openedAt, AMS).slice(11));
    await submitNow(rootCause.taskId, 'Found');
    const action = (await open(correctiveStepTaskId(ncId, 'action', 1)))!;
    expect(local(action.dueAt, AMS).slice(0, 10)).toBe('2030-08-31');
    const done = await submitNow(action.taskId, 'Fixed');
    actionSubmittedAt = done.submittedAt!;

    const waiting = await eventually(
      () => handle.query(nonconformityStatusQuery),
      (s) => s.step === 'verification-wait',
    );
    verificationOpensAt = waiting.verificationOpensAt!;
    // 90 calendar days at the same local time: 30 October 15:00 CET, 90 x 24 h + 1 h after the action.
    expect(local(verificationOpensAt, AMS).slice(0, 10)).toBe('2030-10-30');
    expect(local(verificationOpensAt, AMS).slice(11)).toBe(local(actionSubmittedAt, AMS).slice(11));
    expect(ms(verificationOpensAt) - ms(actionSubmittedAt)).toBeGreaterThanOrEqual(90 * DAY_MS + HOUR_MS - 1000);
    expect(ms(verificationOpensAt) - ms(actionSubmittedAt)).toBeLessThan(90 * DAY_MS + HOUR_MS + 1000);
  });

  test('Adelaide 2030-Q4 opens 1 October 00:00 ACST, due 31 October 00:00 ACDT (DST from 6 October)', async () => {
    const status = await cycleAt('2030-09-30T14:30:00.000Z', review('sys-adl', ADL), 'calendar-adelaide-q4');
    expect(status.dueAt).toBe('2030-10-30T13:30:00.000Z'); // not 14:30Z (01:00 local)
    expect(local(status.dueAt, ADL)).toBe('2030-10-31 00:00');
    expect(stepAt(status, 'remind-14d-before')).toBe('2030-10-16T13:30:00.000Z');
    expect(stepAt(status, 'escalate-manager')).toBe('2030-11-02T13:30:00.000Z');
    for (const step of status.ladder) expect(local(step.at, ADL).slice(11)).toBe('00:00');
  });

  test('Amsterdam 2030-Q4 opens 1 October 00:00 CEST, due 31 October 00:00 CET (DST ends 27 October); the ladder at local midnights', async () => {
    const taskId = taskWorkflowId('high-risk-review', 'sys-ams', '2030-Q4');
    const status = await cycleAt('2030-09-30T22:00:00.000Z', review('sys-ams', AMS), 'calendar-amsterdam-q4');
    expect(status.dueAt).toBe('2030-10-30T23:00:00.000Z'); // not 22:00Z (30 October 23:00 local)
    expect(local(status.dueAt, AMS)).toBe('2030-10-31 00:00');
    expect(stepAt(status, 'remind-14d-before')).toBe('2030-10-16T22:00:00.000Z'); // 17 October 00:00 CEST
    expect(stepAt(status, 'remind-3d-before')).toBe('2030-10-27T23:00:00.000Z'); // 28 October 00:00 CET
    expect(stepAt(status, 'remind-1d-before')).toBe('2030-10-29T23:00:00.000Z');
    expect(stepAt(status, 'escalate-manager')).toBe('2030-11-02T23:00:00.000Z');
    expect(stepAt(status, 'escalate-governance-lead')).toBe('2030-11-06T23:00:00.000Z');
    expect(stepAt(status, 'escalate-top-management')).toBe('2030-11-13T23:00:00.000Z');

    const adelaide = taskWorkflowId('high-risk-review', 'sys-adl', '2030-Q4');
    await expectSentOnTime(adelaide, 'remind-14d-before', '2030-10-16T13:30:00.000Z');
    await expectSentOnTime(taskId, 'remind-14d-before', '2030-10-16T22:00:00.000Z');
    await expectSentOnTime(taskId, 'remind-3d-before', '2030-10-27T23:00:00.000Z');
    await expectSentOnTime(adelaide, 'remind-due', '2030-10-30T13:30:00.000Z');
    await expectSentOnTime(taskId, 'remind-due', '2030-10-30T23:00:00.000Z');
    await expectSentOnTime(adelaide, 'escalate-manager', '2030-11-02T13:30:00.000Z');
    await expectSentOnTime(taskId, 'escalate-manager', '2030-11-02T23:00:00.000Z');
    await recordHistory(ctx.env.client.workflow.getHandle(taskId), 'governanceTask', 'calendar-amsterdam-q4');
  });

  test('the effectiveness check opened exactly when the corrective action said, 90 calendar days after the action', async () => {
    const checkId = correctiveStepTaskId(ncId, 'effectiveness-check', 1);
    const opened = ctx.ports.notificationsFor(checkId).find((n) => n.notificationKey === 'opened');
    expect(onTime(opened?.at, ms(verificationOpensAt))).toBe(true);
    const check = await ctx.env.client.workflow.getHandle<typeof governanceTask>(checkId).query(statusQuery);
    // Due 14 calendar days after it opened, at the same local time.
    expect(local(check.dueAt, AMS).slice(0, 10)).toBe('2030-11-13');
    expect(local(check.dueAt, AMS).slice(11)).toBe(local(actionSubmittedAt, AMS).slice(11));
    expect(local(stepAt(check, 'escalate-manager')!, AMS)).toBe(`2030-11-16 ${local(actionSubmittedAt, AMS).slice(11)}`);
    await recordHistory(ncHandle(), 'correctiveAction', 'calendar-amsterdam');
  });
});

describe('a 29 February go-live (Europe/Amsterdam; DST starts 28 March 2032 and 27 March 2033)', () => {
  const leap = {
    id: 'sys-leap',
    name: 'System sys-leap',
    riskTier: 'limited' as const,
    lifecycleStage: 'operation_and_monitoring' as const,
    goLiveDate: '2032-02-29',
    createdAt: new Date('2031-12-01T10:00:00Z'),
  };

  let goLiveTask: string;

  test('the go-live AIIA, opened 1 December 2031, is due 30 March 2032 00:00 CEST', async () => {
    await sleepUntil(ctx.env, ms('2031-12-01T10:00:00.000Z'));
    const { workflowId, input } = goLiveAiiaStart({ ...leap, ownerId: PEOPLE.owner.id }, new Date(await ctx.env.currentTimeMs()), AMS);
    goLiveTask = workflowId;
    expect(input.dueAt).toBe('2032-03-29T22:00:00.000Z'); // not 23:00Z, as 30 x 24 h gave
    expect(input.timeZone).toBe(AMS);
    const handle = await ctx.env.client.workflow.start(governanceTask, { workflowId, taskQueue: ctx.taskQueue, args: [input] });
    started.push(handle);
    const status = await handle.query(statusQuery);
    expect(stepAt(status, 'remind-14d-before')).toBe('2032-03-15T23:00:00.000Z'); // 16 March 00:00 CET
    expect(stepAt(status, 'remind-1d-before')).toBe('2032-03-28T22:00:00.000Z'); // 29 March 00:00 CEST
  });

  test('its yearly AIIA: the go-live day (29 February 2032) opens none next to the go-live AIIA; 28 February 2033 opens the first, due 30 days later at local midnight', async () => {
    const [aiia] = desiredCadences(leap, AMS).filter((c) => c.kind === 'aiia');
    const runs = nextRunTimes(aiia.calendar, new Date('2032-01-01T00:00:00Z'), 2).map((d) => d.toISOString());
    expect(runs).toEqual(['2032-02-28T23:00:00.000Z', '2033-02-27T23:00:00.000Z']); // 29 Feb 2032, 28 Feb 2033 00:00 CET
    // The Schedule starts the day after go-live: Temporal's first run is 28 February 2033.
    expect(aiia.startAt?.toISOString()).toBe('2032-02-29T23:00:00.000Z'); // 1 March 2032 00:00 CET
    expect(nextRunTimes(aiia.calendar, aiia.startAt!, 1).map((d) => d.toISOString())).toEqual([runs[1]]);
    const input: CadenceCycleInput = { cadenceId: aiia.id, kind: 'aiia', systemId: 'sys-leap', timeZone: AMS };
    await sleepUntil(ctx.env, ms(runs[0]));
    const goLiveDay = await ctx.env.client.workflow.start(cadenceCycle, {
      workflowId: `${input.cadenceId}-${runs[0]}`,
      taskQueue: ctx.taskQueue,
      args: [input],
    });
    expect(await goLiveDay.result()).toEqual({ outcome: 'not-due', firstRunAt: runs[1] });

    // Meanwhile the go-live AIIA reminds on local midnights across the spring change.
    await expectSentOnTime(goLiveTask, 'remind-14d-before', '2032-03-15T23:00:00.000Z');
    await expectSentOnTime(goLiveTask, 'remind-1d-before', '2032-03-28T22:00:00.000Z');

    const y2033 = await cycleAt(runs[1], input, 'calendar-leap-day-first-anniversary');
    expect(y2033.period).toBe('2033');
    expectAt(y2033.dueAt, '2033-03-29T22:00:00.000Z'); // 30 March 2033 00:00 CEST
    expect(local(y2033.dueAt, AMS)).toBe('2033-03-30 00:00');
  });
});

describe('an incident in Europe/Amsterdam (DST ends 30 October 2033)', () => {
  test('the 72-hour draft counts exact hours; the final report is due 30 calendar days after detection, its ladder in calendar days', async () => {
    const detectedAt = '2033-10-10T10:00:00.000Z'; // 12:00 CEST
    await sleepUntil(ctx.env, ms(detectedAt));
    const incidentId = 'inc-calendar-ams';
    const plan = planIncidentReports(incidentId, new Date(detectedAt), [], undefined, AMS);
    if ('problems' in plan) throw new Error('no regimes, no problems');
    const draft = plan.reports.find((r) => r.key === 'draft')!;
    const final = plan.reports.find((r) => r.key === 'final')!;
    expect(draft.dueAt).toBe('2033-10-13T10:00:00.000Z'); // 72 h
    expect(final.dueAt).toBe('2033-11-09T11:00:00.000Z'); // 9 November 12:00 CET, not 10:00Z (11:00 local)
    const input: IncidentInput = {
      incidentId,
      system: { id: 'sys-ams', name: 'System sys-ams' },
      title: 'Calendar incident',
      description: "A model answered with another customer's data.",
      severity: 'high',
      detectedAt,
      responderId: PEOPLE.owner.id,
      openedBy: PEOPLE.lead.id,
      regimes: plan.regimes,
      reports: plan.reports,
      timeZone: AMS,
    };
    const handle = await ctx.env.client.workflow.start(incident, {
      workflowId: incidentWorkflowId(incidentId),
      taskQueue: ctx.taskQueue,
      args: [input],
    });
    started.push(handle);
    const draftId = incidentReportTaskId(incidentId, 'draft');
    const finalId = incidentReportTaskId(incidentId, 'final');
    const draftTask = await eventually(
      () =>
        ctx.env.client.workflow
          .getHandle<typeof governanceTask>(draftId)
          .query(statusQuery)
          .catch(() => undefined),
      (t) => t?.state === 'open',
    );
    // Hour steps stay exact hours: 48 h before the 72-hour deadline.
    expect(stepAt(draftTask!, 'remind-24h')).toBe('2033-10-11T10:00:00.000Z');
    await ctx.env.client.workflow
      .getHandle<typeof governanceTask>(draftId)
      .executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Draft filed' }] });
    const finalTask = await eventually(
      () =>
        ctx.env.client.workflow
          .getHandle<typeof governanceTask>(finalId)
          .query(statusQuery)
          .catch(() => undefined),
      (t) => t?.state === 'open',
    );
    expect(finalTask!.dueAt).toBe('2033-11-09T11:00:00.000Z');
    expect(stepAt(finalTask!, 'remind-14d-before')).toBe('2033-10-26T10:00:00.000Z'); // 26 October 12:00 CEST
    expect(stepAt(finalTask!, 'remind-3d-before')).toBe('2033-11-06T11:00:00.000Z'); // 6 November 12:00 CET
    await expectSentOnTime(finalId, 'remind-14d-before', '2033-10-26T10:00:00.000Z');
    await expectSentOnTime(finalId, 'remind-3d-before', '2033-11-06T11:00:00.000Z');
    expect((await handle.query(incidentStatusQuery)).reports.find((r) => r.key === 'final')?.dueAt).toBe('2033-11-09T11:00:00.000Z');
    await recordHistory(handle, 'incident', 'calendar-amsterdam');
  });
});
