/**
 * Cadences from the system's real state (issue 8, item 3) under the time-skipping server:
 * a high-risk system registered mid-quarter gets that quarter's review at once, due 30
 * calendar days after its opening (the Schedule's run of the quarter then finds it already
 * open); a yearly AIIA run opens nothing before the first anniversary of go-live, and opens the
 * AIIA on it; a system registered already live gets an initial AIIA due 30 days after
 * registration; a significant change's AIIA is due 30 calendar days after the change. The
 * tasks the API opens are started with the very inputs the API builds (libs/contracts), at the
 * instant the API would; every expected instant is written out by hand, in workflow time,
 * across DST in Europe/Amsterdam (28 March and 31 October 2027) and Australia/Sydney (4 April 2027).
 */
import { Client, WorkflowHandle } from '@temporalio/client';
import {
  CadenceCycleInput,
  CadenceCycleResult,
  cycleTaskStart,
  GovernanceTaskInput,
  initialAiiaStart,
  significantChangeAiiaStart,
  statusQuery,
  TaskStatus,
} from '../../libs/contracts';
import { zonedParts } from '../../libs/domain';
import { cadenceCycle, governanceTask } from '../../workflows';
import { recordHistory } from '../support/histories';
import { eventually, onTime, PEOPLE, sleepUntil, startWorkflowTestContext, WorkflowTestContext } from './fixtures';

jest.setTimeout(120_000);

const AMS = 'Europe/Amsterdam';
const SYD = 'Australia/Sydney';

let ctx: WorkflowTestContext;
const started: WorkflowHandle[] = [];
const ms = (iso: string) => Date.parse(iso);

const ref = (id: string) => ({ id, name: `System ${id}`, ownerId: PEOPLE.owner.id });

beforeAll(async () => {
  ctx = await startWorkflowTestContext('cadence-state');
  const now = await ctx.env.currentTimeMs();
  if (now > ms('2027-03-01T00:00:00Z')) throw new Error('these tests are written for workflow time before March 2027');
  const registeredAt = '2027-03-01T09:00:00.000Z';
  ctx.ports.addSystem({ ...ref('sys-mid'), riskTier: 'high', lifecycleStage: 'operation_and_monitoring', registeredAt });
  ctx.ports.addSystem({
    ...ref('sys-golive'),
    riskTier: 'limited',
    lifecycleStage: 'verification_and_validation',
    goLiveDate: '2027-06-15',
    registeredAt,
  });
  ctx.ports.addSystem({ ...ref('sys-early'), riskTier: 'limited', lifecycleStage: 'inception', goLiveDate: null, registeredAt });
  ctx.ports.addSystem({ ...ref('sys-live'), riskTier: 'minimal', lifecycleStage: 'operation_and_monitoring', registeredAt });
});

afterAll(async () => {
  for (const h of started) await h.terminate('test done').catch(() => undefined);
  await ctx?.stop();
});

function local(iso: string, tz: string): string {
  const p = zonedParts(new Date(iso), tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

const stepAt = (status: TaskStatus, key: string) => status.ladder.find((s) => s.key === key)?.at;

/** Starts a task as the API does (its id, its input), at the current workflow time. */
async function openTask(workflowId: string, input: GovernanceTaskInput): Promise<TaskStatus> {
  const handle = await ctx.env.client.workflow.start(governanceTask, { workflowId, taskQueue: ctx.taskQueue, args: [input] });
  started.push(handle);
  return handle.query(statusQuery);
}

/**
 * Runs a cycle now (as its Schedule or a trigger would) and reads its result without letting
 * time skip: the test environment's `result()` lets the server jump to the next timer of any
 * workflow (the open tasks' ladders, years ahead), and these runs must happen, and the tests
 * after them start, at the instants the test chose.
 */
async function runCycle(workflowId: string, input: CadenceCycleInput): Promise<{ handle: WorkflowHandle; result: CadenceCycleResult }> {
  const handle = await ctx.env.client.workflow.start(cadenceCycle, { workflowId, taskQueue: ctx.taskQueue, args: [input] });
  const before = await ctx.env.currentTimeMs();
  const done = await eventually(
    async () => (await handle.describe()).status.name,
    (status) => status !== 'RUNNING',
  );
  expect(done).toBe('COMPLETED');
  expect((await ctx.env.currentTimeMs()) - before).toBeLessThan(60_000);
  // A plain client's result() does not unlock time skipping.
  const plain = new Client({ connection: ctx.env.connection, namespace: ctx.env.namespace ?? 'default' });
  return { handle, result: await plain.workflow.getHandle<typeof cadenceCycle>(workflowId).result() };
}

/** When the task sent a ladder notification (workflow time), after sleeping past it. */
async function expectSentAt(taskId: string, key: string, expectedIso: string): Promise<void> {
  await sleepUntil(ctx.env, ms(expectedIso) + 10 * 60_000);
  const log = await eventually(
    async () => ctx.ports.notificationsFor(taskId),
    (l) => l.some((n) => n.notificationKey === key),
  );
  const at = log.find((n) => n.notificationKey === key)?.at;
  expect({ key, on: onTime(at, ms(expectedIso)), at }).toEqual({ key, on: true, at: expect.any(String) });
}

const aiiaCycle = (systemId: string): CadenceCycleInput => ({ cadenceId: `aiia:${systemId}`, kind: 'aiia', systemId, timeZone: AMS });

describe('a high-risk system registered mid-quarter (Europe/Amsterdam, summer time from 28 March 2027)', () => {
  const registered = '2027-03-10T09:15:00.000Z'; // 10:15 CET
  const cadenceId = 'high-risk-review:sys-mid';
  let taskId: string;

  test("gets the quarter's review at once, due 30 calendar days after its opening at the same local time", async () => {
    await sleepUntil(ctx.env, ms(registered));
    const start = cycleTaskStart('high-risk-review', ref('sys-mid'), new Date(registered), { cadenceId, timeZone: AMS });
    taskId = start.workflowId;
    expect(start).toMatchObject({ workflowId: 'high-risk-review:sys-mid:2027-Q1', period: '2027-Q1' });
    const status = await openTask(start.workflowId, start.input);
    expect(status).toMatchObject({ taskId, period: '2027-Q1', cadenceId, state: 'open' });
    // 9 April 10:15 CEST: 30 calendar days, one hour less than 30 x 24 h over the spring change.
    expect(status.dueAt).toBe('2027-04-09T08:15:00.000Z');
    expect(local(status.dueAt, AMS)).toBe('2027-04-09 10:15');
    expect(stepAt(status, 'remind-14d-before')).toBe('2027-03-26T09:15:00.000Z'); // 26 March 10:15 CET
    expect(stepAt(status, 'remind-3d-before')).toBe('2027-04-06T08:15:00.000Z'); // 6 April 10:15 CEST
    expect(stepAt(status, 'escalate-manager')).toBe('2027-04-12T08:15:00.000Z');
  });

  test("the Schedule's run (or a trigger) in the same quarter finds it already open", async () => {
    const { handle, result } = await runCycle(`${cadenceId}-trigger`, {
      cadenceId,
      kind: 'high-risk-review',
      systemId: 'sys-mid',
      timeZone: AMS,
    });
    expect(result).toEqual({ outcome: 'already-open', taskId, period: '2027-Q1' });
    await recordHistory(handle, 'cadenceCycle', 'mid-quarter-already-open');
  });

  test('its reminders go out on those instants', async () => {
    await expectSentAt(taskId, 'remind-14d-before', '2027-03-26T09:15:00.000Z');
    await expectSentAt(taskId, 'remind-3d-before', '2027-04-06T08:15:00.000Z');
  });
});

describe('the yearly AIIA of a system going live on 15 June 2027 (Europe/Amsterdam)', () => {
  test('a run before go-live opens nothing', async () => {
    await sleepUntil(ctx.env, ms('2027-05-01T08:00:00.000Z'));
    const { handle, result } = await runCycle('aiia:sys-golive-before', aiiaCycle('sys-golive'));
    expect(result).toEqual({ outcome: 'not-due', firstRunAt: '2028-06-14T22:00:00.000Z' }); // 15 June 2028 00:00 CEST
    await recordHistory(handle, 'cadenceCycle', 'yearly-aiia-before-go-live');
  });

  test('a run on the go-live day (next to the go-live AIIA) opens nothing either', async () => {
    await sleepUntil(ctx.env, ms('2027-06-14T22:00:00.000Z'));
    const { result } = await runCycle('aiia:sys-golive-2027', aiiaCycle('sys-golive'));
    expect(result).toEqual({ outcome: 'not-due', firstRunAt: '2028-06-14T22:00:00.000Z' });
    expect(ctx.ports.notificationsFor('aiia:sys-golive:2027')).toEqual([]);
  });

  test('a system not yet live with no go-live date owes no yearly AIIA', async () => {
    const { result } = await runCycle('aiia:sys-early-2027', aiiaCycle('sys-early'));
    expect(result).toEqual({ outcome: 'not-due' });
  });
});

describe('a system registered already live, with no go-live date and no AIIA (Australia/Sydney, DST from 3 October 2027)', () => {
  test('gets an initial AIIA due 30 calendar days after registration, at the same local time', async () => {
    // Registered 20 September 2027 12:00 AEST.
    const registeredAt = new Date('2027-09-20T02:00:00.000Z');
    await sleepUntil(ctx.env, registeredAt.getTime());
    const now = new Date(await ctx.env.currentTimeMs());
    const { workflowId, input } = initialAiiaStart({ ...ref('sys-live'), registeredAt }, registeredAt, SYD);
    expect(workflowId).toBe('aiia:sys-live:initial');
    expect(input).toMatchObject({ kind: 'aiia', period: 'initial', title: 'Initial AI impact assessment: System sys-live', timeZone: SYD });
    // 20 October 12:00 AEDT: 30 x 24 h - 1 h after registration.
    expect(input.dueAt).toBe('2027-10-20T01:00:00.000Z');
    expect(local(input.dueAt, SYD)).toBe('2027-10-20 12:00');
    // Found only later (a start-up catch-up after the due date): 30 days from then.
    expect(initialAiiaStart({ ...ref('sys-live'), registeredAt }, new Date('2027-11-01T01:00:00.000Z'), SYD).input.dueAt).toBe(
      '2027-12-01T01:00:00.000Z',
    );
    const status = await openTask(workflowId, input);
    expect(ms(status.openedAt)).toBeGreaterThanOrEqual(now.getTime());
    expect(status.dueAt).toBe('2027-10-20T01:00:00.000Z');
    expect(stepAt(status, 'remind-14d-before')).toBe('2027-10-06T01:00:00.000Z'); // 6 October 12:00 AEDT
    expect(stepAt(status, 'remind-3d-before')).toBe('2027-10-17T01:00:00.000Z');
    await expectSentAt(workflowId, 'remind-14d-before', '2027-10-06T01:00:00.000Z');
  });
});

describe('the same system a year after go-live', () => {
  test('the first anniversary, 15 June 2028 00:00 CEST, opens the 2028 AIIA, due 15 July 2028 00:00 CEST, however late the jitter ran it', async () => {
    // The Schedule's jitter (AIMS_SCHEDULE_JITTER_MINUTES) started the run 12 minutes after local midnight.
    await sleepUntil(ctx.env, ms('2028-06-14T22:12:00.000Z'));
    const { handle, result } = await runCycle('aiia:sys-golive-2028', aiiaCycle('sys-golive'));
    expect(result).toEqual({ outcome: 'opened', taskId: 'aiia:sys-golive:2028', period: '2028' });
    const task = ctx.env.client.workflow.getHandle(result.taskId!);
    started.push(task);
    const status = await task.query(statusQuery);
    expect(status.period).toBe('2028');
    // Due 30 calendar days after the anniversary day opened, at local midnight: the jitter moved nothing.
    expect(status.dueAt).toBe('2028-07-14T22:00:00.000Z');
    expect(local(status.dueAt, AMS)).toBe('2028-07-15 00:00');
    await recordHistory(handle, 'cadenceCycle', 'yearly-aiia-first-anniversary');
  });
});

describe('a significant change (Europe/Amsterdam, winter time from 29 October 2028)', () => {
  test('opens an AIIA at once, due 30 calendar days later; each change its own', async () => {
    // 20 October 2028 10:00 CEST; summer time ends 29 October 2028.
    const at = '2028-10-20T08:00:00.000Z';
    await sleepUntil(ctx.env, ms(at));
    const first = significantChangeAiiaStart(ref('sys-mid'), 1, new Date(at), AMS);
    expect(first.workflowId).toBe('aiia:sys-mid:significant-change-1');
    expect(first.input).toMatchObject({
      period: 'significant-change',
      title: 'AI impact assessment after a significant change: System sys-mid',
      approverRoles: ['governance_lead'],
    });
    const status = await openTask(first.workflowId, first.input);
    // 19 November 10:00 CET: 30 x 24 h + 1 h.
    expect(status.dueAt).toBe('2028-11-19T09:00:00.000Z');
    expect(local(status.dueAt, AMS)).toBe('2028-11-19 10:00');
    expect(stepAt(status, 'remind-14d-before')).toBe('2028-11-05T09:00:00.000Z'); // 5 November 10:00 CET
    const second = significantChangeAiiaStart(ref('sys-mid'), 2, new Date(at), AMS);
    expect(second.workflowId).toBe('aiia:sys-mid:significant-change-2');
    await expectSentAt(first.workflowId, 'remind-14d-before', '2028-11-05T09:00:00.000Z');
  });
});
