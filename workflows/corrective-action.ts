/**
 * `correctiveAction`: ISO/IEC 42001 clause 10.2 for one nonconformity. Containment, root
 * cause and action are child governanceTasks with their own owners, due dates and ladders;
 * after a set wait someone other than the action owner checks effectiveness. "Not effective"
 * reopens the action (the loop is counted); "effective" closes the nonconformity.
 */
import {
  condition,
  executeChild,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
} from '@temporalio/workflow';
import {
  ACTIVITY_OPTIONS,
  correctiveStepInput,
  correctiveStepTaskId,
  CorrectiveActionInput,
  formKindOfTask,
  GovernanceActivities,
  initialNonconformityStatus,
  nonconformityOpenedUpdate,
  NonconformityStatus,
  nonconformityStatusQuery,
  REFUSAL,
  RefusalType,
  StepRecord,
  SubmitStepArgs,
  submitFromParentSignal,
  submitStepUpdate,
  taskChangedSignal,
  TaskStatus,
} from '../libs/contracts';
import {
  addCalendar,
  CorrectiveActionPlanDays,
  EFFECTIVENESS_OUTCOMES,
  EffectivenessOutcome,
  submissionShapeProblems,
} from '../libs/domain';
import { governanceTask } from './governance-task';
import { searchIndex } from './search-attributes';
import { nonEmpty, refuse, requireActor, snapshot } from './validation';

const { recordNonconformity } = proxyActivities<GovernanceActivities>(ACTIVITY_OPTIONS);

type OwnedStep = 'containment' | 'root-cause' | 'action' | 'effectiveness-check';

/**
 * The patch id of calendar plan days: with a zone and `planDays` in its input, a step's due
 * time and the verification wait are calendar days in the zone (the same local time), and the
 * step tasks count their ladders there. Histories recorded before it keep 24-hour days.
 */
export const CALENDAR_PLAN_PATCH = 'corrective-action-calendar-days';

/**
 * The patch id of read-your-writes: step tasks tell the case what they recorded (`tellParent:
 * 'changes'`), a step counts as open once its task's opening is recorded, and the case's
 * Updates (the opening, a step's submission) answer once what they report is in place. Histories
 * recorded before it run their steps with executeChild and tasks that tell nothing.
 */
export const CORRECTIVE_READ_YOUR_WRITES_PATCH = 'corrective-action-read-your-writes';

export async function correctiveAction(input: CorrectiveActionInput): Promise<NonconformityStatus> {
  const nowIso = () => new Date().toISOString();
  const s = initialNonconformityStatus(input, nowIso());
  const nc = { nonconformityId: input.nonconformityId, title: input.title };

  setHandler(nonconformityStatusQuery, () => snapshot(s));

  const rw = patched(CORRECTIVE_READ_YOUR_WRITES_PATCH);
  /** What each step's task last told (rw): its status once its opening is recorded, and after each change. */
  const told = new Map<string, TaskStatus>();
  const refusals = new Map<string, { type: string; message: string }>();
  const recordings: Array<Promise<unknown>> = [];
  let submitting: string | undefined;
  setHandler(taskChangedSignal, (args) => {
    const task = args?.status;
    if (!task?.taskId) return;
    told.set(task.taskId, task);
    if (args.refused) refusals.set(task.taskId, args.refused);
  });
  /** The current step's task is open and recorded, or the case waits for the check or is closed, each recorded. */
  // (Cases recorded before the patch have tasks that never tell their opening: a started step counts.)
  const settled = (): boolean =>
    s.state === 'closed' ||
    (s.currentTaskId !== undefined
      ? s.currentTaskId !== submitting && (!rw || told.get(s.currentTaskId)?.state === 'open')
      : s.step === 'verification-wait');

  setHandler(nonconformityOpenedUpdate, async () => {
    await condition(settled);
    await Promise.all(recordings);
    return snapshot(s);
  });

  function validateStep(args: SubmitStepArgs | undefined): void {
    const by = requireActor(args?.by);
    if (s.state === 'closed') refuse(REFUSAL.invalidState, `the nonconformity was closed at ${s.closedAt}`);
    if (!s.currentTaskId || args!.taskId !== s.currentTaskId)
      refuse(
        REFUSAL.invalidState,
        `task ${args!.taskId} is not the open step of this nonconformity (${s.currentTaskId ?? `now: ${s.step}`})`,
      );
    if (submitting === args!.taskId) refuse(REFUSAL.invalidState, `a submission of ${args!.taskId} is under way`);
    const owner = told.get(args!.taskId)?.ownerId;
    if (owner !== undefined && by.personId !== owner)
      refuse(REFUSAL.notPermitted, `only the owner of the work (${owner}) may submit it, not ${by.personId}`);
    if (!nonEmpty(args!.summary)) refuse(REFUSAL.invalidArgument, 'a summary of the outcome is required');
    if (args!.submission !== undefined) {
      const problems = submissionShapeProblems(args!.submission, formKindOfTask(args!.taskId, 'corrective-action-step'));
      if (problems.length) refuse(REFUSAL.invalidArgument, `the submission is malformed: ${problems.join('; ')}`);
    }
  }

  // Hands a step's submission to its task (the task validates it again: the outcome of a check),
  // and answers once the task recorded it and what follows is in place. A new handler only.
  setHandler(
    submitStepUpdate,
    async (args) => {
      validateStep(args);
      const { taskId } = args;
      submitting = taskId;
      try {
        await condition(() => !rw || told.has(taskId));
        refusals.delete(taskId);
        await getExternalWorkflowHandle(taskId).signal(submitFromParentSignal, {
          by: args.by,
          summary: args.summary,
          ...(args.evidenceUrls ? { evidenceUrls: args.evidenceUrls } : {}),
          ...(args.outcome !== undefined ? { outcome: args.outcome } : {}),
          ...(args.submission !== undefined ? { submission: args.submission } : {}),
        });
        await condition(() => told.get(taskId)?.state === 'completed' || refusals.has(taskId));
        const refused = refusals.get(taskId);
        if (refused && told.get(taskId)?.state !== 'completed') {
          refusals.delete(taskId);
          refuse(refused.type as RefusalType, refused.message);
        }
      } finally {
        submitting = undefined;
      }
      await condition(() => s.currentTaskId !== taskId && settled());
      await Promise.all(recordings);
      return snapshot(s);
    },
    { validator: validateStep },
  );

  const calendar = input.timeZone !== undefined && input.planDays !== undefined && patched(CALENDAR_PLAN_PATCH);
  /** `days` (of planDays) from now in the zone, or the old plan's ms. */
  const after = (days: keyof CorrectiveActionPlanDays, ms: number): Date =>
    calendar ? addCalendar(new Date(), { days: input.planDays![days] }, input.timeZone!) : new Date(Date.now() + ms);

  // In Temporal's visibility: the action owner, the nonconformity, open or closed, and the current step's due time.
  const searchable = searchIndex();
  const index = (): void =>
    searchable({
      kind: 'corrective-action',
      ownerId: s.actionOwnerId,
      subjectId: s.nonconformityId,
      state: s.state,
      dueAt: s.state === 'open' ? s.currentDueAt : undefined,
    });

  async function commit(event: string, actorId?: string, detail?: Record<string, unknown>): Promise<void> {
    s.version++;
    index();
    const recorded = recordNonconformity({ event, at: nowIso(), actorId, detail, status: snapshot(s) });
    recordings.push(recorded);
    await recorded;
  }

  /** Opens one step's task and waits until its owner submits it. */
  async function runStep(
    step: OwnedStep,
    ownerId: string,
    dueAt: Date,
    opts: { loop?: number; excludedOwnerIds?: string[]; outcomes?: string[] } = {},
  ): Promise<{ record: StepRecord; task: TaskStatus }> {
    const taskId = correctiveStepTaskId(input.nonconformityId, step, opts.loop);
    s.step = step;
    s.currentTaskId = taskId;
    s.currentDueAt = dueAt.toISOString();
    await commit('step-opened', undefined, { step, taskId, ownerId, dueAt: s.currentDueAt, ...(opts.loop ? { loop: opts.loop } : {}) });
    const stepInput = correctiveStepInput(nc, step, ownerId, dueAt, { ...opts, ...(calendar ? { timeZone: input.timeZone } : {}) });
    let task: TaskStatus;
    if (rw) {
      const child = await startChild(governanceTask, { workflowId: taskId, args: [{ ...stepInput, tellParent: 'changes' as const }] });
      task = await child.result();
    } else {
      task = await executeChild(governanceTask, { workflowId: taskId, args: [stepInput] });
    }
    s.currentTaskId = undefined;
    s.currentDueAt = undefined;
    const record = { taskId, by: task.submittedBy ?? task.ownerId, at: task.submittedAt ?? nowIso(), summary: task.summary ?? '' };
    return { record, task };
  }

  await commit('opened', input.openedBy, {
    source: input.source,
    grade: input.grade,
    actionOwnerId: input.actionOwnerId,
    verifierId: input.verifierId,
    plan: input.plan,
  });

  s.containment = (await runStep('containment', input.containmentOwnerId, after('containment', input.plan.containmentMs))).record;
  await commit('contained', s.containment.by, { summary: s.containment.summary });

  s.rootCause = (await runStep('root-cause', input.rootCauseOwnerId, after('rootCause', input.plan.rootCauseMs))).record;
  await commit('root-cause-found', s.rootCause.by, { summary: s.rootCause.summary });

  let actionOwnerId = input.actionOwnerId;
  for (let loop = 1; ; loop++) {
    // The verifier may never be given the action, so the check below stays independent.
    const action = await runStep('action', actionOwnerId, after('action', input.plan.actionMs), {
      loop,
      excludedOwnerIds: [input.verifierId],
    });
    actionOwnerId = action.task.ownerId;
    s.action = action.record;
    s.actions.push(action.record);
    s.actionOwnerId = actionOwnerId;
    s.step = 'verification-wait';
    s.verificationOpensAt = after('verificationWait', input.plan.verificationWaitMs).toISOString();
    await commit('action-taken', action.record.by, { loop, summary: action.record.summary, verificationOpensAt: s.verificationOpensAt });

    // Until the instant recorded, not for the wait's length after the recording: the check opens when the status said.
    await sleep(Math.max(0, Date.parse(s.verificationOpensAt) - Date.now()));
    s.verificationOpensAt = undefined;

    const check = await runStep('effectiveness-check', input.verifierId, after('effectivenessCheck', input.plan.effectivenessCheckMs), {
      loop,
      excludedOwnerIds: [actionOwnerId],
      outcomes: [...EFFECTIVENESS_OUTCOMES],
    });
    const outcome = check.task.outcome as EffectivenessOutcome;
    s.verifications.push({ ...check.record, outcome, loop });
    if (outcome === 'effective') {
      s.state = 'closed';
      s.step = 'closed';
      s.closedAt = nowIso();
      await commit('closed', check.record.by, { loop, outcome, summary: check.record.summary });
      return snapshot(s);
    }
    s.loops++;
    await commit('not-effective', check.record.by, {
      loop,
      summary: check.record.summary,
      reopens: correctiveStepTaskId(input.nonconformityId, 'action', loop + 1),
    });
  }
}
