/**
 * `policyReviewRound`: the yearly review of every AI policy (ISO/IEC 42001 A.2.4), the round
 * `policy-review:<period>` the Schedule `org:policy-review` opens. One `policyReview` per
 * policy (`policy:<id>:review:<period>`, abandoned: each runs its own 30 days), skipping a
 * policy already under review (a major change's review still open).
 */
import {
  allHandlersFinished,
  condition,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  OrgRoundInput,
  OrgRoundOpened,
  PolicyActivities,
  policyReviewTaskId,
  policyReviewWorkflowId,
  READ_ACTIVITY_OPTIONS,
  roundOpenedUpdate,
  taskChangedSignal,
} from '../libs/contracts';
import { policyReview } from './policy-review';

const { loadPoliciesForReview } = proxyActivities<PolicyActivities>(READ_ACTIVITY_OPTIONS);

export async function policyReviewRound(input: OrgRoundInput): Promise<OrgRoundOpened> {
  const roundId = workflowInfo().workflowId;
  const readable = new Set<string>();
  setHandler(taskChangedSignal, (args) => {
    if (args?.status?.taskId) readable.add(args.status.taskId);
  });
  const taskIds: string[] = [];
  let opened = false;
  setHandler(roundOpenedUpdate, async () => {
    await condition(() => opened);
    return { roundId, period: input.period, taskIds: [...taskIds] };
  });

  for (const p of await loadPoliciesForReview()) {
    if (p.openReviewId) continue;
    const { openReviewId: _open, ...policy } = p;
    try {
      await startChild(policyReview, {
        workflowId: policyReviewWorkflowId(p.id, input.period),
        args: [{ policy, key: input.period, trigger: 'yearly', timeZone: input.timeZone, cadenceId: input.cadenceId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      // This period's review of the policy exists already.
      if (err instanceof WorkflowExecutionAlreadyStartedError) continue;
      throw err;
    }
    taskIds.push(policyReviewTaskId(p.id, input.period));
  }
  // Each review tells the round once its task's opening is recorded.
  await condition(() => taskIds.every((id) => readable.has(id)));
  opened = true;
  await condition(allHandlersFinished);
  return { roundId, period: input.period, taskIds };
}
