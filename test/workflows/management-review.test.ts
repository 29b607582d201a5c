/**
 * managementReview (ISO/IEC 42001 9.3) under the time-skipping server: two reviews in a row.
 * The first compiles its pack, takes proposals, refuses bad decisions (a non-management
 * person, an inactive owner, a due time past) and keeps running, then records decisions whose
 * actions become tasks (owners, due times exact). One action is done, one left overdue and
 * escalated; the second review's pack reports both, the audit results and the open
 * nonconformities. The meeting task's reminders and escalation run at their exact times.
 */
import { WorkflowHandle } from '@temporalio/client';
import {
  approveUpdate,
  DecisionInput,
  managementReviewActionTaskId,
  managementReviewMeetingTaskId,
  managementReviewStatusQuery,
  nonconformityOpenedUpdate,
  nonconformityWorkflowId,
  OrgRoundInput,
  orgRoundWorkflowId,
  proposeImprovementUpdate,
  RecordDecisionsArgs,
  recordDecisionsUpdate,
  REFUSAL,
  roundOpenedUpdate,
  submitUpdate,
} from '../../libs/contracts';
import { addCalendar, DAY_MS, DEFAULT_LADDER, occurrenceAt } from '../../libs/domain';
import { correctiveAction, managementReview } from '../../workflows';
import { recordHistory } from '../support/histories';
import {
  actor,
  auditFindingInput,
  eventually,
  expectRefusedUnchanged,
  iso,
  onTime,
  PEOPLE,
  sleepUntil,
  startWorkflowTestContext,
  WorkflowTestContext,
} from './fixtures';

jest.setTimeout(180_000);

const TZ = 'Europe/Amsterdam';
let ctx: WorkflowTestContext;

beforeAll(async () => {
  ctx = await startWorkflowTestContext('management-review');
});

afterAll(async () => {
  await ctx?.stop();
});

function roundInput(period: string, opensAtMs: number): OrgRoundInput {
  const opensAt = new Date(opensAtMs);
  return {
    cadenceId: 'org:management-review',
    kind: 'management-review',
    period,
    opensAt: opensAt.toISOString(),
    endsAt: addCalendar(opensAt, { months: 12 }, TZ).toISOString(),
    timeZone: TZ,
  };
}

async function startReview(period: string): Promise<{ handle: WorkflowHandle<typeof managementReview>; startedAt: number }> {
  const startedAt = await ctx.env.currentTimeMs();
  const handle = await ctx.env.client.workflow.start(managementReview, {
    workflowId: orgRoundWorkflowId('management-review', period),
    taskQueue: ctx.taskQueue,
    args: [roundInput(period, startedAt)],
  });
  // The round answers once its meeting task is recorded: it reads in the read model at once.
  const opened = await handle.executeUpdate(roundOpenedUpdate);
  expect(opened).toEqual({ roundId: `management-review:${period}`, period, taskIds: [managementReviewMeetingTaskId(period)] });
  expect(ctx.ports.tasks.get(managementReviewMeetingTaskId(period))).toMatchObject({ state: 'open', ownerId: PEOPLE.ceo.id });
  return { handle, startedAt };
}

const review = (h: WorkflowHandle<typeof managementReview>) => h.query(managementReviewStatusQuery);
const decide = (h: WorkflowHandle<typeof managementReview>, args: RecordDecisionsArgs) =>
  h.executeUpdate(recordDecisionsUpdate, { args: [args] });

test('two management reviews in a row: the first one decides actions, the second one reports on them', async () => {
  // ---- Review 2026 -------------------------------------------------------------------------
  const { handle: first, startedAt: t0 } = await startReview('2026');
  await ctx.env.sleep(DAY_MS);
  const s0 = await review(first);
  expect(s0).toMatchObject({ reviewId: 'management-review:2026', state: 'open', meetingOwnerId: PEOPLE.ceo.id, decisions: [] });
  // No earlier review: changes count from the period before this one (a year back, in the zone).
  expect(s0.pack).toMatchObject({
    previousReviewId: null,
    previousActions: [],
    since: addCalendar(new Date(t0), { months: -12 }, TZ).toISOString(),
  });
  expect(s0.pack!.changes.regimes).toMatch(/not tracked/);
  // The meeting is due 30 calendar days after the opening, at the same local time.
  const meeting1 = ctx.ports.tasks.get(managementReviewMeetingTaskId('2026'))!;
  expect(meeting1.dueAt).toBe(addCalendar(new Date(s0.openedAt), { days: 30 }, TZ).toISOString());
  expect(onTime(meeting1.openedAt, Date.parse(s0.openedAt))).toBe(true);

  // Proposals before the meeting (9.3.2 e): governance lead and top management; an owner may not.
  await first.executeUpdate(proposeImprovementUpdate, { args: [{ by: actor(PEOPLE.lead), text: 'Automate the drift monitoring' }] });
  await first.executeUpdate(proposeImprovementUpdate, { args: [{ by: actor(PEOPLE.ceo), text: 'Train the product teams on A.6' }] });

  const now = await ctx.env.currentTimeMs();
  const dueA = addCalendar(new Date(now), { days: 20 }, TZ).toISOString();
  const dueB = addCalendar(new Date(now), { days: 40 }, TZ).toISOString();
  const decisions: DecisionInput[] = [
    {
      text: 'Monitor drift on every high-risk system',
      type: 'improvement',
      action: { title: 'Roll out drift monitoring', ownerId: PEOPLE.owner.id, dueAt: dueA },
    },
    {
      text: 'One more auditor',
      type: 'resources',
      action: { title: 'Hire a second internal auditor', ownerId: PEOPLE.peer.id, dueAt: dueB },
    },
    { text: 'Keep the AI policy as it is', type: 'aims-change' },
  ];
  ctx.ports.inactive.add(PEOPLE.manager.id);
  await expectRefusedUnchanged(first, () => review(first), [
    [
      'an owner proposes',
      () => first.executeUpdate(proposeImprovementUpdate, { args: [{ by: actor(PEOPLE.owner), text: 'x' }] }),
      REFUSAL.notPermitted,
      /may not propose/,
    ],
    ['a governance lead decides', () => decide(first, { by: actor(PEOPLE.lead), decisions }), REFUSAL.notPermitted, /only top management/],
    [
      'an inactive owner',
      () =>
        decide(first, {
          by: actor(PEOPLE.ceo),
          decisions: [{ ...decisions[0], action: { ...decisions[0].action!, ownerId: PEOPLE.manager.id } }],
        }),
      REFUSAL.invalidArgument,
      /not active: p-manager/,
    ],
    [
      'a due time past',
      () =>
        decide(first, {
          by: actor(PEOPLE.ceo),
          decisions: [{ ...decisions[0], action: { ...decisions[0].action!, dueAt: iso(now - DAY_MS) } }],
        }),
      REFUSAL.invalidArgument,
      /decisions\[0\]\.action\.dueAt/,
    ],
    [
      'an empty text',
      () => decide(first, { by: actor(PEOPLE.ceo), decisions: [{ text: ' ', type: 'improvement' }] }),
      REFUSAL.invalidArgument,
      /decisions\[0\]\.text/,
    ],
  ]);
  ctx.ports.inactive.clear();

  const decided = await decide(first, { by: actor(PEOPLE.ceo), decisions, minutes: 'Reviewed the 2026 pack.' });
  const actionA = managementReviewActionTaskId('2026', 1);
  const actionB = managementReviewActionTaskId('2026', 2);
  expect(decided).toMatchObject({ state: 'closed', decidedBy: PEOPLE.ceo.id, minutes: 'Reviewed the 2026 pack.' });
  expect(decided.proposals.map((p) => [p.by, p.text])).toEqual([
    [PEOPLE.lead.id, 'Automate the drift monitoring'],
    [PEOPLE.ceo.id, 'Train the product teams on A.6'],
  ]);
  expect(decided.decisions).toEqual([
    {
      n: 1,
      text: decisions[0].text,
      type: 'improvement',
      action: { taskId: actionA, title: 'Roll out drift monitoring', ownerId: PEOPLE.owner.id, dueAt: dueA, state: 'open' },
    },
    {
      n: 2,
      text: decisions[1].text,
      type: 'resources',
      action: { taskId: actionB, title: 'Hire a second internal auditor', ownerId: PEOPLE.peer.id, dueAt: dueB, state: 'open' },
    },
    { n: 3, text: decisions[2].text, type: 'aims-change' },
  ]);
  // The answer came once the action tasks were recorded open, with their owners and due times.
  expect(ctx.ports.tasks.get(actionA)).toMatchObject({
    kind: 'management-review-action',
    state: 'open',
    ownerId: PEOPLE.owner.id,
    dueAt: dueA,
  });
  expect(ctx.ports.tasks.get(actionB)).toMatchObject({
    kind: 'management-review-action',
    state: 'open',
    ownerId: PEOPLE.peer.id,
    dueAt: dueB,
  });
  expect(ctx.ports.tasks.get(managementReviewMeetingTaskId('2026'))).toMatchObject({ state: 'completed', submittedBy: PEOPLE.ceo.id });
  expect(ctx.ports.reviews.get('management-review:2026')).toMatchObject({ state: 'closed', version: decided.version });
  await recordHistory(first, 'managementReview', 'decided-with-actions');

  // Action A is done (approved by someone else); B is left overdue and climbs the ladder.
  await ctx.env.sleep(DAY_MS);
  const a = ctx.env.client.workflow.getHandle(actionA);
  await a.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Drift monitoring live on all high systems' }] });
  await ctx.env.sleep(60_000);
  await a.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead) }] });
  // The closed review follows its actions to their end (its workflow completes with the last one).
  const followed = await eventually(
    () => review(first),
    (r) => r.decisions[0].action?.state === 'approved',
  );
  expect(followed.decisions.map((d) => d.action?.state)).toEqual(['approved', 'open', undefined]);
  expect((await first.describe()).status.name).toBe('RUNNING');
  const leadEscalationB = occurrenceAt(
    DEFAULT_LADDER.find((st) => st.key === 'escalate-governance-lead')!,
    new Date(dueB),
    0,
    TZ,
  ).getTime();
  await sleepUntil(ctx.env, leadEscalationB + DAY_MS);
  const escalated = await eventually(
    async () => ctx.ports.notificationsFor(actionB).find((n) => n.notificationKey === 'escalate-governance-lead'),
    (n) => n !== undefined,
  );
  expect(onTime(escalated!.at, leadEscalationB)).toBe(true);

  // Findings of the year's audit programme (fake rows of the audit helper's tables) and an open nonconformity.
  ctx.ports.auditResults = {
    recorded: true,
    programmes: [
      { id: 'internal-audit:2027', period: '2027', state: 'closed', openedAt: iso(t0 + 5 * DAY_MS), closedAt: iso(t0 + 30 * DAY_MS) },
    ],
    findingsByGrade: { conformity: 30, minor: 2, observation: 1 },
    nonconformitiesRaised: 2,
  };
  const ncId = '0b9f6f3e-6a8e-4d53-9d2a-6b1f5e0a7c11';
  const nc = await ctx.env.client.workflow.start(correctiveAction, {
    workflowId: nonconformityWorkflowId(ncId),
    taskQueue: ctx.taskQueue,
    args: [auditFindingInput(ncId, { ref: 'finding-1', title: 'A.6.2.6 monitoring gaps', description: 'No drift thresholds' })],
  });
  await nc.executeUpdate(nonconformityOpenedUpdate);

  // ---- Review 2027 -------------------------------------------------------------------------
  const { handle: second } = await startReview('2027');
  const pack = (await review(second)).pack!;
  expect(pack.previousReviewId).toBe('management-review:2026');
  expect(pack.since).toBe(s0.openedAt);
  const doneA = ctx.ports.tasks.get(actionA)!;
  expect(pack.previousActions).toEqual([
    expect.objectContaining({
      taskId: actionA,
      reviewId: 'management-review:2026',
      state: 'approved',
      overdue: false,
      doneAt: doneA.submittedAt,
    }),
    expect.objectContaining({
      taskId: actionB,
      reviewId: 'management-review:2026',
      ownerId: PEOPLE.peer.id,
      state: 'open',
      dueAt: dueB,
      overdue: true,
      escalationLevel: 2,
      escalation: 'governance_lead',
    }),
  ]);
  expect(pack.performance.audits).toEqual(ctx.ports.auditResults);
  expect(pack.performance.nonconformities).toMatchObject({
    open: 1,
    openedSince: 1,
    openList: [expect.objectContaining({ id: ncId, grade: 'minor', sourceType: 'audit-finding' })],
  });
  // Overdue work now: action B at the governance lead's level.
  expect(pack.performance.monitoring.overdueByEscalationLevel.find((l) => l.level === 'governance_lead')!.count).toBeGreaterThanOrEqual(1);

  // The meeting task's ladder: reminders before and on the due day, escalation after, at exact times.
  const meeting2Id = managementReviewMeetingTaskId('2027');
  const meeting2 = ctx.ports.tasks.get(meeting2Id)!;
  const due2 = new Date(meeting2.dueAt);
  expect(meeting2.dueAt).toBe(addCalendar(new Date((await review(second)).openedAt), { days: 30 }, TZ).toISOString());
  expect(onTime(meeting2.openedAt, Date.parse((await review(second)).openedAt))).toBe(true);
  const managerEscalation = occurrenceAt(
    DEFAULT_LADDER.find((st) => st.key === 'escalate-manager')!,
    due2,
    0,
    TZ,
  ).getTime();
  await sleepUntil(ctx.env, managerEscalation + DAY_MS);
  const log = await eventually(
    async () => ctx.ports.notificationsFor(meeting2Id),
    (l) => l.some((n) => n.notificationKey === 'escalate-manager'),
  );
  for (const key of ['remind-14d-before', 'remind-3d-before', 'remind-1d-before', 'remind-due', 'escalate-manager']) {
    const step = DEFAULT_LADDER.find((st) => st.key === key)!;
    const sent = log.find((n) => n.notificationKey === key);
    expect({ key, onTime: onTime(sent?.at, occurrenceAt(step, due2, 0, TZ).getTime()) }).toEqual({ key, onTime: true });
  }
  // Top management have no manager: the escalation passes up the chain (named unfilled).
  expect(log.find((n) => n.notificationKey === 'escalate-manager')!.unfilledLevels).toEqual(['manager']);

  const closed = await decide(second, { by: actor(PEOPLE.ceo), decisions: [{ text: 'Carry the hiring action over', type: 'resources' }] });
  expect(closed).toMatchObject({ state: 'closed', decisions: [{ n: 1, type: 'resources' }] });
});
