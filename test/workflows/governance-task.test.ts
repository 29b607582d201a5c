/**
 * governanceTask under the time-skipping server: a quarter or a year in seconds, asserting
 * WHEN each reminder and escalation happened (workflow time) and who received it.
 */
import { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  approveUpdate,
  CancelArgs,
  cancelUpdate,
  extendDueUpdate,
  goLiveAiiaStart,
  highRiskReviewInput,
  reassignUpdate,
  REFUSAL,
  rejectUpdate,
  statusQuery,
  submitUpdate,
  taskWorkflowId,
  TaskStatus,
} from '../../libs/contracts';
import { DAY_MS, HOUR_MS, isoDateIn, MINUTE_MS, zonedTimeToInstant } from '../../libs/domain';
import { governanceTask } from '../../workflows';
import { validAnswers } from '../support/form-answers';
import { recordHistory } from '../support/histories';
import {
  actor,
  eventually,
  iso,
  onTime,
  PEOPLE,
  refusalOf,
  sleepUntil as sleepUntilIn,
  startWorkflowTestContext,
  WorkflowTestContext,
} from './fixtures';

jest.setTimeout(120_000);

let ctx: WorkflowTestContext;

beforeAll(async () => {
  ctx = await startWorkflowTestContext('governance-task');
});

afterAll(async () => {
  await ctx?.stop();
});

const system = { id: 'sys-credit', name: 'Credit scoring model', ownerId: PEOPLE.owner.id };

async function start(
  workflowId: string,
  input: Parameters<typeof governanceTask>[0],
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof governanceTask>> {
  return ctx.env.client.workflow.start(governanceTask, { workflowId, taskQueue: ctx.taskQueue, args: [input] });
}

/** Notifications of a task as [key, workflow time, recipient ids]. */
function sent(taskId: string) {
  return ctx.ports.notificationsFor(taskId).map((n) => ({
    key: n.notificationKey,
    kind: n.kind,
    at: n.at,
    to: n.recipients.map((r) => r.personId),
  }));
}

/**
 * The notifications of a task as { key, kind, to, at }, where `at` reads 'on time' when the
 * workflow time of the notification is the expected one (see TIMER_SLACK_MS), else the time.
 */
function timeline(taskId: string, expectedAt: Record<string, number>) {
  // The opening is sent after its transition is recorded: allow it a minute from the start.
  const slack = (key: string) => (key === 'opened' ? MINUTE_MS : undefined);
  return sent(taskId).map((n) => ({ ...n, at: n.key in expectedAt && onTime(n.at, expectedAt[n.key], slack(n.key)) ? 'on time' : n.at }));
}

/** Advance workflow time to `ms` (absolute), letting timers and activities run. */
const sleepUntil = (ms: number): Promise<void> => sleepUntilIn(ctx.env, ms);

async function terminate(handle: WorkflowHandle): Promise<void> {
  await handle.terminate('test done').catch(() => undefined);
}

test('(a) a high-risk review walked through its quarter: reminders, escalations, refusal, rework, approval', async () => {
  const t0 = await ctx.env.currentTimeMs();
  // The quarter opens now (workflow time); the review is due 30 days later.
  const dueMs = t0 + 30 * DAY_MS;
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'walkthrough');
  const handle = await start(
    workflowId,
    highRiskReviewInput(system, new Date(dueMs), { cadenceId: 'high-risk-review:sys-credit', period: 'walkthrough' }),
  );

  // Walk the whole ladder without anybody submitting: 45 days of workflow time.
  await sleepUntil(t0 + 45 * DAY_MS);

  const at: Record<string, number> = {
    opened: t0,
    'remind-14d-before': dueMs - 14 * DAY_MS,
    'remind-3d-before': dueMs - 3 * DAY_MS,
    'remind-1d-before': dueMs - 1 * DAY_MS,
    'remind-due': dueMs,
    'escalate-manager': dueMs + 3 * DAY_MS,
    'escalate-governance-lead': dueMs + 7 * DAY_MS,
    'escalate-top-management': dueMs + 14 * DAY_MS,
  };
  const owner = [PEOPLE.owner.id];
  expect(timeline(workflowId, at)).toEqual([
    { key: 'opened', kind: 'opened', at: 'on time', to: owner },
    { key: 'remind-14d-before', kind: 'remind', at: 'on time', to: owner },
    { key: 'remind-3d-before', kind: 'remind', at: 'on time', to: owner },
    { key: 'remind-1d-before', kind: 'remind', at: 'on time', to: owner },
    { key: 'remind-due', kind: 'remind', at: 'on time', to: owner },
    { key: 'escalate-manager', kind: 'escalate', at: 'on time', to: [PEOPLE.manager.id] },
    { key: 'escalate-governance-lead', kind: 'escalate', at: 'on time', to: [PEOPLE.lead.id] },
    { key: 'escalate-top-management', kind: 'escalate', at: 'on time', to: [PEOPLE.ceo.id] },
  ]);

  let status = await handle.query(statusQuery);
  expect(status).toMatchObject({ state: 'open', overdue: true, escalationLevel: 3, dueAt: iso(dueMs) });
  expect(status.nextStep).toBeUndefined();
  expect(status.ladder.map((v) => [v.key, v.status, v.at, onTime(v.handledAt, at[v.key])])).toEqual(
    Object.keys(at)
      .slice(1)
      .map((key) => [key, 'done', iso(at[key]), true]),
  );
  const escalated = ctx.ports.transitionsFor(workflowId).filter((t) => t.event === 'escalated');
  expect(
    escalated.map((t) => [t.detail?.step, t.detail?.levels, (t.detail?.recipients as { personId: string }[]).map((r) => r.personId)]),
  ).toEqual([
    ['escalate-manager', ['manager'], [PEOPLE.manager.id]],
    ['escalate-governance-lead', ['governance_lead'], [PEOPLE.lead.id]],
    ['escalate-top-management', ['top_management'], [PEOPLE.ceo.id]],
  ]);

  // The owner submits; the owner approving their own work is refused, and the workflow runs on.
  status = await handle.executeUpdate(submitUpdate, {
    args: [{ by: actor(PEOPLE.owner), summary: 'Q review: thresholds met', evidenceUrls: ['https://wiki/q-review'] }],
  });
  expect(status).toMatchObject({ state: 'submitted', submittedBy: PEOPLE.owner.id, submissions: 1 });
  const selfApproval = await refusalOf(
    handle.executeUpdate(approveUpdate, { args: [{ by: { personId: PEOPLE.owner.id, role: 'governance_lead' } }] }),
  );
  expect(selfApproval.type).toBe(REFUSAL.notPermitted);
  expect(selfApproval.message).toMatch(/segregation of duties: the approver is never the submitter/);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  expect((await handle.query(statusQuery)).state).toBe('submitted');

  // The governance lead rejects: back to open for rework, the owner is told why.
  status = await handle.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.lead), reason: 'No drift analysis attached' }] });
  expect(status).toMatchObject({
    state: 'open',
    rejections: 1,
    lastRejection: { by: PEOPLE.lead.id, reason: 'No drift analysis attached' },
  });
  expect(sent(workflowId).find((n) => n.key === 'rejected#1')).toMatchObject({ kind: 'rejected', to: [PEOPLE.owner.id] });

  // Rework a day later, resubmission, approval by the governance lead.
  await ctx.env.sleep(DAY_MS);
  status = await handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Q review with drift analysis' }] });
  expect(status).toMatchObject({ state: 'submitted', submissions: 2, rejections: 1 });
  const approvedAt = await ctx.env.currentTimeMs();
  status = await handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead), comment: 'Complete' }] });
  expect(status).toMatchObject({ state: 'approved', approvedBy: PEOPLE.lead.id });

  const result: TaskStatus = await handle.result();
  expect(result).toMatchObject({
    taskId: workflowId,
    kind: 'high-risk-review',
    state: 'approved',
    approvedBy: PEOPLE.lead.id,
    submittedBy: PEOPLE.owner.id,
    summary: 'Q review with drift analysis',
    submissions: 2,
    rejections: 1,
    escalationLevel: 3,
    overdue: false,
  });
  expect(Date.parse(result.approvedAt!)).toBeGreaterThanOrEqual(approvedAt);
  expect(sent(workflowId).at(-1)).toMatchObject({ key: 'approved', kind: 'approved', to: [PEOPLE.owner.id] });
  // Every transition was recorded, versions strictly increasing, and the read model holds the last.
  const versions = ctx.ports.transitionsFor(workflowId).map((t) => t.status.version);
  expect(new Set(versions).size).toBe(versions.length);
  expect(ctx.ports.tasks.get(workflowId)).toMatchObject({ state: 'approved', version: Math.max(...versions) });
  expect(ctx.ports.transitionsFor(workflowId).map((t) => t.event)).toEqual([
    'opened',
    'reminded',
    'reminded',
    'reminded',
    'reminded',
    'escalated',
    'escalated',
    'escalated',
    'submitted',
    'rejected',
    'submitted',
    'approved',
  ]);
  await recordHistory(handle, 'governanceTask', 'quarter-walkthrough');
});

test('(b) the go-live AIIA is due 30 days after go-live and its due reminder fires then', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const timeZone = 'Europe/Berlin';
  const goLiveDate = isoDateIn(new Date(t0 + 10 * DAY_MS), timeZone);
  const [y, m, d] = goLiveDate.split('-').map(Number);
  const goLive = zonedTimeToInstant(y, m, d, 0, 0, timeZone).getTime();
  const { workflowId, input } = goLiveAiiaStart(
    { id: 'sys-chatbot', name: 'Support chatbot', ownerId: PEOPLE.owner.id, goLiveDate },
    new Date(t0),
    timeZone,
  );
  expect(workflowId).toBe('aiia:sys-chatbot:go-live');
  const handle = await start(workflowId, input);

  const dueMs = goLive + 30 * DAY_MS;
  expect((await handle.query(statusQuery)).dueAt).toBe(iso(dueMs));
  await sleepUntil(dueMs + HOUR_MS);

  const due = timeline(workflowId, { 'remind-due': dueMs }).find((n) => n.key === 'remind-due');
  expect(due).toEqual({ key: 'remind-due', kind: 'remind', at: 'on time', to: [PEOPLE.owner.id] });
  const status = await handle.query(statusQuery);
  expect(status).toMatchObject({
    kind: 'aiia',
    period: 'go-live',
    overdue: true,
    nextStep: { key: 'escalate-manager', at: iso(dueMs + 3 * DAY_MS) },
  });
  // The AIIA is approved by the governance lead only.
  await handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'AIIA done' }] });
  expect((await refusalOf(handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.ceo) }] }))).type).toBe(REFUSAL.notPermitted);
  await handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead) }] });
  expect((await handle.result()).state).toBe('approved');
  await recordHistory(handle, 'governanceTask', 'go-live-aiia');
});

test('(c) validators refuse bad calls with the right type and leave the workflow untouched', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'validators');
  const handle = await start(workflowId, highRiskReviewInput(system, new Date(t0 + 30 * DAY_MS), { period: 'validators' }));
  const before = await handle.query(statusQuery);

  const cases: Array<[string, () => Promise<unknown>, string]> = [
    [
      'wrong person submits',
      () => handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.peer), summary: 'done' }] }),
      REFUSAL.notPermitted,
    ],
    ['approve before submit', () => handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead) }] }), REFUSAL.invalidState],
    [
      'reject before submit',
      () => handle.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.lead), reason: 'x' }] }),
      REFUSAL.invalidState,
    ],
    [
      'extendDue to the past',
      () => handle.executeUpdate(extendDueUpdate, { args: [{ by: actor(PEOPLE.admin), newDueAt: iso(t0 - DAY_MS), reason: 'oops' }] }),
      REFUSAL.invalidArgument,
    ],
    [
      'extendDue to a non-date',
      () => handle.executeUpdate(extendDueUpdate, { args: [{ by: actor(PEOPLE.admin), newDueAt: 'next week', reason: 'oops' }] }),
      REFUSAL.invalidArgument,
    ],
    [
      'extendDue by an owner',
      () =>
        handle.executeUpdate(extendDueUpdate, {
          args: [{ by: actor(PEOPLE.owner), newDueAt: iso(t0 + 60 * DAY_MS), reason: 'more time' }],
        }),
      REFUSAL.notPermitted,
    ],
    [
      'reassign by an owner role',
      () => handle.executeUpdate(reassignUpdate, { args: [{ by: actor(PEOPLE.peer), newOwnerId: PEOPLE.peer.id, reason: 'I take it' }] }),
      REFUSAL.notPermitted,
    ],
    [
      'reassign to the current owner',
      () => handle.executeUpdate(reassignUpdate, { args: [{ by: actor(PEOPLE.admin), newOwnerId: PEOPLE.owner.id, reason: 'same' }] }),
      REFUSAL.invalidArgument,
    ],
    [
      'submit without a summary',
      () => handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: '  ' }] }),
      REFUSAL.invalidArgument,
    ],
  ];
  for (const [what, call, type] of cases) {
    const refusal = await refusalOf(call());
    expect({ what, type: refusal.type }).toEqual({ what, type });
    expect(refusal.message.length).toBeGreaterThan(10);
  }
  expect(await handle.query(statusQuery)).toEqual(before);
  expect((await handle.describe()).status.name).toBe('RUNNING');

  // Segregation of duties survives a reassignment: the old owner submitted, the new owner
  // owns it; neither may approve, nor may the submitter reject.
  await handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'done' }] });
  await handle.executeUpdate(reassignUpdate, { args: [{ by: actor(PEOPLE.admin), newOwnerId: PEOPLE.peer.id, reason: 'owner leaves' }] });
  const bySubmitter = await refusalOf(
    handle.executeUpdate(approveUpdate, { args: [{ by: { personId: PEOPLE.owner.id, role: 'owner' } }] }),
  );
  expect(bySubmitter.type).toBe(REFUSAL.notPermitted);
  const byOwner = await refusalOf(handle.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.peer), reason: 'no' }] }));
  expect(byOwner.type).toBe(REFUSAL.notPermitted);
  expect((await refusalOf(handle.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.lead), reason: '' }] }))).type).toBe(
    REFUSAL.invalidArgument,
  );
  expect(sent(workflowId).find((n) => n.key === 'reassigned#1')).toMatchObject({ kind: 'reassigned', to: [PEOPLE.peer.id] });
  const status = await handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.manager) }] });
  expect(status).toMatchObject({ state: 'approved', ownerId: PEOPLE.peer.id, approvedBy: PEOPLE.manager.id });
  await handle.result();
  await recordHistory(handle, 'governanceTask', 'validators');
});

test('(d) extendDue moves the ladder: fired reminders still ahead are re-armed, the old times stay silent', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const oldDue = t0 + 20 * DAY_MS;
  const newDue = t0 + 40 * DAY_MS;
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'extend');
  const handle = await start(workflowId, highRiskReviewInput(system, new Date(oldDue), { period: 'extend' }));

  await sleepUntil(t0 + 7 * DAY_MS);
  expect(timeline(workflowId, { opened: t0, 'remind-14d-before': oldDue - 14 * DAY_MS }).map((n) => [n.key, n.at])).toEqual([
    ['opened', 'on time'],
    ['remind-14d-before', 'on time'],
  ]);
  const status = await handle.executeUpdate(extendDueUpdate, {
    args: [{ by: actor(PEOPLE.lead), newDueAt: iso(newDue), reason: 'model retraining' }],
  });
  expect(status.dueAt).toBe(iso(newDue));
  expect(status.nextStep).toEqual({ key: 'remind-14d-before', at: iso(newDue - 14 * DAY_MS) });
  expect(status.ladder.every((v) => v.status === 'pending')).toBe(true);
  expect(ctx.ports.transitionsFor(workflowId).find((t) => t.event === 'due-extended')?.detail).toMatchObject({
    from: iso(oldDue),
    to: iso(newDue),
    rearmed: ['remind-14d-before'],
  });

  await sleepUntil(newDue + 4 * DAY_MS);
  const newTimes = {
    'remind-14d-before@ext1': newDue - 14 * DAY_MS,
    'remind-3d-before@ext1': newDue - 3 * DAY_MS,
    'remind-1d-before@ext1': newDue - 1 * DAY_MS,
    'remind-due@ext1': newDue,
    'escalate-manager@ext1': newDue + 3 * DAY_MS,
  };
  // Nothing at the old times (old due - 3 d, - 1 d, due, + 3 d): only the new ladder.
  expect(
    timeline(workflowId, newTimes)
      .slice(2)
      .map((n) => [n.key, n.at]),
  ).toEqual(Object.keys(newTimes).map((k) => [k, 'on time']));
  await recordHistory(handle, 'governanceTask', 'extend-due');
  await terminate(handle);
});

test('the ladder holds while submitted; after a rejection past reminders are skipped and past escalations fire', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const dueMs = t0 + 5 * DAY_MS;
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'hold');
  // Opened late: its 14-days-before reminder is already in the past and is skipped as stale.
  const handle = await start(workflowId, highRiskReviewInput(system, new Date(dueMs), { period: 'hold' }));
  let status = await eventually(
    () => handle.query(statusQuery),
    (s) => s.version >= 2,
  );
  expect(status.ladder.find((v) => v.key === 'remind-14d-before')?.status).toBe('skipped');
  expect(ctx.ports.transitionsFor(workflowId).map((t) => t.event)).toEqual(['opened', 'step-skipped']);

  await ctx.env.sleep(DAY_MS);
  await handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'done early' }] });
  await sleepUntil(t0 + 10 * DAY_MS);
  // Nothing fired while the approver had it.
  expect(sent(workflowId).map((n) => n.key)).toEqual(['opened']);
  status = await handle.query(statusQuery);
  expect(status).toMatchObject({ state: 'submitted', overdue: true });
  expect(status.nextStep).toBeUndefined();

  const rejectedAt = await ctx.env.currentTimeMs();
  await handle.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.peer), reason: 'incomplete' }] });
  await sleepUntil(t0 + 13 * DAY_MS);
  const log = sent(workflowId);
  expect(log.map((n) => n.key)).toEqual(['opened', 'rejected#1', 'escalate-manager', 'escalate-governance-lead']);
  // The missed escalation fires at once on rework; the next one on its own time.
  expect(Date.parse(log[2].at) - rejectedAt).toBeLessThan(MINUTE_MS);
  expect(onTime(log[3].at, dueMs + 7 * DAY_MS)).toBe(true);
  expect(ctx.ports.transitionsFor(workflowId).map((t) => [t.event, t.status.version])).toEqual([
    ['opened', 1],
    ['step-skipped', 2],
    ['submitted', 3],
    ['rejected', 4],
    ['step-skipped', 5],
    ['escalated', 6],
    ['escalated', 7],
  ]);
  const skipped = ctx.ports.transitionsFor(workflowId).filter((t) => t.event === 'step-skipped');
  expect((skipped[1].detail?.steps as { key: string }[]).map((s) => s.key)).toEqual(['remind-3d-before', 'remind-1d-before', 'remind-due']);
  status = await handle.query(statusQuery);
  expect(status.escalationLevel).toBe(2);
  await recordHistory(handle, 'governanceTask', 'hold-and-rework');
  await terminate(handle);
});

test('a ladder that repeats forever continues as new, carrying its state, and never repeats or loses a reminder', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const workflowId = taskWorkflowId('incident-report', 'inc-1', 'report');
  const input = {
    ...highRiskReviewInput(system, new Date(t0 + HOUR_MS), { period: 'report' }),
    kind: 'incident-report' as const,
    ladder: [{ key: 'nag', offsetMs: 0, action: 'remind' as const, levels: ['owner' as const], repeatEveryMs: HOUR_MS }],
  };
  const handle = await start(workflowId, input);
  const firstRunId = handle.firstExecutionRunId;
  // About ten history events per reminder: the 2000-event cap is passed within ~250 hours.
  // Half an hour past a reminder, so none is in flight when we look.
  await sleepUntil(t0 + 260 * HOUR_MS + 30 * MINUTE_MS);
  const description = await handle.describe();
  expect(description.runId).not.toBe(firstRunId);
  expect(description.status.name).toBe('RUNNING');

  const keys = sent(workflowId).map((n) => n.key);
  expect(keys[0]).toBe('opened');
  const nags = keys.slice(1);
  expect(nags).toEqual(nags.map((_, n) => (n === 0 ? 'nag' : `nag#${n}`)));
  expect(nags.length).toBeGreaterThanOrEqual(258);
  const status = await eventually(
    () => handle.query(statusQuery),
    (s) => s.version === ctx.ports.transitionsFor(workflowId).length,
  );
  expect(status.version).toBe(ctx.ports.transitionsFor(workflowId).length);
  // The view shows the latest handled occurrences and the next one.
  const n = nags.length;
  expect(status.ladder.map((v) => [v.key, v.status])).toEqual([
    ...[5, 4, 3, 2, 1].map((back) => [`nag#${n - back}`, 'done']),
    [`nag#${n}`, 'pending'],
  ]);
  expect(status.nextStep).toEqual({ key: `nag#${n}`, at: iso(t0 + HOUR_MS + n * HOUR_MS) });
  expect(status.openedAt).toBe(ctx.ports.transitionsFor(workflowId)[0].status.openedAt);

  // The carried state still takes updates in the new run.
  await handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'report filed' }] });
  const final = await handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead) }] });
  expect(final).toMatchObject({ state: 'approved', submissions: 1 });
  await handle.result();
  await recordHistory(ctx.env.client.workflow.getHandle(workflowId, firstRunId), 'governanceTask', 'continue-as-new-first-run');
  await recordHistory(handle, 'governanceTask', 'continue-as-new-last-run');
});

test('(h) a cancelled task stops its ladder at the cancellation instant, tells the owner once and completes', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const dueMs = t0 + 30 * DAY_MS;
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'cancelled');
  const handle = await start(workflowId, highRiskReviewInput(system, new Date(dueMs), { period: 'cancelled' }));

  // Four days overdue: the owner was reminded and the manager told; the lead would be at 7 days.
  await sleepUntil(dueMs + 4 * DAY_MS);
  const before = await handle.query(statusQuery);
  expect(before).toMatchObject({ state: 'open', overdue: true, escalationLevel: 1 });

  // Refused without failing the workflow: an owner's role, no reason, no actor.
  const refusals: Array<[string, () => Promise<unknown>, string]> = [
    [
      'an owner cancels',
      () => handle.executeUpdate(cancelUpdate, { args: [{ by: actor(PEOPLE.owner), reason: 'not needed' }] }),
      REFUSAL.notPermitted,
    ],
    ['no reason', () => handle.executeUpdate(cancelUpdate, { args: [{ by: actor(PEOPLE.lead), reason: ' ' }] }), REFUSAL.invalidArgument],
    ['no actor', () => handle.executeUpdate(cancelUpdate, { args: [{ reason: 'x' } as unknown as CancelArgs] }), REFUSAL.invalidArgument],
  ];
  for (const [what, call, type] of refusals) {
    expect({ what, type: (await refusalOf(call())).type }).toEqual({ what, type });
  }
  expect(await handle.query(statusQuery)).toEqual(before);

  const cancelledAtMs = await ctx.env.currentTimeMs();
  const cancelled = await handle.executeUpdate(cancelUpdate, {
    args: [{ by: actor(PEOPLE.lead), reason: '  the AI system Credit scoring model was retired ' }],
  });
  expect(cancelled).toMatchObject({
    state: 'cancelled',
    overdue: false,
    cancellation: { by: PEOPLE.lead.id, reason: 'the AI system Credit scoring model was retired' },
  });
  expect(onTime(cancelled.cancellation?.at, cancelledAtMs)).toBe(true);
  expect(cancelled.nextStep).toBeUndefined();
  const result = await handle.result();
  expect(result).toMatchObject({ state: 'cancelled', overdue: false, cancellation: cancelled.cancellation });
  expect((await handle.describe()).status.name).toBe('COMPLETED');

  // Past the rest of the ladder (7 and 14 days overdue): nothing more is sent or recorded.
  await sleepUntil(dueMs + 20 * DAY_MS);
  const cancelAt = Date.parse(cancelled.cancellation!.at);
  const notes = sent(workflowId);
  expect(notes.map((n) => n.key)).toEqual([
    'opened',
    'remind-14d-before',
    'remind-3d-before',
    'remind-1d-before',
    'remind-due',
    'escalate-manager',
    'cancelled',
  ]);
  const told = notes.filter((n) => n.kind === 'cancelled');
  expect(told.map(({ key, to }) => ({ key, to }))).toEqual([{ key: 'cancelled', to: [PEOPLE.owner.id] }]);
  expect(onTime(told[0].at, cancelAt)).toBe(true);
  // No reminder or escalation at or after the cancellation instant (workflow time).
  expect(notes.filter((n) => n.kind !== 'cancelled' && Date.parse(n.at) >= cancelAt)).toEqual([]);
  const transitions = ctx.ports.transitionsFor(workflowId);
  expect(transitions.filter((t) => Date.parse(t.at) >= cancelAt).map((t) => [t.event, t.actorId, t.detail?.reason])).toEqual([
    ['cancelled', PEOPLE.lead.id, 'the AI system Credit scoring model was retired'],
  ]);
  expect(transitions.at(-1)?.status).toMatchObject({ state: 'cancelled', version: cancelled.version });
  await recordHistory(handle, 'governanceTask', 'cancelled');
});

test("(i) only an AI system's cadence work can be cancelled: an incident report or a corrective-action step cannot", async () => {
  const t0 = await ctx.env.currentTimeMs();
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'cancel-refused');
  const input = highRiskReviewInput(system, new Date(t0 + 30 * DAY_MS), { period: 'cancel-refused' });
  const handle = await start(workflowId, { ...input, subject: { type: 'incident', id: 'inc-1', name: 'An incident' } });
  const refusal = await refusalOf(handle.executeUpdate(cancelUpdate, { args: [{ by: actor(PEOPLE.admin), reason: 'retired' }] }));
  expect(refusal.type).toBe(REFUSAL.notPermitted);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  await terminate(handle);
});

test("(j) a submission with its form's answers: kept with the form's kind and version, replaced by the rework's; a malformed one refused", async () => {
  const t0 = await ctx.env.currentTimeMs();
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'form');
  const input = highRiskReviewInput(system, new Date(t0 + 30 * DAY_MS), { period: 'form' });
  const handle = await start(workflowId, input);
  const opened = await eventually(
    () => handle.query(statusQuery),
    (s) => s.version >= 1,
  );
  // Who may approve is in the status (the read model filters work awaiting approval by it).
  expect(opened.approverRoles).toEqual(input.approverRoles);
  expect(opened.submission).toBeUndefined();

  const form = { kind: 'high-risk-review', version: 1 };
  const malformed: Array<[string, unknown]> = [
    ['another form', { form: { kind: 'aiia', version: 1 }, answers: {} }],
    ['no version', { form: { kind: 'high-risk-review' }, answers: {} }],
    ['answers not an object', { form, answers: ['drift'] }],
    ['not an object', 'answers'],
  ];
  for (const [what, submission] of malformed) {
    const refusal = await refusalOf(
      handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'done', submission } as never] }),
    );
    expect({ what, type: refusal.type, message: refusal.message }).toEqual({
      what,
      type: REFUSAL.invalidArgument,
      message: expect.stringContaining('the submission is malformed'),
    });
  }
  expect((await handle.query(statusQuery)).state).toBe('open');

  const first = validAnswers('high-risk-review', { dataDrift: 'beyond-tolerance' });
  let status = await handle.executeUpdate(submitUpdate, {
    args: [{ by: actor(PEOPLE.owner), summary: 'Q review', submission: { form, answers: first } }],
  });
  expect(status).toMatchObject({ state: 'submitted', submission: { form, answers: first } });
  await handle.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.lead), reason: 'Drift beyond tolerance needs an action' }] });
  const second = validAnswers('high-risk-review', {
    dataDrift: 'beyond-tolerance',
    conclusion: 'fit-with-actions',
    actions: 'Retrain by May',
  });
  status = await handle.executeUpdate(submitUpdate, {
    args: [{ by: actor(PEOPLE.owner), summary: 'Q review with an action', submission: { form, answers: second } }],
  });
  expect(status.submission).toEqual({ form, answers: second });
  status = await handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead) }] });
  expect(status).toMatchObject({ state: 'approved', submission: { form, answers: second } });
  expect((await handle.result()).submission).toEqual({ form, answers: second });
  // Both submissions are in the trail with their answers; the read model holds the latest.
  const submitted = ctx.ports.transitionsFor(workflowId).filter((t) => t.event === 'submitted');
  expect(submitted.map((t) => t.detail)).toEqual([
    expect.objectContaining({ form, answers: first }),
    expect.objectContaining({ form, answers: second }),
  ]);
  expect(ctx.ports.tasks.get(workflowId)).toMatchObject({ state: 'approved', submission: { form, answers: second } });
  await recordHistory(handle, 'governanceTask', 'form-submission');
});
