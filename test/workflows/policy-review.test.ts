/**
 * policyReview (one review of one AI policy, ISO/IEC 42001 A.2.4) and policyReviewRound (the
 * yearly round), under the time-skipping server with in-memory ports: the review is due 30
 * calendar days after it opens in the organisation's zone, its reminders at their local
 * instants; the owner submits through the review, someone else approves on the task, and the
 * approval records the new version on the policy; a rejection sends it back.
 */
import type { WorkflowHandle } from '@temporalio/client';
import {
  approveUpdate,
  OrgRoundInput,
  PolicyReviewInput,
  policyReviewOpenedUpdate,
  policyReviewSettledUpdate,
  policyReviewStatusQuery,
  policyReviewTaskId,
  policyReviewWorkflowId,
  rejectUpdate,
  roundOpenedUpdate,
  statusQuery,
  submitPolicyReviewUpdate,
  submitUpdate,
  TaskStatus,
} from '../../libs/contracts';
import { DAY_MS, HOUR_MS, policyReviewDueAt, zonedTimeToInstant } from '../../libs/domain';
import { policyReview, policyReviewRound } from '../../workflows';
import { recordHistory } from '../support/histories';
import { actor, eventually, onTime, PEOPLE, refusalOf, sleepUntil, startWorkflowTestContext, WorkflowTestContext } from './fixtures';

jest.setTimeout(180_000);

const AMS = 'Europe/Amsterdam';
const POLICY_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const POLICY_B = '0b0b0b0b-0000-4000-8000-00000000000b';
const POLICY_C = '0c0c0c0c-0000-4000-8000-00000000000c';
const POLICY_D = '0d0d0d0d-0000-4000-8000-00000000000d';
const DOC = 'https://docs.example.test/ai-policy-v1.pdf';

let ctx: WorkflowTestContext;
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  ctx = await startWorkflowTestContext('policy-review');
  for (const [id, title] of [
    [POLICY_A, 'AI policy'],
    [POLICY_B, 'Responsible AI development policy'],
    [POLICY_C, 'AI supplier policy'],
    [POLICY_D, 'AI data policy'],
  ])
    ctx.ports.policiesById.set(id, { id, title, ownerId: PEOPLE.owner.id, version: '1.0', documentUrl: DOC });
});

afterAll(async () => {
  for (const h of started) await h.terminate('test done').catch(() => undefined);
  await ctx?.stop();
});

function reviewInput(policyId: string, key: string, over: Partial<PolicyReviewInput> = {}): PolicyReviewInput {
  const p = ctx.ports.policiesById.get(policyId)!;
  return {
    policy: { id: p.id, title: p.title, ownerId: p.ownerId, version: p.version, documentUrl: p.documentUrl },
    key,
    trigger: 'major-change',
    reason: 'New generative AI use cases',
    openedBy: PEOPLE.lead.id,
    timeZone: AMS,
    ...over,
  };
}

async function startReview(input: PolicyReviewInput) {
  const handle = await ctx.env.client.workflow.start(policyReview, {
    workflowId: policyReviewWorkflowId(input.policy.id, input.key),
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  started.push(handle);
  const opened = await handle.executeUpdate(policyReviewOpenedUpdate);
  const task = ctx.env.client.workflow.getHandle(opened.taskId);
  started.push(task);
  return { handle, opened, task };
}

const stepAt = (status: TaskStatus, key: string) => status.ladder.find((s) => s.key === key)!.at;

async function sentAt(taskId: string, notificationKey: string, atIso: string): Promise<string | undefined> {
  await sleepUntil(ctx.env, Date.parse(atIso) + 10 * 60_000);
  const log = await eventually(
    async () => ctx.ports.notificationsFor(taskId),
    (l) => l.some((n) => n.notificationKey === notificationKey),
  );
  return log.find((n) => n.notificationKey === notificationKey)?.at;
}

test('a review opened 10 March in Amsterdam is due 30 calendar days later (across the DST change), reminded at its exact times; submit + approval by someone else records the new version', async () => {
  // 10 March 2031 00:00 CET; summer time begins 30 March 2031.
  await sleepUntil(ctx.env, zonedTimeToInstant(2031, 3, 10, 0, 0, AMS).getTime());
  const { handle, opened, task } = await startReview(reviewInput(POLICY_A, 'major-change-1'));

  expect(opened).toMatchObject({ state: 'open', taskId: policyReviewTaskId(POLICY_A, 'major-change-1'), previousVersion: '1.0' });
  // The task reads in the read model when the opening answers.
  expect(ctx.ports.tasks.get(opened.taskId)).toMatchObject({ kind: 'policy-review', state: 'open', ownerId: PEOPLE.owner.id });
  const openedAt = new Date(opened.openedAt);
  expect(opened.dueAt).toBe(policyReviewDueAt(openedAt, AMS).toISOString());
  // 30 calendar days, one of them 23 hours long: the same local time on 9 April (CEST).
  expect(Date.parse(opened.dueAt) - openedAt.getTime()).toBe(30 * DAY_MS - HOUR_MS);

  const status = await task.query(statusQuery);
  expect(status).toMatchObject({
    dueAt: opened.dueAt,
    subject: { type: 'policy', id: POLICY_A, name: 'AI policy' },
    title: 'Review after a major change: AI policy',
  });
  // Reminders: 14 days before (26 March, still CET: 14 x 24 h - 1 h before the due time), 3 days before (CEST).
  expect(Date.parse(opened.dueAt) - Date.parse(stepAt(status, 'remind-14d-before'))).toBe(14 * DAY_MS - HOUR_MS);
  expect(Date.parse(opened.dueAt) - Date.parse(stepAt(status, 'remind-3d-before'))).toBe(3 * DAY_MS);
  for (const key of ['remind-14d-before', 'remind-3d-before']) {
    const at = await sentAt(opened.taskId, key, stepAt(status, key));
    expect({ key, onTime: onTime(at, Date.parse(stepAt(status, key))) }).toEqual({ key, onTime: true });
  }

  // Only the owner submits; a new document needs a new version.
  const refusals: Array<[string, () => Promise<unknown>, string]> = [
    [
      'not the owner',
      () => handle.executeUpdate(submitPolicyReviewUpdate, { args: [{ by: actor(PEOPLE.peer), summary: 'x', newVersion: '2.0' }] }),
      'NotPermitted',
    ],
    [
      'new document, same version',
      () =>
        handle.executeUpdate(submitPolicyReviewUpdate, {
          args: [{ by: actor(PEOPLE.owner), summary: 'x', newVersion: '1.0', documentUrl: 'https://docs.example.test/other.pdf' }],
        }),
      'InvalidArgument',
    ],
    [
      'no version',
      () => handle.executeUpdate(submitPolicyReviewUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'x', newVersion: ' ' }] }),
      'InvalidArgument',
    ],
  ];
  for (const [what, call, type] of refusals) expect({ what, type: (await refusalOf(call())).type }).toEqual({ what, type });

  const submitted = await handle.executeUpdate(submitPolicyReviewUpdate, {
    args: [
      {
        by: actor(PEOPLE.owner),
        summary: 'Added generative AI rules',
        newVersion: '2.0',
        documentUrl: 'https://docs.example.test/ai-policy-v2.pdf',
      },
    ],
  });
  expect(submitted).toMatchObject({ state: 'submitted', outcome: 'revised', submission: { newVersion: '2.0' } });
  expect(ctx.ports.tasks.get(opened.taskId)?.state).toBe('submitted');

  // The owner never approves their own review.
  expect((await refusalOf(task.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.owner) }] }))).type).toBe('NotPermitted');
  await task.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead), comment: 'Approved' }] });
  const settled = await handle.executeUpdate(policyReviewSettledUpdate);
  expect(settled).toMatchObject({ state: 'approved', newVersion: '2.0', approvedBy: PEOPLE.lead.id, outcome: 'revised' });

  const approved = ctx.ports.policyReviewEvents.find((e) => e.status.reviewId === opened.reviewId && e.event === 'approved');
  expect(approved).toMatchObject({
    actorId: PEOPLE.lead.id,
    status: {
      policyId: POLICY_A,
      newVersion: '2.0',
      documentUrl: 'https://docs.example.test/ai-policy-v2.pdf',
      approvedBy: PEOPLE.lead.id,
    },
  });
  expect(ctx.ports.policiesById.get(POLICY_A)).toMatchObject({
    version: '2.0',
    approvedBy: PEOPLE.lead.id,
    lastReviewedAt: settled.approvedAt,
  });
  expect(await handle.result()).toMatchObject({ state: 'approved' });
  await recordHistory(handle, 'policyReview', 'revised-approved');
});

test('a rejection sends the review back; the owner resubmits a new version and top management approves it', async () => {
  const { handle, opened, task } = await startReview(reviewInput(POLICY_B, 'major-change-1'));
  await handle.executeUpdate(submitPolicyReviewUpdate, {
    args: [{ by: actor(PEOPLE.owner), summary: 'Still fits', newVersion: '1.0' }],
  });
  expect((await handle.query(policyReviewStatusQuery)).outcome).toBe('reviewed');
  // Submitted and awaiting approval: a second submission is refused by the task.
  expect(
    (
      await refusalOf(
        handle.executeUpdate(submitPolicyReviewUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'again', newVersion: '1.0' }] }),
      )
    ).type,
  ).toBe('InvalidState');

  await task.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.lead), reason: 'The new use cases are not covered' }] });
  expect((await task.query(statusQuery)).state).toBe('open');
  // The task told the review: it is the owner's again, and the review's trail says why.
  const back = await eventually(
    () => handle.query(policyReviewStatusQuery),
    (r) => r.state === 'open',
  );
  expect(back.state).toBe('open');
  expect(ctx.ports.policyReviewEvents.find((e) => e.status.reviewId === opened.reviewId && e.event === 'rejected')).toMatchObject({
    actorId: PEOPLE.lead.id,
    detail: { reason: 'The new use cases are not covered' },
  });
  const resubmitted = await handle.executeUpdate(submitPolicyReviewUpdate, {
    args: [{ by: actor(PEOPLE.owner), summary: 'Covers the new use cases', newVersion: '1.1' }],
  });
  expect(resubmitted).toMatchObject({ state: 'submitted', outcome: 'revised', submission: { newVersion: '1.1' } });
  await task.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.ceo) }] });
  expect(await handle.executeUpdate(policyReviewSettledUpdate)).toMatchObject({
    state: 'approved',
    newVersion: '1.1',
    approvedBy: PEOPLE.ceo.id,
  });
  expect(ctx.ports.policiesById.get(POLICY_B)).toMatchObject({ version: '1.1', approvedBy: PEOPLE.ceo.id });
  expect((await task.query(statusQuery)).rejections).toBe(1);
  await recordHistory(handle, 'policyReview', 'rejected-rework-approved');
  await recordHistory(task, 'governanceTask', 'rejection-told-to-parent');
});

test('a submission made on the task itself (POST /tasks/:id/submit) is "reviewed, no change": the approval keeps the version and records the review', async () => {
  const { handle, task } = await startReview(reviewInput(POLICY_D, 'major-change-1'));
  await task.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Still current' }] });
  await task.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.admin) }] });
  const settled = await handle.executeUpdate(policyReviewSettledUpdate);
  expect(settled).toMatchObject({
    state: 'approved',
    outcome: 'reviewed',
    newVersion: '1.0',
    approvedBy: PEOPLE.admin.id,
    submission: { by: PEOPLE.owner.id, summary: 'Still current', newVersion: '1.0' },
  });
  expect(ctx.ports.policiesById.get(POLICY_D)).toMatchObject({
    version: '1.0',
    approvedBy: PEOPLE.admin.id,
    lastReviewedAt: settled.approvedAt,
  });
});

test('the yearly round opens one review per policy, skipping a policy already under review, and answers once their tasks read', async () => {
  // C is under review after a major change: the round leaves it alone.
  const { opened: underReview } = await startReview(reviewInput(POLICY_C, 'major-change-1'));
  const now = new Date(await ctx.env.currentTimeMs());
  const input: OrgRoundInput = {
    cadenceId: 'org:policy-review',
    kind: 'policy-review',
    period: '2031',
    opensAt: now.toISOString(),
    endsAt: new Date(now.getTime() + 365 * DAY_MS).toISOString(),
    timeZone: AMS,
  };
  const round = await ctx.env.client.workflow.start(policyReviewRound, {
    workflowId: 'policy-review:2031',
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  started.push(round);
  const answer = await round.executeUpdate(roundOpenedUpdate);
  const expected = [policyReviewTaskId(POLICY_A, '2031'), policyReviewTaskId(POLICY_B, '2031'), policyReviewTaskId(POLICY_D, '2031')];
  expect(answer).toEqual({ roundId: 'policy-review:2031', period: '2031', taskIds: expected });
  for (const id of expected) {
    expect(ctx.ports.tasks.get(id)).toMatchObject({ kind: 'policy-review', state: 'open', cadenceId: 'org:policy-review', period: '2031' });
    started.push(ctx.env.client.workflow.getHandle(id));
  }
  expect(ctx.ports.tasks.has(policyReviewTaskId(POLICY_C, '2031'))).toBe(false);
  expect(ctx.ports.tasks.get(underReview.taskId)?.state).toBe('open');
  // The reviews were opened with the version the policy has now (A and B were revised above).
  const reviewA = await ctx.env.client.workflow.getHandle(policyReviewWorkflowId(POLICY_A, '2031')).query(policyReviewStatusQuery);
  expect(reviewA).toMatchObject({ trigger: 'yearly', previousVersion: '2.0', state: 'open' });
  expect(await round.result()).toEqual(answer);
  await recordHistory(round, 'policyReviewRound', 'skips-policy-under-review');
});
