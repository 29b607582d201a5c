/**
 * Rules over a unit of owned work (a governanceTask): its states, and when it is overdue.
 * The workflow's status query and the read-model SQL (libs/persistence/read-models.ts) both
 * read them from here.
 */

/**
 * `completed`: work without an approval step, done when submitted. `cancelled`: work that is no
 * longer owed and was never done (its system was retired); neither open nor overdue, and never
 * counted as done.
 */
export const TASK_STATES = ['open', 'submitted', 'approved', 'completed', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Work still owed: neither approved, completed nor cancelled. */
export const OPEN_TASK_STATES = ['open', 'submitted'] as const satisfies readonly TaskState[];

export function isOpenTaskState(state: TaskState): boolean {
  return (OPEN_TASK_STATES as readonly TaskState[]).includes(state);
}

/** Overdue: still owed, and its due time is past (strictly: at the due time itself it is not yet overdue). */
export function isOverdue(task: { state: TaskState; dueAt: string }, now: Date): boolean {
  return isOpenTaskState(task.state) && now.getTime() > Date.parse(task.dueAt);
}
