/**
 * `managementReview`: one management review (ISO/IEC 42001 9.3), the round of the org-wide
 * cadence `org:management-review` (id `management-review:<period>`). At its start it compiles
 * its pack (the inputs of 9.3.2) and gives top management a meeting task; participants propose
 * improvements until top management record their decisions (9.3.3). Each decided action becomes
 * a `management-review-action` task that outlives the review, which the next review reports on.
 */
import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import {
  ACTIVITY_OPTIONS,
  DecidedAction,
  GovernanceActivities,
  GovernanceTaskInput,
  IMPROVEMENT_PROPOSER_ROLES,
  managementReviewActionTaskId,
  ManagementReviewActivities,
  managementReviewMeetingTaskId,
  ManagementReviewStatus,
  managementReviewStatusQuery,
  OrgRoundInput,
  orgRoundWorkflowId,
  PersonRef,
  proposeImprovementUpdate,
  READ_ACTIVITY_OPTIONS,
  RecordDecisionsArgs,
  recordDecisionsUpdate,
  REFUSAL,
  REVIEW_DECIDER_ROLE,
  RefusalType,
  roundOpenedUpdate,
  submitFromParentSignal,
  taskChangedSignal,
  TaskStatus,
} from '../libs/contracts';
import { addCalendar, DEFAULT_LADDER, decisionProblems, MANAGEMENT_REVIEW_MEETING_DUE, previousPeriodOpening } from '../libs/domain';
import { governanceTask } from './governance-task';
import { nonEmpty, refuse, requireActor, snapshot } from './validation';

const { recordManagementReview } = proxyActivities<ManagementReviewActivities>(ACTIVITY_OPTIONS);
const { compileManagementReviewPack, loadInactivePeople } = proxyActivities<ManagementReviewActivities>(READ_ACTIVITY_OPTIONS);
const { loadPeopleByRole } = proxyActivities<GovernanceActivities>(READ_ACTIVITY_OPTIONS);

/** Longest proposal or decision text kept (the API refuses longer ones field by field). */
const MAX_TEXT = 4000;

export async function managementReview(input: OrgRoundInput): Promise<ManagementReviewStatus> {
  const nowIso = () => new Date().toISOString();
  const reviewId = orgRoundWorkflowId('management-review', input.period);
  const subject = { type: 'management-review' as const, id: reviewId, name: `Management review ${input.period}` };
  const s: ManagementReviewStatus = {
    reviewId,
    period: input.period,
    cadenceId: input.cadenceId,
    state: 'open',
    openedAt: nowIso(),
    opensAt: input.opensAt,
    endsAt: input.endsAt,
    proposals: [],
    decisions: [],
    version: 0,
  };
  setHandler(managementReviewStatusQuery, () => snapshot(s));

  /** What each child task last told: its status once its opening is recorded, and (the meeting) each change. */
  const told = new Map<string, TaskStatus>();
  const refusals = new Map<string, { type: string; message: string }>();
  setHandler(taskChangedSignal, (args) => {
    const task = args?.status;
    if (!task?.taskId) return;
    told.set(task.taskId, task);
    if (args.refused) refusals.set(task.taskId, args.refused);
  });

  const recordings: Array<Promise<unknown>> = [];
  async function commit(event: string, actorId?: string, detail?: Record<string, unknown>): Promise<void> {
    s.version++;
    const recorded = recordManagementReview({ event, at: nowIso(), actorId, detail, status: snapshot(s) });
    recordings.push(recorded);
    await recorded;
  }

  /** Decisions are being recorded: no more proposals, no second recording. */
  let deciding = false;
  const meetingTaskId = managementReviewMeetingTaskId(input.period);
  const meetingOpen = (): boolean => told.get(meetingTaskId)?.state === 'open';
  setHandler(roundOpenedUpdate, async () => {
    await condition(() => told.has(meetingTaskId) || s.state === 'closed');
    await Promise.all(recordings);
    return { roundId: reviewId, period: input.period, taskIds: [meetingTaskId] };
  });

  // ---- Proposals (9.3.2 e) ----------------------------------------------------------------

  setHandler(
    proposeImprovementUpdate,
    async ({ by, text }) => {
      s.proposals.push({ by: by.personId, role: by.role, text: text.trim(), at: nowIso() });
      await commit('improvement-proposed', by.personId, { text: text.trim() });
      return snapshot(s);
    },
    {
      validator: (args) => {
        const by = requireActor(args?.by);
        if (!(IMPROVEMENT_PROPOSER_ROLES as readonly string[]).includes(by.role))
          refuse(
            REFUSAL.notPermitted,
            `role ${by.role} may not propose improvements; allowed roles: ${IMPROVEMENT_PROPOSER_ROLES.join(', ')}`,
          );
        if (s.state !== 'open' || deciding)
          refuse(REFUSAL.invalidState, `the review ${reviewId} has its decisions: proposals are made before the meeting`);
        if (!nonEmpty(args.text)) refuse(REFUSAL.invalidArgument, 'the proposal needs a non-empty text');
        if (args.text.length > MAX_TEXT) refuse(REFUSAL.invalidArgument, `the proposal is longer than ${MAX_TEXT} characters`);
      },
    },
  );

  // ---- Decisions (9.3.3) -------------------------------------------------------------------

  function validateDecisions(args: RecordDecisionsArgs | undefined): void {
    const by = requireActor(args?.by);
    if (by.role !== REVIEW_DECIDER_ROLE)
      refuse(REFUSAL.notPermitted, `only top management (role ${REVIEW_DECIDER_ROLE}) decide, not ${by.role}`);
    if (s.state !== 'open') refuse(REFUSAL.invalidState, `the review ${reviewId} was closed at ${s.closedAt}`);
    if (deciding) refuse(REFUSAL.invalidState, `decisions of ${reviewId} are being recorded`);
    if (!meetingOpen()) refuse(REFUSAL.invalidState, `the meeting task of ${reviewId} is not open yet`);
    const owner = told.get(meetingTaskId)!.ownerId;
    if (by.personId !== owner)
      refuse(
        REFUSAL.notPermitted,
        `the meeting task ${meetingTaskId} is owned by ${owner}: only they record its decisions, not ${by.personId}`,
      );
    const problems = decisionProblems(args!.decisions, new Date());
    if (problems.length) refuse(REFUSAL.invalidArgument, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    if (args!.minutes !== undefined && typeof args!.minutes !== 'string') refuse(REFUSAL.invalidArgument, 'minutes must be a text');
  }

  /** The decided actions' tasks, followed until each finishes. */
  const actionTasks: Array<{ action: DecidedAction; result: Promise<TaskStatus> }> = [];

  /** Starts a decided action's task: its own workflow, owed after the review closes. */
  async function startAction(action: DecidedAction): Promise<void> {
    const taskInput: GovernanceTaskInput = {
      kind: 'management-review-action',
      title: action.title,
      subject,
      ownerId: action.ownerId,
      // Approved by someone else (the task never lets its owner or submitter approve).
      approverRoles: ['management', 'governance_lead', 'admin'],
      dueAt: action.dueAt,
      ladder: DEFAULT_LADDER,
      timeZone: input.timeZone,
      cadenceId: input.cadenceId,
      period: input.period,
      tellParent: 'opening',
    };
    const child = await startChild(governanceTask, {
      workflowId: action.taskId,
      args: [taskInput],
      // The action is owed whatever becomes of the review; the next review reports on it.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    actionTasks.push({ action, result: child.result() });
  }

  setHandler(
    recordDecisionsUpdate,
    async (args) => {
      deciding = true;
      try {
        const owners = [...new Set(args.decisions.flatMap((d) => (d.action ? [d.action.ownerId] : [])))];
        const inactive = owners.length ? await loadInactivePeople(owners) : [];
        if (inactive.length)
          refuse(REFUSAL.invalidArgument, `an action's owner must be an active person; not active: ${inactive.join(', ')}`);
      } catch (err) {
        deciding = false;
        throw err;
      }
      let n = 0;
      s.decisions = args.decisions.map((d, i) => ({
        n: i + 1,
        text: d.text.trim(),
        type: d.type,
        ...(d.action
          ? {
              action: {
                taskId: managementReviewActionTaskId(input.period, ++n),
                title: d.action.title.trim(),
                ownerId: d.action.ownerId,
                dueAt: new Date(d.action.dueAt).toISOString(),
                state: 'open' as const,
              },
            }
          : {}),
      }));
      s.decidedBy = args.by.personId;
      s.decidedAt = nowIso();
      if (nonEmpty(args.minutes)) s.minutes = args.minutes.trim();
      await commit('decided', args.by.personId, { decisions: s.decisions.length, actions: n });

      const actions = s.decisions.flatMap((d) => (d.action ? [d] : []));
      for (const d of actions) await startAction(d.action!);
      // Each action's task reads in the read model before the answer.
      await condition(() => actions.every((d) => told.has(d.action!.taskId)));

      // The meeting's work is the decisions: its task completes with them (no approval step).
      refusals.delete(meetingTaskId);
      await getExternalWorkflowHandle(meetingTaskId).signal(submitFromParentSignal, {
        by: args.by,
        summary: s.minutes ?? `${s.decisions.length} decision(s) recorded, ${n} action(s) opened`,
      });
      await condition(() => told.get(meetingTaskId)?.state === 'completed' || refusals.has(meetingTaskId));
      const refused = refusals.get(meetingTaskId);
      if (refused && told.get(meetingTaskId)?.state !== 'completed') {
        deciding = false;
        refuse(refused.type as RefusalType, refused.message);
      }
      await condition(() => s.state === 'closed');
      await Promise.all(recordings);
      return snapshot(s);
    },
    { validator: validateDecisions },
  );

  // ---- The round ---------------------------------------------------------------------------

  await commit('opened', undefined, { period: input.period, opensAt: input.opensAt, endsAt: input.endsAt });

  const fallbackSince = previousPeriodOpening(new Date(input.opensAt), new Date(input.endsAt), input.timeZone).toISOString();
  s.pack = await compileManagementReviewPack({ reviewId, at: nowIso(), fallbackSince, timeZone: input.timeZone });
  await commit('pack-compiled', undefined, { since: s.pack.since, previousReviewId: s.pack.previousReviewId });

  const chair = await meetingOwner();
  // Due counted from the review's opening, whatever the pack took to compile.
  const dueAt = addCalendar(new Date(s.openedAt), MANAGEMENT_REVIEW_MEETING_DUE, input.timeZone).toISOString();
  s.meetingTaskId = meetingTaskId;
  s.meetingOwnerId = chair.id;
  s.meetingDueAt = dueAt;
  await commit('meeting-opened', undefined, { taskId: meetingTaskId, ownerId: chair.id, dueAt });
  const meeting = await startChild(governanceTask, {
    workflowId: meetingTaskId,
    args: [
      {
        kind: 'management-review',
        title: `Management review ${input.period}: hold the meeting and record the decisions`,
        subject,
        ownerId: chair.id,
        approverRoles: [],
        dueAt,
        ladder: DEFAULT_LADDER,
        timeZone: input.timeZone,
        cadenceId: input.cadenceId,
        period: input.period,
        tellParent: 'changes',
      },
    ],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });

  // The meeting ends with the decisions, or (its task submitted directly) with none.
  await meeting.result();
  await condition(() => !deciding || told.get(meetingTaskId)?.state === 'completed');
  const ended = told.get(meetingTaskId);
  s.meetingOwnerId = ended?.ownerId ?? s.meetingOwnerId;
  s.state = 'closed';
  s.closedAt = nowIso();
  await commit('closed', ended?.submittedBy, { decisions: s.decisions.length });

  // The review follows its actions to their end, so its record shows how each one ended.
  await Promise.all(
    actionTasks.map(async ({ action, result }) => {
      const done = await result;
      action.state = done.state;
      await commit('action-finished', done.approvedBy ?? done.submittedBy, { taskId: action.taskId, state: done.state });
    }),
  );
  await Promise.all(recordings);
  return snapshot(s);

  /**
   * Top management chair the meeting: the first active `management` person. With none on record
   * the AIMS owner (a governance lead) holds it, else an admin, as admins stand in for an empty top
   * of the escalation chain; only top management can record its decisions once it is reassigned.
   */
  async function meetingOwner(): Promise<PersonRef> {
    for (const role of ['management', 'governance_lead', 'admin'] as const) {
      const people = await loadPeopleByRole(role);
      if (people.length) return people[0];
    }
    throw ApplicationFailure.create({
      type: 'NoTopManagement',
      message: 'no active top management (role management), governance lead or admin to hold the management review',
      nonRetryable: true,
    });
  }
}
