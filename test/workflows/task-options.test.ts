/**
 * The task engine's options for work beyond the cadences: no approval step (an incident
 * report is "in" when submitted), a required outcome (effective / not_effective), and people
 * who may never own the work (the action owner never verifies their own action).
 */
import { WorkflowFailedError } from '@temporalio/client';
import { GovernanceTaskInput, REFUSAL, reassignUpdate, statusQuery, submitUpdate } from '../../libs/contracts';
import { DAY_MS, DEFAULT_LADDER, HOUR_MS, INCIDENT_REPORT_LADDER } from '../../libs/domain';
import { governanceTask } from '../../workflows';
import { actor, PEOPLE, refusalOf, startWorkflowTestContext, WorkflowTestContext } from './fixtures';

jest.setTimeout(120_000);

let ctx: WorkflowTestContext;
beforeAll(async () => {
  ctx = await startWorkflowTestContext('task-options');
});
afterAll(async () => {
  await ctx?.stop();
});

const subject = { type: 'incident' as const, id: 'inc-1', name: 'Chatbot leaked a customer address' };

/** Starts a draft incident report due 72 hours from now in workflow time, with `ladder`. */
async function startDraftReport(workflowId: string, ladder: GovernanceTaskInput['ladder']) {
  const t0 = await ctx.env.currentTimeMs();
  return ctx.env.client.workflow.start(governanceTask, {
    workflowId,
    taskQueue: ctx.taskQueue,
    args: [
      {
        kind: 'incident-report',
        title: 'Draft report',
        subject,
        ownerId: PEOPLE.owner.id,
        approverRoles: [],
        dueAt: new Date(t0 + 72 * HOUR_MS).toISOString(),
        ladder,
      },
    ],
  });
}

test('work without approvers completes on submit, and the reminders stop there', async () => {
  const handle = await startDraftReport('incident-report:inc-1:draft', INCIDENT_REPORT_LADDER);
  await ctx.env.sleep(30 * HOUR_MS); // past the 24-hour reminder
  const done = await handle.executeUpdate(submitUpdate, {
    args: [{ by: actor(PEOPLE.owner), summary: 'Draft: address shown to one other customer' }],
  });
  expect(done).toMatchObject({ state: 'completed', submissions: 1 });
  const result = await handle.result();
  expect(result.state).toBe('completed');
  await ctx.env.sleep(4 * DAY_MS); // nothing fires after the report is in
  expect(ctx.ports.notificationsFor('incident-report:inc-1:draft').map((n) => n.notificationKey)).toEqual(['opened', 'remind-24h']);
});

test('a required outcome is validated; excluded people can never be given the work', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const handle = await ctx.env.client.workflow.start(governanceTask, {
    workflowId: 'nonconformity:nc-1:effectiveness#1',
    taskQueue: ctx.taskQueue,
    args: [
      {
        kind: 'corrective-action-step',
        title: 'Effectiveness check',
        subject: { type: 'nonconformity', id: 'nc-1', name: 'Missing drift monitoring' },
        ownerId: PEOPLE.peer.id,
        approverRoles: [],
        outcomes: ['effective', 'not_effective'],
        excludedOwnerIds: [PEOPLE.owner.id],
        dueAt: new Date(t0 + 30 * DAY_MS).toISOString(),
        ladder: DEFAULT_LADDER,
      },
    ],
  });
  const noOutcome = await refusalOf(handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.peer), summary: 'checked' }] }));
  expect(noOutcome).toMatchObject({
    type: REFUSAL.invalidArgument,
    message: expect.stringContaining('outcome must be one of effective, not_effective'),
  });
  const toActionOwner = await refusalOf(
    handle.executeUpdate(reassignUpdate, { args: [{ by: actor(PEOPLE.lead), newOwnerId: PEOPLE.owner.id, reason: 'vacation' }] }),
  );
  expect(toActionOwner).toMatchObject({ type: REFUSAL.notPermitted, message: expect.stringContaining('segregation of duties') });
  expect((await handle.query(statusQuery)).state).toBe('open');
  const done = await handle.executeUpdate(submitUpdate, {
    args: [{ by: actor(PEOPLE.peer), summary: 'Drift alerts fired twice', outcome: 'not_effective' }],
  });
  expect(done).toMatchObject({ state: 'completed', outcome: 'not_effective' });
});

test('work that takes no outcome refuses one', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const handle = await ctx.env.client.workflow.start(governanceTask, {
    workflowId: 'aiia:sys-x:no-outcome',
    taskQueue: ctx.taskQueue,
    args: [
      {
        kind: 'aiia',
        title: 'AIIA',
        subject: { type: 'ai-system', id: 'sys-x', name: 'X' },
        ownerId: PEOPLE.owner.id,
        approverRoles: ['governance_lead'],
        dueAt: new Date(t0 + 30 * DAY_MS).toISOString(),
        ladder: DEFAULT_LADDER,
      },
    ],
  });
  const refused = await refusalOf(
    handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'done', outcome: 'effective' }] }),
  );
  expect(refused).toMatchObject({ type: REFUSAL.invalidArgument, message: 'this work takes no outcome' });
  await handle.terminate('test done');
});

test('work whose ladder is not valid fails at once, naming the problem, and tells nobody', async () => {
  const workflowId = 'incident-report:inc-bad-ladder:draft';
  // A reminder every minute would flood the owner.
  const handle = await startDraftReport(workflowId, [
    { key: 'nag', offsetMs: 0, action: 'remind', levels: ['owner'], repeatEveryMs: 60_000 },
  ]);
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({
    type: REFUSAL.invalidArgument,
    message: `the ladder of ${workflowId} is not valid: step 0: repeatEveryMs must be at least an hour`,
  });
  expect(ctx.ports.notificationsFor(workflowId)).toEqual([]);
  expect(ctx.ports.transitionsFor(workflowId)).toEqual([]);
});
