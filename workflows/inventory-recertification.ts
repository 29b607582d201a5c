/**
 * `inventoryRecertification`: one round `inventory-recertification:<period>`. At its start it
 * finds every active owner of systems in scope and opens one governanceTask per owner (reminders
 * and escalation as for any task, no approver), due 30 calendar days after the round opens. An
 * owner confirms their systems through the round (`confirmSystems`): each confirmation is
 * recorded, and once all of the owner's systems are confirmed the round hands the submission to
 * the owner's task and answers when it is in. The round ends when every task has ended.
 */
import {
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ACTIVITY_OPTIONS,
  ConfirmSystemsArgs,
  confirmSystemsUpdate,
  OrgRoundInput,
  READ_ACTIVITY_OPTIONS,
  RecertificationActivities,
  RecertificationOwnerView,
  RecertificationRoundStatus,
  recertificationStatusQuery,
  recertificationTaskId,
  recertificationTaskInput,
  REFUSAL,
  RefusalType,
  roundOpenedUpdate,
  submitFromParentSignal,
  taskChangedSignal,
  TaskStatus,
} from '../libs/contracts';
import { addCalendar, isOpenTaskState, RECERTIFICATION_DUE_AFTER_OPEN } from '../libs/domain';
import { governanceTask } from './governance-task';
import { nonEmpty, refuse, requireActor, snapshot } from './validation';

const { loadRecertificationOwners } = proxyActivities<RecertificationActivities>(READ_ACTIVITY_OPTIONS);
const { recordRecertificationRound, recordRecertifications } = proxyActivities<RecertificationActivities>(ACTIVITY_OPTIONS);

const MAX_NOTE = 1000;

export async function inventoryRecertification(input: OrgRoundInput): Promise<RecertificationRoundStatus> {
  const openedAt = new Date();
  const dueAt = addCalendar(openedAt, RECERTIFICATION_DUE_AFTER_OPEN, input.timeZone).toISOString();
  const roundId = `${input.kind}:${input.period}`;
  const s: RecertificationRoundStatus = { roundId, period: input.period, openedAt: openedAt.toISOString(), dueAt, owners: [] };

  /** What each owner's task last told (its opening, then every recorded change). */
  const told = new Map<string, TaskStatus>();
  const refusals = new Map<string, { type: string; message: string }>();
  const submitting = new Set<string>();
  let opening = true;
  setHandler(taskChangedSignal, (args) => {
    const task = args?.status;
    if (!task?.taskId) return;
    const previous = told.get(task.taskId);
    if (!previous || previous.version <= task.version) told.set(task.taskId, task);
    if (args.refused) refusals.set(task.taskId, args.refused);
    const owner = s.owners.find((o) => o.taskId === task.taskId);
    if (owner) owner.taskState = told.get(task.taskId)!.state;
  });
  setHandler(recertificationStatusQuery, () => snapshot(s));

  const allOpened = () => !opening && s.owners.every((o) => told.has(o.taskId));
  setHandler(roundOpenedUpdate, async () => {
    await condition(allOpened);
    return { roundId, period: input.period, taskIds: s.owners.map((o) => o.taskId) };
  });

  function ownerOf(by: { personId: string }): RecertificationOwnerView | undefined {
    // The system owner, or whoever holds the owner's task now (it may have been reassigned).
    return s.owners.find((o) => (told.get(o.taskId)?.ownerId ?? o.ownerId) === by.personId);
  }

  function validateConfirm(args: ConfirmSystemsArgs | undefined): void {
    const by = requireActor(args?.by);
    if (!allOpened()) refuse(REFUSAL.invalidState, `round ${roundId} is still opening its tasks`);
    const owner = ownerOf(by);
    if (!owner) refuse(REFUSAL.notPermitted, `${by.personId} has no systems to recertify in round ${roundId}`);
    const task = told.get(owner.taskId)!;
    if (!isOpenTaskState(task.state)) refuse(REFUSAL.invalidState, `the recertification ${owner.taskId} is ${task.state}`);
    if (submitting.has(owner.taskId)) refuse(REFUSAL.invalidState, `a confirmation of ${owner.taskId} is under way`);
    const systems = args!.systems;
    if (!Array.isArray(systems) || systems.length === 0) refuse(REFUSAL.invalidArgument, 'name at least one system to confirm');
    const seen = new Set<string>();
    for (const c of systems) {
      if (!c || !nonEmpty(c.systemId)) refuse(REFUSAL.invalidArgument, 'each confirmation names a systemId');
      if (seen.has(c.systemId)) refuse(REFUSAL.invalidArgument, `system ${c.systemId} is named twice`);
      seen.add(c.systemId);
      if (!owner.systems.some((x) => x.systemId === c.systemId))
        refuse(REFUSAL.invalidArgument, `system ${c.systemId} is not one of ${owner.ownerId}'s systems in round ${roundId}`);
      if (c.note !== undefined && (typeof c.note !== 'string' || c.note.length > MAX_NOTE))
        refuse(REFUSAL.invalidArgument, `a note is text of at most ${MAX_NOTE} characters`);
    }
  }

  setHandler(
    confirmSystemsUpdate,
    async (args) => {
      validateConfirm(args);
      const owner = ownerOf(args.by)!;
      const taskId = owner.taskId;
      submitting.add(taskId);
      try {
        const at = new Date().toISOString();
        const fresh = args.systems.filter((c) => !owner.systems.find((x) => x.systemId === c.systemId)?.confirmedAt);
        if (fresh.length) {
          await recordRecertifications({
            period: input.period,
            ownerId: owner.ownerId,
            by: args.by.personId,
            at,
            systems: fresh.map((c) => ({ systemId: c.systemId, ...(c.note ? { note: c.note } : {}) })),
          });
          for (const c of fresh) {
            const sys = owner.systems.find((x) => x.systemId === c.systemId)!;
            sys.confirmedAt = at;
            sys.confirmedBy = args.by.personId;
            if (c.note) sys.note = c.note;
          }
        }
        if (owner.systems.every((x) => x.confirmedAt)) {
          refusals.delete(taskId);
          const names = owner.systems.map((x) => x.name).join(', ');
          await getExternalWorkflowHandle(taskId).signal(submitFromParentSignal, {
            by: args.by,
            summary: `Confirmed ${owner.systems.length} system(s) current: ${names}`,
          });
          await condition(() => !isOpenTaskState(told.get(taskId)!.state) || refusals.has(taskId));
          const refused = refusals.get(taskId);
          if (refused && isOpenTaskState(told.get(taskId)!.state)) {
            refusals.delete(taskId);
            refuse(refused.type as RefusalType, refused.message);
          }
        }
      } finally {
        submitting.delete(taskId);
      }
      return snapshot(owner);
    },
    { validator: validateConfirm },
  );

  const owners = await loadRecertificationOwners();
  s.owners = owners.map((o) => ({
    ownerId: o.ownerId,
    name: o.name,
    taskId: recertificationTaskId(o.ownerId, input.period),
    systems: o.systems.map((x) => ({ systemId: x.systemId, name: x.name })),
  }));
  // The rows first: once a task reads, its systems read as due in the inventory.
  await recordRecertificationRound({
    period: input.period,
    roundId,
    openedAt: s.openedAt,
    dueAt,
    owners: owners.map((o) => ({ ...o, taskId: recertificationTaskId(o.ownerId, input.period) })),
  });
  await Promise.all(
    owners.map(async (o) => {
      const taskId = recertificationTaskId(o.ownerId, input.period);
      try {
        await startChild(governanceTask, {
          workflowId: taskId,
          args: [
            {
              ...recertificationTaskInput(o, { cadenceId: input.cadenceId, period: input.period, dueAt, timeZone: input.timeZone }),
              tellParent: 'changes',
            },
          ],
          // The owner's work outlives a round that is terminated or reset.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }),
  );
  opening = false;

  // Every task ends (completed when its owner confirmed everything, or cancelled).
  await condition(() => s.owners.every((o) => told.has(o.taskId) && !isOpenTaskState(told.get(o.taskId)!.state)));
  return snapshot(s);
}
