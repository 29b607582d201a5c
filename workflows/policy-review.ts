/**
 * `policyReview`: one review of one AI policy (ISO/IEC 42001 A.2.4), yearly or after a major
 * change. Its owner's work is a child governanceTask (reminders, escalation, approval by
 * someone other than the owner, rework on rejection); the owner submits through this workflow
 * (the version after the review), which hands the submission to the task. The approval, given
 * on the task, ends the task; the review then records the new version on the policy.
 */
import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import {
  ACTIVITY_OPTIONS,
  initialPolicyReviewStatus,
  PolicyActivities,
  policyReviewOpenedUpdate,
  PolicyReviewInput,
  policyReviewSettledUpdate,
  PolicyReviewStatus,
  policyReviewStatusQuery,
  policyReviewTaskInput,
  REFUSAL,
  RefusalType,
  SubmitPolicyReviewArgs,
  submitFromParentSignal,
  submitPolicyReviewUpdate,
  taskChangedSignal,
  TaskStatus,
} from '../libs/contracts';
import { policyReviewOutcome } from '../libs/domain';
import { governanceTask } from './governance-task';
import { nonEmpty, refuse, requireActor, snapshot } from './validation';

const { recordPolicyReview } = proxyActivities<PolicyActivities>(ACTIVITY_OPTIONS);

export async function policyReview(input: PolicyReviewInput): Promise<PolicyReviewStatus> {
  const nowIso = () => new Date().toISOString();
  const s = initialPolicyReviewStatus(input, input.openedAt ? new Date(input.openedAt) : new Date());
  setHandler(policyReviewStatusQuery, () => snapshot(s));

  /** What the task last told (its opening, each recorded change, the answer to a handed-on submission). */
  let task: TaskStatus | undefined;
  let told = 0;
  let refused: { type: string; message: string } | undefined;
  setHandler(taskChangedSignal, (args) => {
    if (args?.status?.taskId !== s.taskId) return;
    task = args.status;
    told++;
    if (args.refused) refused = args.refused;
  });
  /** The task was sent back to its owner since the review recorded the submission (told by the task). */
  const rejected = (): boolean =>
    s.state === 'submitted' && !submitting && task?.state === 'open' && (task.rejections ?? 0) > recordedRejections;
  let recordedRejections = 0;

  const takeRefusal = (): { type: string; message: string } | undefined => {
    const why = refused;
    refused = undefined;
    return why;
  };

  const recordings: Array<Promise<unknown>> = [];
  async function commit(event: string, actorId?: string, detail?: Record<string, unknown>): Promise<void> {
    s.version++;
    const recorded = recordPolicyReview({ event, at: nowIso(), actorId, detail, status: snapshot(s) });
    recordings.push(recorded);
    await recorded;
  }

  let ended = false;
  setHandler(policyReviewOpenedUpdate, async () => {
    await condition(() => s.state !== 'opening');
    await Promise.all(recordings);
    return snapshot(s);
  });
  setHandler(policyReviewSettledUpdate, async () => {
    await condition(() => ended);
    await Promise.all(recordings);
    return snapshot(s);
  });

  let submitting = false;
  /** The task's submission count after the last submission handed on: a higher one came to the task directly. */
  let handedSubmissions = -1;
  function validateSubmit(args: SubmitPolicyReviewArgs | undefined): void {
    const by = requireActor(args?.by);
    if (s.state === 'opening') refuse(REFUSAL.invalidState, 'the review is still opening');
    if (s.state === 'approved' || s.state === 'cancelled') refuse(REFUSAL.invalidState, `the review is ${s.state}`);
    if (submitting) refuse(REFUSAL.invalidState, 'a submission of this review is under way');
    const owner = task?.ownerId ?? s.ownerId;
    if (by.personId !== owner)
      refuse(REFUSAL.notPermitted, `only the owner of the policy review (${owner}) may submit it, not ${by.personId}`);
    if (!nonEmpty(args!.summary)) refuse(REFUSAL.invalidArgument, 'a summary of the review is required');
    const r = policyReviewOutcome({ version: s.previousVersion, documentUrl: s.previousDocumentUrl }, args!);
    if ('problem' in r) refuse(REFUSAL.invalidArgument, r.problem.message);
  }

  setHandler(
    submitPolicyReviewUpdate,
    async (args) => {
      validateSubmit(args);
      submitting = true;
      let answer: TaskStatus | undefined;
      try {
        refused = undefined;
        const seen = told;
        await getExternalWorkflowHandle(s.taskId).signal(submitFromParentSignal, {
          by: args.by,
          summary: args.summary,
          ...(args.evidenceUrls ? { evidenceUrls: args.evidenceUrls } : {}),
        });
        // The task answers a handed-on submission in every case: applied (submitted) or refused.
        await condition(() => refused !== undefined || (told > seen && task?.state === 'submitted'));
        const why = takeRefusal();
        if (why) refuse(why.type as RefusalType, why.message);
        answer = task!;
      } finally {
        submitting = false;
      }
      const r = policyReviewOutcome({ version: s.previousVersion, documentUrl: s.previousDocumentUrl }, args);
      const outcome = 'outcome' in r ? r.outcome : 'reviewed';
      handedSubmissions = answer.submissions;
      s.state = 'submitted';
      s.outcome = outcome;
      s.submission = {
        by: args.by.personId,
        at: answer.submittedAt ?? nowIso(),
        summary: answer.summary ?? args.summary.trim(),
        newVersion: args.newVersion.trim(),
        documentUrl: args.documentUrl ?? s.previousDocumentUrl,
        outcome,
        evidenceUrls: answer.evidenceUrls ?? [],
      };
      await commit('submitted', args.by.personId, { ...s.submission });
      return snapshot(s);
    },
    { validator: validateSubmit },
  );

  await commit('opened', input.openedBy, {
    trigger: input.trigger,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    taskId: s.taskId,
    dueAt: s.dueAt,
    version: s.previousVersion,
  });
  const child = await startChild(governanceTask, {
    workflowId: s.taskId,
    args: [policyReviewTaskInput(input, s.dueAt)],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });
  let final: TaskStatus | undefined;
  let failed: unknown;
  child.result().then(
    (r) => void (final = r),
    (err) => void (failed = err ?? new Error('the task failed')),
  );
  await condition(() => task !== undefined || final !== undefined || failed !== undefined);
  if (task) {
    s.state = 'open';
    s.ownerId = task.ownerId;
    await commit('task-opened', undefined, { taskId: s.taskId, dueAt: task.dueAt });
    await tellRound(task);
  }

  for (;;) {
    await condition(() => final !== undefined || failed !== undefined || rejected());
    if (final !== undefined || failed !== undefined) break;
    // Rejected: the work is the owner's again (the task's rework loop); the review says so.
    const t = task!;
    recordedRejections = t.rejections;
    s.state = 'open';
    await commit('rejected', t.lastRejection?.by, { reason: t.lastRejection?.reason, rejections: t.rejections });
  }
  if (failed)
    throw failed instanceof ApplicationFailure ? failed : ApplicationFailure.nonRetryable(`policy review task ${s.taskId} failed`);
  const done = final!;
  if (done.state === 'approved') {
    // A submission made on the task itself (POST /tasks/:id/submit) named no new version: reviewed, no change.
    const sub =
      s.submission && done.submissions === handedSubmissions
        ? s.submission
        : {
            by: done.submittedBy ?? done.ownerId,
            at: done.submittedAt ?? nowIso(),
            summary: done.summary ?? '',
            newVersion: s.previousVersion,
            documentUrl: s.previousDocumentUrl,
            outcome: 'reviewed' as const,
            evidenceUrls: done.evidenceUrls ?? [],
          };
    s.submission = sub;
    s.state = 'approved';
    s.outcome = sub.outcome;
    s.newVersion = sub.newVersion;
    s.documentUrl = sub.documentUrl;
    s.approvedBy = done.approvedBy;
    s.approvedAt = done.approvedAt ?? nowIso();
    await commit('approved', done.approvedBy, {
      outcome: sub.outcome,
      previousVersion: s.previousVersion,
      newVersion: sub.newVersion,
      documentUrl: sub.documentUrl,
      approvedBy: done.approvedBy,
    });
  } else {
    s.state = 'cancelled';
    s.cancelledAt = done.cancellation?.at ?? nowIso();
    await commit('cancelled', done.cancellation?.by, { reason: done.cancellation?.reason });
  }
  ended = true;
  await condition(() => submitting === false);
  return snapshot(s);
}

/** A review opened by the yearly round tells the round when its task reads, as a task tells its parent. */
async function tellRound(task: TaskStatus): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(taskChangedSignal, { status: task });
  } catch {
    // The round has completed: nobody waits for this.
  }
}
