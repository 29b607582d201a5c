/**
 * cadenceCycle (what a Temporal Schedule starts each period) and prohibitedSystemAlert,
 * under the time-skipping server with in-memory ports.
 */
import { WorkflowHandle } from '@temporalio/client';
import { CadenceCycleInput, statusQuery, taskWorkflowId } from '../../libs/contracts';
import { cyclePeriod, DAY_MS, quarterOf, yearOf } from '../../libs/domain';
import { cadenceCycle, prohibitedSystemAlert } from '../../workflows';
import { recordHistory } from '../support/histories';
import { PEOPLE, startWorkflowTestContext, WorkflowTestContext } from './fixtures';

jest.setTimeout(120_000);

let ctx: WorkflowTestContext;
const opened: WorkflowHandle[] = [];

beforeAll(async () => {
  ctx = await startWorkflowTestContext('cadence-cycle');
  ctx.ports.addSystem({
    id: 'sys-high',
    name: 'Credit scoring',
    ownerId: PEOPLE.owner.id,
    riskTier: 'high',
    lifecycleStage: 'operation_and_monitoring',
  });
  ctx.ports.addSystem({
    id: 'sys-limited',
    name: 'Chat assistant',
    ownerId: PEOPLE.peer.id,
    riskTier: 'limited',
    lifecycleStage: 'deployment',
    // Live for years: its yearly AIIA is due (a run before the first anniversary opens nothing, test/workflows/cadence-state).
    goLiveDate: '2024-05-01',
  });
  ctx.ports.addSystem({ id: 'sys-retired', name: 'Old model', ownerId: PEOPLE.owner.id, riskTier: 'high', lifecycleStage: 'retirement' });
  ctx.ports.addSystem({
    id: 'sys-banned',
    name: 'Social scoring',
    ownerId: PEOPLE.owner.id,
    riskTier: 'unacceptable',
    lifecycleStage: 'deployment',
  });
});

afterAll(async () => {
  for (const h of opened) await h.terminate('test done').catch(() => undefined);
  await ctx?.stop();
});

function run(workflowId: string, input: CadenceCycleInput) {
  return ctx.env.client.workflow.start(cadenceCycle, { workflowId, taskQueue: ctx.taskQueue, args: [input] });
}

test('(e) a quarterly cycle opens the high-risk review of its quarter; a second run of the period is already-open', async () => {
  const now = new Date(await ctx.env.currentTimeMs());
  const period = quarterOf(now, 'UTC');
  const input: CadenceCycleInput = {
    cadenceId: 'high-risk-review:sys-high',
    kind: 'high-risk-review',
    systemId: 'sys-high',
    timeZone: 'UTC',
  };

  const first = await run('cycle-high-1', input);
  const result = await first.result();
  const after = new Date(await ctx.env.currentTimeMs());
  const taskId = `high-risk-review:sys-high:${period.key}`;
  expect(period.key).toMatch(/^\d{4}-Q[1-4]$/);
  expect(result).toEqual({ outcome: 'opened', taskId, period: period.key });
  expect(taskWorkflowId('high-risk-review', 'sys-high', period.key)).toBe(taskId);

  // The review runs on its own (abandoned by the cycle), due by the rule of cyclePeriod for
  // the moment the cycle ran (30 days after the quarter opened, or after a late opening).
  const task = ctx.env.client.workflow.getHandle(taskId);
  opened.push(task);
  const status = await task.query(statusQuery);
  expect(status).toMatchObject({
    taskId,
    kind: 'high-risk-review',
    ownerId: PEOPLE.owner.id,
    cadenceId: 'high-risk-review:sys-high',
    period: period.key,
    subject: { type: 'ai-system', id: 'sys-high', name: 'Credit scoring' },
  });
  const due = Date.parse(status.dueAt);
  expect(due).toBeGreaterThanOrEqual(cyclePeriod('high-risk-review', now, 'UTC').dueAt.getTime());
  expect(due).toBeLessThanOrEqual(cyclePeriod('high-risk-review', after, 'UTC').dueAt.getTime());
  expect(['open', 'submitted']).toContain(status.state);
  expect((await task.describe()).status.name).toBe('RUNNING');

  const second = await run('cycle-high-2', input);
  expect(await second.result()).toEqual({ outcome: 'already-open', taskId, period: period.key });
  await recordHistory(first, 'cadenceCycle', 'opened');
  await recordHistory(second, 'cadenceCycle', 'already-open');
});

test('(e) systems out of scope get nothing: limited tier for a quarterly review, retired, prohibited, unknown', async () => {
  const cases: Array<[string, CadenceCycleInput]> = [
    ['limited', { cadenceId: 'high-risk-review:sys-limited', kind: 'high-risk-review', systemId: 'sys-limited', timeZone: 'UTC' }],
    ['retired', { cadenceId: 'aiia:sys-retired', kind: 'aiia', systemId: 'sys-retired', timeZone: 'UTC' }],
    ['prohibited', { cadenceId: 'aiia:sys-banned', kind: 'aiia', systemId: 'sys-banned', timeZone: 'UTC' }],
    ['unknown', { cadenceId: 'aiia:sys-gone', kind: 'aiia', systemId: 'sys-gone', timeZone: 'UTC' }],
  ];
  for (const [name, input] of cases) {
    const handle = await run(`cycle-out-${name}`, input);
    expect({ name, result: await handle.result() }).toEqual({ name, result: { outcome: 'out-of-scope' } });
    if (name === 'limited') await recordHistory(handle, 'cadenceCycle', 'out-of-scope');
  }
});

test('a yearly AIIA cycle opens the AIIA of the year, due 30 calendar days after the day of the run, at local midnight', async () => {
  const now = await ctx.env.currentTimeMs();
  const handle = await run('cycle-aiia-1', {
    cadenceId: 'aiia:sys-limited',
    kind: 'aiia',
    systemId: 'sys-limited',
    timeZone: 'Europe/Berlin',
  });
  const result = await handle.result();
  const year = yearOf(new Date(now), 'Europe/Berlin').key;
  expect(result).toEqual({ outcome: 'opened', taskId: `aiia:sys-limited:${year}`, period: year });
  const task = ctx.env.client.workflow.getHandle(result.taskId!);
  opened.push(task);
  const status = await task.query(statusQuery);
  expect(status).toMatchObject({ kind: 'aiia', ownerId: PEOPLE.peer.id, period: year });
  const after = await ctx.env.currentTimeMs();
  // The run's day in Berlin opened it (the Schedule fires at local midnight, the jitter a little later).
  const dues = [now, after].map((t) => cyclePeriod('aiia', new Date(t), 'Europe/Berlin', 'calendar', true).dueAt.toISOString());
  expect(dues).toContain(status.dueAt);
  expect(Date.parse(status.dueAt) - now).toBeLessThanOrEqual(30 * DAY_MS + 3_600_000);
  await recordHistory(handle, 'cadenceCycle', 'aiia-opened');
});

test('a prohibited system alerts the governance lead at once, exactly once', async () => {
  const input = { systemId: 'sys-banned', systemName: 'Social scoring', actorId: PEOPLE.admin.id };
  const handle = await ctx.env.client.workflow.start(prohibitedSystemAlert, {
    workflowId: 'prohibited-system-alert:sys-banned',
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  const result = await handle.result();
  expect(result).toEqual({
    recipients: [{ personId: PEOPLE.lead.id, email: PEOPLE.lead.email, level: 'governance_lead' }],
    unfilledLevels: [],
  });
  const notes = ctx.ports.notificationsFor('prohibited-system-alert:sys-banned');
  expect(notes).toHaveLength(1);
  expect(notes[0]).toMatchObject({
    kind: 'prohibited-system',
    notificationKey: 'alert',
    levels: ['governance_lead'],
    ownerId: PEOPLE.admin.id,
  });
  const mail = ctx.ports.delivered.filter((m) => m.idempotencyKey.startsWith('prohibited-system-alert:sys-banned/'));
  expect(mail.map((m) => [m.to, m.subject])).toEqual([[PEOPLE.lead.email, 'Prohibited AI system registered: Social scoring']]);
  expect(mail[0].text).toContain('Ada Admin');
  await recordHistory(handle, 'prohibitedSystemAlert', 'governance-lead');
});

test('read your writes: a cycle returns once its task has recorded its opening, so whoever waits for the run can act on the task at once', async () => {
  ctx.ports.addSystem({
    id: 'sys-readable',
    name: 'Fraud model',
    ownerId: PEOPLE.owner.id,
    riskTier: 'high',
    lifecycleStage: 'deployment',
    // Live for years: its yearly AIIA is due.
    goLiveDate: '2024-05-01',
  });
  const input: CadenceCycleInput = { cadenceId: 'aiia:sys-readable', kind: 'aiia', systemId: 'sys-readable', timeZone: 'UTC' };
  const handle = await run('cycle-readable-1', input);
  const result = await handle.result();
  expect(result).toMatchObject({ outcome: 'opened', taskId: expect.stringMatching(/^aiia:sys-readable:/) });
  // Recorded before the answer: the read model has the task, open (GET /tasks/:id answers at once).
  expect(ctx.ports.transitionsFor(result.taskId!).map((t) => t.event)).toEqual(['opened']);
  expect(ctx.ports.tasks.get(result.taskId!)).toMatchObject({ state: 'open', ownerId: PEOPLE.owner.id });
  const task = ctx.env.client.workflow.getHandle(result.taskId!);
  opened.push(task);
  // The task told its cycle only its opening: later changes are for nobody.
  await recordHistory(handle, 'cadenceCycle', 'opened-after-task-recorded');
});
