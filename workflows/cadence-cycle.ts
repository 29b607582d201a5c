/**
 * `cadenceCycle`: one run of a recurring cadence, started by a Temporal Schedule. It opens
 * the period's governanceTask as an abandoned child with a deterministic id, so a second
 * run for the same period (a catch-up, a manual trigger) is refused by Temporal itself.
 */
import {
  condition,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CadenceCycleInput,
  CadenceCycleResult,
  CycleSystem,
  cycleTaskStart,
  GovernanceActivities,
  READ_ACTIVITY_OPTIONS,
  taskChangedSignal,
} from '../libs/contracts';
import { firstYearlyAiiaAt, isInCadenceScope, needsQuarterlyReview } from '../libs/domain';
import { governanceTask } from './governance-task';

/**
 * The patch id of calendar due dates: "30 days after the opening" is 30 calendar days in the
 * organisation's zone (local midnight), and the task's ladder counts calendar days there too.
 * Runs recorded before it keep 30 x 24 h and a zone-less task.
 */
export const CALENDAR_DUE_PATCH = 'calendar-due-dates';

/**
 * The patch id of "opened means readable": the cycle's task tells the cycle once its opening is
 * recorded (`tellParent: 'opening'`), and the cycle returns only then, so whoever waits for the
 * run's result (a manual trigger) can read and act on the task at once. Runs recorded before it
 * return once the child has started.
 */
export const CYCLE_OPENING_PATCH = 'cycle-waits-for-task-opening';

/**
 * The patch id of the yearly AIIA's first anniversary: a yearly run opens nothing before the
 * first anniversary of go-live (or of a registration already live), so it never duplicates
 * the go-live AIIA and a system not yet live owes none. Runs recorded before it open the year's AIIA.
 */
export const YEARLY_AIIA_AFTER_GO_LIVE_PATCH = 'yearly-aiia-after-go-live';

/**
 * The patch id of "a yearly AIIA opens on its day": its due counts from the local midnight of
 * the run's day (the Schedule's time), so a run the Schedule's jitter started minutes later is
 * due at the same local midnight 30 days on. Runs recorded before it count from the run's instant.
 */
export const AIIA_OPENS_ON_ITS_DAY_PATCH = 'aiia-opens-on-its-day';

const { loadCycleSystem } = proxyActivities<GovernanceActivities>(READ_ACTIVITY_OPTIONS);

export async function cadenceCycle(input: CadenceCycleInput): Promise<CadenceCycleResult> {
  let openedTask: string | undefined;
  setHandler(taskChangedSignal, (args) => {
    openedTask = args?.status?.taskId;
  });
  const system = await loadCycleSystem(input.systemId);
  // The inventory may have changed since the Schedule was made: check it again.
  if (!system || !isInCadenceScope(system)) return { outcome: 'out-of-scope' };
  if (input.kind === 'high-risk-review' && !needsQuarterlyReview(system)) return { outcome: 'out-of-scope' };

  if (input.kind === 'aiia' && patched(YEARLY_AIIA_AFTER_GO_LIVE_PATCH)) {
    const first = firstYearlyAiiaAt(aiiaFacts(system), input.timeZone);
    if (!first || Date.now() < first.getTime()) return { outcome: 'not-due', ...(first ? { firstRunAt: first.toISOString() } : {}) };
  }

  const calendar = patched(CALENDAR_DUE_PATCH);
  const aiiaOpensOnItsDay = input.kind === 'aiia' && patched(AIIA_OPENS_ON_ITS_DAY_PATCH);
  const ref = { id: system.id, name: system.name, ownerId: system.ownerId };
  const {
    workflowId: taskId,
    period,
    input: taskInput,
  } = cycleTaskStart(input.kind, ref, new Date(), { cadenceId: input.cadenceId, timeZone: input.timeZone, calendar, aiiaOpensOnItsDay });
  const waitsForOpening = patched(CYCLE_OPENING_PATCH);
  try {
    await startChild(governanceTask, {
      workflowId: taskId,
      args: [waitsForOpening ? { ...taskInput, tellParent: 'opening' } : taskInput],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'already-open', taskId, period };
    throw err;
  }
  if (waitsForOpening) await condition(() => openedTask === taskId);
  return { outcome: 'opened', taskId, period };
}

/** A system as the AIIA rules read it (a system loaded without a registration time counts as registered now). */
function aiiaFacts(system: CycleSystem): { goLiveDate: string | null; lifecycleStage: CycleSystem['lifecycleStage']; createdAt: Date } {
  return {
    goLiveDate: system.goLiveDate ?? null,
    lifecycleStage: system.lifecycleStage,
    createdAt: system.registeredAt ? new Date(system.registeredAt) : new Date(),
  };
}
