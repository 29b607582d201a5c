/** Which form a unit of work is submitted with: its kind's, or for a corrective action's step, the step's. */
import { CORRECTIVE_STEP_FORM_KINDS, FORM_KINDS, FormKind, TaskKind } from '../domain';

/** The step of a corrective action's task id (`correctiveStepTaskId`), whatever its nonconformity's id looks like. */
const STEP_OF_TASK = /^corrective-action-step:.+:(containment|root-cause|action|effectiveness-check)(?:-\d+)?$/;

/** The form kind of a task (`undefined`: work that never takes a form); whether a form exists for it is the catalog's. */
export function formKindOfTask(taskId: string, kind: TaskKind): FormKind | undefined {
  if (kind === 'corrective-action-step') {
    const step = STEP_OF_TASK.exec(taskId)?.[1] as keyof typeof CORRECTIVE_STEP_FORM_KINDS | undefined;
    return step ? CORRECTIVE_STEP_FORM_KINDS[step] : undefined;
  }
  return (FORM_KINDS as readonly string[]).includes(kind) ? (kind as FormKind) : undefined;
}
