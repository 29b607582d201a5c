/**
 * correctiveAction (ISO/IEC 42001 10.2) under the time-skipping server: containment, root
 * cause and action as child governanceTasks, the 90-day wait before the effectiveness check
 * asserted in workflow time, segregation of duties between action owner and verifier, and a
 * "not effective" check that reopens the action.
 */
import { WithStartWorkflowOperation, WorkflowHandle } from '@temporalio/client';
import {
  correctiveStepTaskId,
  nonconformityOpenedUpdate,
  NonconformityStatus,
  nonconformityStatusQuery,
  nonconformityWorkflowId,
  reassignUpdate,
  REFUSAL,
  statusQuery,
  submitStepUpdate,
  submitUpdate,
  SubmitArgs,
  TaskStatus,
} from '../../libs/contracts';
import { correctiveActionPlan, DAY_MS, HOUR_MS } from '../../libs/domain';
import { correctiveAction, governanceTask } from '../../workflows';
import { validAnswers } from '../support/form-answers';
import { recordHistory } from '../support/histories';
import {
  actor,
  auditFindingInput,
  eventually,
  iso,
  onTime,
  PEOPLE,
  refusalOf,
  sleepUntil,
  startWorkflowTestContext,
  WorkflowTestContext,
} from './fixtures';

jest.setTimeout(120_000);

let ctx: WorkflowTestContext;

beforeAll(async () => {
  ctx = await startWorkflowTestContext('corrective-action');
});

afterAll(async () => {
  await ctx?.stop();
});

const plan = correctiveActionPlan('minor');

function taskHandle(taskId: string): WorkflowHandle<typeof governanceTask> {
  return ctx.env.client.workflow.getHandle<typeof governanceTask>(taskId);
}

async function taskStatus(taskId: string): Promise<TaskStatus | undefined> {
  return taskHandle(taskId)
    .query(statusQuery)
    .catch(() => undefined);
}

/** Waits until the workflow has started the step's task and the task has sent its opening. */
async function stepOpened(taskId: string): Promise<TaskStatus> {
  await eventually(
    async () => ctx.ports.notificationsFor(taskId),
    (log) => log.some((n) => n.notificationKey === 'opened'),
  );
  const status = await eventually(
    () => taskStatus(taskId),
    (s) => s?.state === 'open',
  );
  expect(status).toMatchObject({ taskId, state: 'open', kind: 'corrective-action-step' });
  return status!;
}

function submit(taskId: string, args: SubmitArgs): Promise<TaskStatus> {
  return taskHandle(taskId).executeUpdate(submitUpdate, { args: [args] });
}

function statusWhen(
  handle: WorkflowHandle<typeof correctiveAction>,
  ok: (s: NonconformityStatus) => boolean,
): Promise<NonconformityStatus> {
  return eventually(() => handle.query(nonconformityStatusQuery), ok);
}

/**
 * After the action is submitted, the workflow waits `verificationWaitMs`; asserts the check
 * opens exactly then (workflow time), due `effectivenessCheckMs` later, and not before.
 */
async function effectivenessCheckOpens(
  handle: WorkflowHandle<typeof correctiveAction>,
  action: TaskStatus,
  checkId: string,
): Promise<TaskStatus> {
  const submittedAt = Date.parse(action.submittedAt!);
  const waiting = await statusWhen(handle, (s) => s.step === 'verification-wait');
  const opensAt = Date.parse(waiting.verificationOpensAt!);
  expect(onTime(waiting.verificationOpensAt, submittedAt + plan.verificationWaitMs)).toBe(true);
  expect(waiting.currentTaskId).toBeUndefined();

  // An hour before the wait ends: nothing opened.
  await sleepUntil(ctx.env, opensAt - HOUR_MS);
  expect(await taskStatus(checkId)).toBeUndefined();
  expect((await handle.query(nonconformityStatusQuery)).step).toBe('verification-wait');

  await sleepUntil(ctx.env, opensAt + HOUR_MS);
  const check = await stepOpened(checkId);
  const opened = ctx.ports.notificationsFor(checkId).find((n) => n.notificationKey === 'opened')!;
  expect(opened.recipients.map((r) => r.personId)).toEqual([PEOPLE.peer.id]);
  expect(onTime(opened.at, submittedAt + plan.verificationWaitMs)).toBe(true);
  expect(onTime(check.openedAt, submittedAt + plan.verificationWaitMs)).toBe(true);
  // Due 14 days after the check opened.
  expect(onTime(iso(Date.parse(check.dueAt) - plan.effectivenessCheckMs), opensAt)).toBe(true);
  expect(Date.parse(check.dueAt) - plan.effectivenessCheckMs).toBeLessThanOrEqual(Date.parse(check.openedAt));
  expect(check).toMatchObject({ ownerId: PEOPLE.peer.id });
  const status = await handle.query(nonconformityStatusQuery);
  expect(status).toMatchObject({ step: 'effectiveness-check', currentTaskId: checkId, currentDueAt: check.dueAt });
  expect(status.verificationOpensAt).toBeUndefined();
  return check;
}

test('10.2 end to end: contain, root cause, act, a check 90 days later by someone else, not effective reopens, effective closes', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const nonconformityId = 'nc-audit-1';
  const input = auditFindingInput(nonconformityId, {
    ref: 'AF-1',
    title: 'Drift monitoring missing on the credit model',
    description: 'Audit finding AF-1: no drift alerts were configured for the production credit model.',
  });
  const handle = await ctx.env.client.workflow.start(correctiveAction, {
    workflowId: nonconformityWorkflowId(nonconformityId),
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  expect(handle.workflowId).toBe(`nonconformity:${nonconformityId}`);
  const owner = actor(PEOPLE.owner);
  const verifier = actor(PEOPLE.peer);

  // Containment, due 7 days after it opened.
  const containmentId = correctiveStepTaskId(nonconformityId, 'containment');
  expect(containmentId).toBe(`corrective-action-step:${nonconformityId}:containment`);
  const containment = await stepOpened(containmentId);
  expect(containment.ownerId).toBe(PEOPLE.owner.id);
  expect(Date.parse(containment.dueAt) - t0).toBeGreaterThanOrEqual(plan.containmentMs);
  expect(Date.parse(containment.dueAt) - t0).toBeLessThan(plan.containmentMs + HOUR_MS);
  expect(await handle.query(nonconformityStatusQuery)).toMatchObject({
    state: 'open',
    step: 'containment',
    currentTaskId: containmentId,
    currentDueAt: containment.dueAt,
  });
  const contained = await submit(containmentId, { by: owner, summary: 'Model pinned to the last validated version' });
  expect(contained.state).toBe('completed');

  // Root cause.
  const rootCauseId = correctiveStepTaskId(nonconformityId, 'root-cause');
  const rootCause = await stepOpened(rootCauseId);
  expect(Date.parse(rootCause.dueAt) - Date.parse(rootCause.openedAt)).toBeLessThanOrEqual(plan.rootCauseMs);
  expect(Date.parse(rootCause.dueAt) - Date.parse(rootCause.openedAt)).toBeGreaterThan(plan.rootCauseMs - HOUR_MS);
  await submit(rootCauseId, { by: owner, summary: 'Monitoring was never part of the release checklist' });

  // The action: never to the verifier.
  const action1Id = correctiveStepTaskId(nonconformityId, 'action', 1);
  expect(action1Id).toBe(`corrective-action-step:${nonconformityId}:action-1`);
  await stepOpened(action1Id);
  let status = await handle.query(nonconformityStatusQuery);
  expect(status).toMatchObject({
    step: 'action',
    currentTaskId: action1Id,
    containment: { by: PEOPLE.owner.id, taskId: containmentId },
    rootCause: { by: PEOPLE.owner.id },
  });
  const toVerifier = await refusalOf(
    taskHandle(action1Id).executeUpdate(reassignUpdate, {
      args: [{ by: actor(PEOPLE.lead), newOwnerId: PEOPLE.peer.id, reason: 'Pat has time' }],
    }),
  );
  expect(toVerifier).toMatchObject({ type: REFUSAL.notPermitted, message: expect.stringContaining('segregation of duties') });
  const action1 = await submit(action1Id, { by: owner, summary: 'Drift alerts configured, checklist updated' });

  // The check opens 90 days after the action, by the verifier.
  const check1Id = correctiveStepTaskId(nonconformityId, 'effectiveness-check', 1);
  expect(check1Id).toBe(`corrective-action-step:${nonconformityId}:effectiveness-check-1`);
  await effectivenessCheckOpens(handle, action1, check1Id);

  // Segregation of duties: the action owner never verifies their own action.
  const byActionOwner = await refusalOf(submit(check1Id, { by: owner, summary: 'Works for me', outcome: 'effective' }));
  expect(byActionOwner.type).toBe(REFUSAL.notPermitted);
  const toActionOwner = await refusalOf(
    taskHandle(check1Id).executeUpdate(reassignUpdate, {
      args: [{ by: actor(PEOPLE.lead), newOwnerId: PEOPLE.owner.id, reason: 'Pat is away' }],
    }),
  );
  expect(toActionOwner).toMatchObject({ type: REFUSAL.notPermitted, message: expect.stringContaining('segregation of duties') });
  expect((await refusalOf(submit(check1Id, { by: verifier, summary: 'Checked' }))).type).toBe(REFUSAL.invalidArgument);
  // Answers to another form than the check's are refused by the task itself.
  const otherForm = { form: { kind: 'high-risk-review', version: 1 }, answers: {} };
  expect(
    (await refusalOf(submit(check1Id, { by: verifier, summary: 'Checked', outcome: 'effective', submission: otherForm }))).message,
  ).toMatch(/submitted with the effectiveness-check form/);
  expect(await taskStatus(check1Id)).toMatchObject({ state: 'open', ownerId: PEOPLE.peer.id });
  expect((await handle.describe()).status.name).toBe('RUNNING');

  // Not effective: the action reopens as round 2, with the same owner.
  await submit(check1Id, { by: verifier, summary: 'Alerts fired but nobody was paged', outcome: 'not_effective' });
  const action2Id = correctiveStepTaskId(nonconformityId, 'action', 2);
  expect(action2Id).toBe(`corrective-action-step:${nonconformityId}:action-2`);
  const action2Task = await stepOpened(action2Id);
  expect(action2Task).toMatchObject({ ownerId: PEOPLE.owner.id, title: expect.stringContaining('(round 2)') });
  status = await statusWhen(handle, (s) => s.currentTaskId === action2Id);
  expect(status).toMatchObject({ state: 'open', step: 'action', loops: 1 });
  expect(status.verifications).toEqual([
    {
      taskId: check1Id,
      by: PEOPLE.peer.id,
      at: expect.any(String),
      summary: 'Alerts fired but nobody was paged',
      outcome: 'not_effective',
      loop: 1,
    },
  ]);
  const toVerifierAgain = await refusalOf(
    taskHandle(action2Id).executeUpdate(reassignUpdate, {
      args: [{ by: actor(PEOPLE.admin), newOwnerId: PEOPLE.peer.id, reason: 'fresh eyes' }],
    }),
  );
  expect(toVerifierAgain.type).toBe(REFUSAL.notPermitted);
  const action2 = await submit(action2Id, { by: owner, summary: 'Paging wired to the on-call rota' });

  const check2Id = correctiveStepTaskId(nonconformityId, 'effectiveness-check', 2);
  expect(check2Id).toBe(`corrective-action-step:${nonconformityId}:effectiveness-check-2`);
  await effectivenessCheckOpens(handle, action2, check2Id);
  // Two 90-day waits: the case took a little over half a year of workflow time.
  const elapsed = (await ctx.env.currentTimeMs()) - t0;
  expect(elapsed).toBeGreaterThan(2 * plan.verificationWaitMs);
  expect(elapsed).toBeLessThan(2 * plan.verificationWaitMs + DAY_MS);
  // The check's form answers go with it (the API checked them): the task keeps them with the form's version.
  const answers = validAnswers('effectiveness-check', { outcome: 'effective' });
  const check2 = await submit(check2Id, {
    by: verifier,
    summary: 'Two drift alerts paged and handled',
    outcome: 'effective',
    submission: { form: { kind: 'effectiveness-check', version: 1 }, answers },
  });
  expect(check2).toMatchObject({
    state: 'completed',
    outcome: 'effective',
    submission: { form: { kind: 'effectiveness-check', version: 1 }, answers },
  });

  const result = await handle.result();
  expect(result).toMatchObject({ state: 'closed', step: 'closed', loops: 1, actionOwnerId: PEOPLE.owner.id, verifierId: PEOPLE.peer.id });
  // Closed when the effective check came in.
  expect(onTime(result.closedAt, Date.parse(check2.submittedAt!))).toBe(true);
  expect(result.currentTaskId).toBeUndefined();
  expect(result.actions.map((a) => [a.taskId, a.by])).toEqual([
    [action1Id, PEOPLE.owner.id],
    [action2Id, PEOPLE.owner.id],
  ]);
  expect(result.verifications.map((v) => [v.taskId, v.by, v.outcome, v.loop])).toEqual([
    [check1Id, PEOPLE.peer.id, 'not_effective', 1],
    [check2Id, PEOPLE.peer.id, 'effective', 2],
  ]);
  expect(ctx.ports.nonconformities.get(nonconformityId)).toEqual(result);
  const events = ctx.ports.caseEvents
    .filter((e) => 'nonconformityId' in e.status && e.status.nonconformityId === nonconformityId)
    .sort((a, b) => a.status.version - b.status.version);
  expect(events.map((e) => e.event)).toEqual([
    'opened',
    'step-opened',
    'contained',
    'step-opened',
    'root-cause-found',
    'step-opened',
    'action-taken',
    'step-opened',
    'not-effective',
    'step-opened',
    'action-taken',
    'step-opened',
    'closed',
  ]);
  expect(events.map((e) => e.status.version)).toEqual(events.map((_, i) => i + 1));
  await recordHistory(handle, 'correctiveAction', 'not-effective-then-effective');
});

test('read your writes: the opening answers once the containment task is recorded; a step submitted through the case answers once the next step is open', async () => {
  const nonconformityId = 'nc-read-your-writes';
  const input = auditFindingInput(nonconformityId, {
    ref: 'AF-9',
    title: 'Bias test skipped before release',
    description: 'Audit finding AF-9: the release checklist was signed without the bias test.',
  });
  const startWorkflowOperation = new WithStartWorkflowOperation(correctiveAction, {
    workflowId: nonconformityWorkflowId(nonconformityId),
    taskQueue: ctx.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
  });
  const opened = await ctx.env.client.workflow.executeUpdateWithStart(nonconformityOpenedUpdate, { args: [], startWorkflowOperation });
  const handle = await startWorkflowOperation.workflowHandle();
  const containmentId = correctiveStepTaskId(nonconformityId, 'containment');
  const rootCauseId = correctiveStepTaskId(nonconformityId, 'root-cause');
  expect(opened).toMatchObject({ step: 'containment', currentTaskId: containmentId });
  expect(ctx.ports.transitionsFor(containmentId).map((t) => t.event)).toEqual(['opened']);

  const step = (taskId: string, by = PEOPLE.owner, summary = 'done') =>
    handle.executeUpdate(submitStepUpdate, { args: [{ by: actor(by), taskId, summary }] });
  const before = await handle.query(nonconformityStatusQuery);
  for (const [what, call, type] of [
    ['a stranger', () => step(containmentId, PEOPLE.peer), REFUSAL.notPermitted],
    ['not the open step', () => step(rootCauseId), REFUSAL.invalidState],
    ['a blank summary', () => step(containmentId, PEOPLE.owner, ' '), REFUSAL.invalidArgument],
  ] as const) {
    expect({ what, type: (await refusalOf(call())).type }).toEqual({ what, type });
  }
  expect(await handle.query(nonconformityStatusQuery)).toEqual(before);

  let status = await step(containmentId, PEOPLE.owner, 'Release rolled back');
  expect(status).toMatchObject({ step: 'root-cause', currentTaskId: rootCauseId, containment: { summary: 'Release rolled back' } });
  // (The time-skipping server may skip time while an Update waits: a ladder step can come in between.)
  const events = (taskId: string) => ctx.ports.transitionsFor(taskId).map((t) => t.event);
  expect(events(containmentId)).toEqual(expect.arrayContaining(['opened', 'completed']));
  expect(events(rootCauseId)[0]).toBe('opened');
  status = await step(rootCauseId, PEOPLE.owner, 'Checklist allowed a skip');
  const actionId = correctiveStepTaskId(nonconformityId, 'action', 1);
  expect(status).toMatchObject({ step: 'action', currentTaskId: actionId });
  expect(events(actionId)[0]).toBe('opened');
  status = await step(actionId, PEOPLE.owner, 'Checklist enforced in CI');
  expect(status.step).toBe('verification-wait');
  expect(status.currentTaskId).toBeUndefined();
  expect(status.verificationOpensAt).toBeDefined();
  await recordHistory(handle, 'correctiveAction', 'read-your-writes');
  await handle.terminate('test done');
});
