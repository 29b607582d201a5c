/**
 * `governanceTask`: the single engine for a unit of owned work. It opens the work, runs
 * the reminder-and-escalation ladder in workflow time, and takes the human steps
 * (submit, approve, reject, reassign, extendDue, cancel) as Updates whose validators refuse bad
 * calls without failing the workflow. Deterministic: no I/O outside activities.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ACTIVITY_OPTIONS,
  Actor,
  approveUpdate,
  cancelUpdate,
  changeDueSignal,
  extendDueUpdate,
  formKindOfTask,
  GovernanceActivities,
  GovernanceTaskInput,
  LadderStepView,
  NotificationKind,
  NotifyResult,
  reassignUpdate,
  REFUSAL,
  rejectUpdate,
  statusQuery,
  SubmitArgs,
  submitFromParentSignal,
  submitUpdate,
  TaskChangedArgs,
  taskChangedSignal,
  taskOpenedUpdate,
  TASK_ADMIN_ROLES,
  TaskEvent,
  TaskStatus,
} from '../libs/contracts';
import {
  dueOccurrences,
  ESCALATION_LEVELS,
  EscalationLevel,
  isOverdue,
  isValidTimeZone,
  LadderOccurrence,
  LadderStep,
  nextOccurrence,
  occurrenceAt as ladderOccurrenceAt,
  occurrenceKey,
  submissionShapeProblems,
  validateLadder,
} from '../libs/domain';
import { searchIndex } from './search-attributes';
import { nonEmpty, refuse, requireActor, snapshot as copyJson } from './validation';

const { notify, recordTransition } = proxyActivities<GovernanceActivities>(ACTIVITY_OPTIONS);

/** Continue-as-new past this many history events even if the server does not suggest it. */
export const MAX_HISTORY_EVENTS = 2000;

/** How many handled occurrences of a repeating step the status shows. */
export const REPEAT_VIEW_LIMIT = 5;

/** Everything the task knows beyond its input; carried across continue-as-new. */
export type GovernanceTaskState = Pick<
  TaskStatus,
  | 'ownerId'
  | 'state'
  | 'openedAt'
  | 'dueAt'
  | 'submittedBy'
  | 'submittedAt'
  | 'summary'
  | 'evidenceUrls'
  | 'outcome'
  | 'submission'
  | 'approvedBy'
  | 'approvedAt'
  | 'lastRejection'
  | 'cancellation'
  | 'submissions'
  | 'rejections'
  | 'escalationLevel'
  | 'version'
> & {
  reassignments: number;
  dueExtensions: number;
  /** Ladder occurrences handled for the current due time, by occurrence key. */
  handled: Record<string, { status: 'done' | 'skipped'; handledAt: string }>;
};

function levelIndex(level: EscalationLevel): number {
  return ESCALATION_LEVELS.indexOf(level);
}

const TRANSITION_KIND: Record<LadderStep['action'], { event: TaskEvent; kind: NotificationKind }> = {
  remind: { event: 'reminded', kind: 'remind' },
  escalate: { event: 'escalated', kind: 'escalate' },
  breach: { event: 'breached', kind: 'breach' },
};

/** The patch id of the input ladder check (added after tasks were already running). */
const LADDER_CHECK_PATCH = 'validate-input-ladder';

/**
 * The patch id of calendar ladder offsets: a task whose input names the organisation's zone
 * counts day-sized steps in calendar days there. Tasks started before (no zone in their input,
 * or no marker in their history) keep exact 24-hour offsets.
 */
export const CALENDAR_LADDER_PATCH = 'calendar-ladder-offsets';

/**
 * The patch id of a told rejection: a task that tells its parent of its changes tells it of a
 * rejection too (a policy review goes back to its owner). Tasks recorded before it told none.
 */
export const REJECTION_TOLD_PATCH = 'task-tells-parent-rejection';

export async function governanceTask(input: GovernanceTaskInput, carried?: GovernanceTaskState): Promise<TaskStatus> {
  const taskId = workflowInfo().workflowId;
  const ladder = input.ladder ?? [];
  // Every ladder that enters passes here, however it was built: an invalid one fails the task at
  // once. Only a first run checks (a continued one carries a ladder already running), and only
  // behind patched(): a task started before the check existed may hold a ladder it now refuses.
  if (carried === undefined && patched(LADDER_CHECK_PATCH)) {
    const ladderProblems = validateLadder(ladder);
    if (ladderProblems.length) refuse(REFUSAL.invalidArgument, `the ladder of ${taskId} is not valid: ${ladderProblems.join('; ')}`);
  }
  const nowIso = () => new Date().toISOString();
  // The zone ladder steps count calendar days in; undefined: exact ms offsets (the old arithmetic).
  const zone = input.timeZone !== undefined && patched(CALENDAR_LADDER_PATCH) ? input.timeZone : undefined;
  const occurrenceAt = (step: LadderStep, dueAt: Date, n: number): Date => ladderOccurrenceAt(step, dueAt, n, zone);
  if (carried === undefined && zone !== undefined && !isValidTimeZone(zone))
    refuse(REFUSAL.invalidArgument, `the time zone of ${taskId} is not a valid IANA zone: ${JSON.stringify(zone)}`);

  const s: GovernanceTaskState = carried ?? {
    ownerId: input.ownerId,
    state: 'open',
    openedAt: nowIso(),
    dueAt: new Date(input.dueAt).toISOString(),
    submissions: 0,
    rejections: 0,
    reassignments: 0,
    dueExtensions: 0,
    escalationLevel: 0,
    version: 0,
    handled: {},
  };

  // Kind, owner, subject, state and due time in Temporal's visibility, from the start (each run:
  // a continued run too) and at every transition that changes one of them.
  const searchable = searchIndex();
  const index = (): void =>
    searchable({ kind: input.kind, ownerId: s.ownerId, subjectId: input.subject.id, state: s.state, dueAt: s.dueAt });
  index();

  const fired = (): Set<string> => new Set(Object.keys(s.handled));
  // Read through a function: the state changes inside update handlers, between awaits.
  const finished = (): boolean => s.state === 'approved' || s.state === 'completed' || s.state === 'cancelled';
  const due = (): Date => new Date(s.dueAt);

  function ladderViews(): LadderStepView[] {
    const views: LadderStepView[] = [];
    for (const step of ladder) {
      const base = { action: step.action, levels: step.levels };
      if (!step.repeatEveryMs) {
        const h = s.handled[step.key];
        views.push({
          ...base,
          key: step.key,
          at: occurrenceAt(step, due(), 0).toISOString(),
          status: h?.status ?? 'pending',
          handledAt: h?.handledAt,
        });
        continue;
      }
      // A repeating step: its latest handled occurrences, then the next pending one. (All of
      // them would make every recorded snapshot grow with the age of the work.)
      let pending = 0;
      while (s.handled[occurrenceKey(step, pending)]) pending++;
      for (let n = Math.max(0, pending - REPEAT_VIEW_LIMIT); n <= pending; n++) {
        const key = occurrenceKey(step, n);
        const h = s.handled[key];
        views.push({
          ...base,
          key,
          at: occurrenceAt(step, due(), n).toISOString(),
          status: h?.status ?? 'pending',
          handledAt: h?.handledAt,
        });
      }
    }
    return views.sort((a, b) => a.at.localeCompare(b.at));
  }

  function status(): TaskStatus {
    const now = new Date();
    const next = s.state === 'open' ? nextOccurrence(ladder, due(), fired(), zone) : undefined;
    return {
      taskId,
      kind: input.kind,
      title: input.title,
      subject: input.subject,
      ownerId: s.ownerId,
      state: s.state,
      openedAt: s.openedAt,
      dueAt: s.dueAt,
      overdue: isOverdue(s, now),
      cadenceId: input.cadenceId,
      period: input.period,
      submittedBy: s.submittedBy,
      submittedAt: s.submittedAt,
      summary: s.summary,
      evidenceUrls: s.evidenceUrls ? [...s.evidenceUrls] : undefined,
      outcome: s.outcome,
      submission: s.submission ? copyJson(s.submission) : undefined,
      approverRoles: [...input.approverRoles],
      approvedBy: s.approvedBy,
      approvedAt: s.approvedAt,
      lastRejection: s.lastRejection ? { ...s.lastRejection } : undefined,
      cancellation: s.cancellation ? { ...s.cancellation } : undefined,
      submissions: s.submissions,
      rejections: s.rejections,
      escalationLevel: s.escalationLevel,
      ladder: ladderViews(),
      nextStep: next ? { key: next.key, at: next.at.toISOString() } : undefined,
      version: s.version,
    };
  }

  /** Bumps the version and returns the snapshot to record: call synchronously after a state change. */
  function transition(): TaskStatus {
    s.version++;
    index();
    return status();
  }

  async function record(event: TaskEvent, snapshot: TaskStatus, actorId?: string, detail?: Record<string, unknown>): Promise<void> {
    await recordTransition({ taskId, event, at: nowIso(), actorId, detail, status: snapshot });
  }

  /**
   * Tells the parent (input.tellParent) the recorded status: after the opening for `opening`,
   * after every change of owner, due time or state for `changes`. `always`: the answer to a
   * submission the parent handed on, whatever the input says. A parent that has completed (a
   * cycle that saw the opening) cannot be told: that is no failure of the task.
   */
  async function tellParent(snapshot: TaskStatus, refused?: TaskChangedArgs['refused'], always = false): Promise<void> {
    const parent = workflowInfo().parent;
    if (!parent || !(always || input.tellParent === 'changes')) return;
    try {
      await getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(taskChangedSignal, {
        status: snapshot,
        ...(refused ? { refused } : {}),
      });
    } catch {
      // The parent is gone (completed or terminated): nobody is waiting for this answer.
    }
  }

  function sendTo(kind: NotificationKind, notificationKey: string, levels: EscalationLevel[], note?: string): Promise<NotifyResult> {
    return notify({
      taskId,
      notificationKey,
      kind,
      levels,
      ownerId: s.ownerId,
      task: {
        kind: input.kind,
        title: input.title,
        subject: input.subject,
        dueAt: s.dueAt,
        ...(input.approverRoles.length ? {} : { noApproval: true }),
      },
      at: nowIso(),
      note,
    });
  }

  /** Keys of ladder notifications change with each due extension, so a re-armed reminder is sent again. */
  function ladderNotificationKey(occ: LadderOccurrence): string {
    return s.dueExtensions === 0 ? occ.key : `${occ.key}@ext${s.dueExtensions}`;
  }

  // ---- Query and Updates -------------------------------------------------------------

  setHandler(statusQuery, () => status());

  // A continued run was recorded as opened by its first run. A new handler only.
  let openingRecorded = carried !== undefined;
  setHandler(taskOpenedUpdate, async () => {
    await condition(() => openingRecorded);
    return status();
  });

  function validateApprover(by: Actor, verb: string): void {
    if (s.state !== 'submitted') refuse(REFUSAL.invalidState, `cannot ${verb}: the work is ${s.state}, not submitted`);
    if (by.personId === s.submittedBy)
      refuse(REFUSAL.notPermitted, `segregation of duties: the approver is never the submitter (${by.personId} submitted this work)`);
    if (by.personId === s.ownerId)
      refuse(REFUSAL.notPermitted, `segregation of duties: the owner of the work (${by.personId}) cannot ${verb} it`);
    if (!input.approverRoles.includes(by.role)) {
      refuse(REFUSAL.notPermitted, `role ${by.role} may not ${verb} this work; allowed roles: ${input.approverRoles.join(', ')}`);
    }
  }

  function validateAdmin(by: Actor, verb: string): void {
    if (!TASK_ADMIN_ROLES.includes(by.role))
      refuse(REFUSAL.notPermitted, `role ${by.role} may not ${verb}; allowed roles: ${TASK_ADMIN_ROLES.join(', ')}`);
    if (finished()) refuse(REFUSAL.invalidState, `cannot ${verb}: the work is already ${s.state}`);
  }

  function validateSubmit(args: SubmitArgs | undefined): void {
    const by = requireActor(args?.by);
    if (by.personId !== s.ownerId)
      refuse(REFUSAL.notPermitted, `only the owner of the work (${s.ownerId}) may submit it, not ${by.personId}`);
    if (s.state !== 'open') refuse(REFUSAL.invalidState, `cannot submit: the work is ${s.state}, not open`);
    if (!nonEmpty(args!.summary)) refuse(REFUSAL.invalidArgument, 'a summary of the outcome is required');
    if (input.outcomes?.length) {
      if (!input.outcomes.includes(args!.outcome as string)) {
        refuse(
          REFUSAL.invalidArgument,
          `outcome must be one of ${input.outcomes.join(', ')}, got ${JSON.stringify(args!.outcome ?? null)}`,
        );
      }
    } else if (args!.outcome !== undefined) {
      refuse(REFUSAL.invalidArgument, 'this work takes no outcome');
    }
    if (
      args!.evidenceUrls !== undefined &&
      (!Array.isArray(args!.evidenceUrls) || !args!.evidenceUrls.every((u: unknown) => typeof u === 'string'))
    ) {
      refuse(REFUSAL.invalidArgument, 'evidenceUrls must be a list of strings');
    }
    // The answers were checked against the form by the API; here, that they are a submission to this work's form.
    if (args!.submission !== undefined) {
      const formKind = formKindOfTask(taskId, input.kind);
      if (formKind === undefined) refuse(REFUSAL.invalidArgument, `${input.kind} work takes no form: submit it without answers`);
      const problems = submissionShapeProblems(args!.submission, formKind);
      if (problems.length) refuse(REFUSAL.invalidArgument, `the submission is malformed: ${problems.join('; ')}`);
    }
  }

  async function applySubmit({ by, summary, evidenceUrls, outcome, submission }: SubmitArgs): Promise<TaskStatus> {
    // Work without an approval step is done when it is submitted.
    const completes = input.approverRoles.length === 0;
    s.state = completes ? 'completed' : 'submitted';
    s.submittedBy = by.personId;
    s.submittedAt = nowIso();
    s.summary = summary.trim();
    s.evidenceUrls = evidenceUrls ? [...evidenceUrls] : [];
    if (outcome !== undefined) s.outcome = outcome;
    // The latest submission's answers: a rework's answers replace the rejected ones (the trail keeps both).
    s.submission = submission
      ? { form: { kind: submission.form.kind, version: submission.form.version }, answers: copyJson(submission.answers) }
      : undefined;
    s.submissions++;
    const recorded = transition();
    await record(completes ? 'completed' : 'submitted', recorded, by.personId, {
      summary: s.summary,
      evidenceUrls: s.evidenceUrls,
      ...(outcome !== undefined ? { outcome } : {}),
      ...(s.submission ? { form: s.submission.form, answers: s.submission.answers } : {}),
    });
    return recorded;
  }

  setHandler(
    submitUpdate,
    async (args) => {
      const snapshot = await applySubmit(args);
      await tellParent(snapshot);
      return snapshot;
    },
    { validator: validateSubmit },
  );

  // A submission the parent case validated and hands on: validated again here (the owner may have
  // changed since), then applied or refused; the parent hears the outcome either way, once the
  // submission is recorded. A new handler only: histories without the signal replay as before.
  setHandler(submitFromParentSignal, async (args) => {
    try {
      validateSubmit(args);
    } catch (err) {
      const refused =
        err instanceof ApplicationFailure
          ? { type: err.type ?? REFUSAL.invalidArgument, message: err.message }
          : { type: REFUSAL.invalidArgument, message: String(err) };
      await tellParent(status(), refused, true);
      return;
    }
    await tellParent(await applySubmit(args), undefined, true);
  });

  setHandler(
    approveUpdate,
    async ({ by, comment }) => {
      s.state = 'approved';
      s.approvedBy = by.personId;
      s.approvedAt = nowIso();
      const snapshot = transition();
      await record('approved', snapshot, by.personId, comment ? { comment } : undefined);
      await sendTo('approved', 'approved', ['owner'], comment);
      return snapshot;
    },
    {
      validator: (args) => {
        validateApprover(requireActor(args?.by), 'approve');
      },
    },
  );

  setHandler(
    rejectUpdate,
    async ({ by, reason }) => {
      const at = nowIso();
      s.state = 'open';
      s.rejections++;
      s.lastRejection = { by: by.personId, at, reason: reason.trim() };
      const n = s.rejections;
      const snapshot = transition();
      await record('rejected', snapshot, by.personId, { reason: s.lastRejection.reason });
      if (input.tellParent === 'changes' && patched(REJECTION_TOLD_PATCH)) await tellParent(snapshot);
      await sendTo('rejected', `rejected#${n}`, ['owner'], reason.trim());
      return snapshot;
    },
    {
      validator: (args) => {
        validateApprover(requireActor(args?.by), 'reject');
        if (!nonEmpty(args.reason)) refuse(REFUSAL.invalidArgument, 'a reason for the rejection is required');
      },
    },
  );

  setHandler(
    reassignUpdate,
    async ({ by, newOwnerId, reason }) => {
      const from = s.ownerId;
      s.ownerId = newOwnerId;
      s.reassignments++;
      const n = s.reassignments;
      const snapshot = transition();
      await record('reassigned', snapshot, by.personId, { from, to: newOwnerId, reason: reason.trim() });
      await tellParent(snapshot);
      await sendTo('reassigned', `reassigned#${n}`, ['owner'], reason.trim());
      return snapshot;
    },
    {
      validator: (args) => {
        const by = requireActor(args?.by);
        validateAdmin(by, 'reassign work');
        if (!nonEmpty(args.newOwnerId)) refuse(REFUSAL.invalidArgument, 'newOwnerId is required');
        if (args.newOwnerId === s.ownerId) refuse(REFUSAL.invalidArgument, `${args.newOwnerId} already owns this work`);
        if (input.excludedOwnerIds?.includes(args.newOwnerId)) {
          refuse(REFUSAL.notPermitted, `${args.newOwnerId} may not own this work (segregation of duties)`);
        }
        if (!nonEmpty(args.reason)) refuse(REFUSAL.invalidArgument, 'a reason for the reassignment is required');
      },
    },
  );

  /** Moves the due time; occurrences whose time under the new due is still ahead are pending again. */
  async function moveDue(event: 'due-extended' | 'due-changed', newDue: Date, by: string | undefined, reason: string): Promise<TaskStatus> {
    const from = s.dueAt;
    const now = new Date();
    s.dueAt = newDue.toISOString();
    s.dueExtensions++;
    const rearmed: string[] = [];
    for (const step of ladder) {
      for (let n = 0; ; n++) {
        const key = occurrenceKey(step, n);
        if (!s.handled[key]) break;
        if (occurrenceAt(step, newDue, n).getTime() > now.getTime()) {
          delete s.handled[key];
          rearmed.push(key);
        }
        if (!step.repeatEveryMs) break;
      }
    }
    const snapshot = transition();
    await record(event, snapshot, by, { from, to: s.dueAt, reason, rearmed });
    await tellParent(snapshot);
    return snapshot;
  }

  setHandler(extendDueUpdate, ({ by, newDueAt, reason }) => moveDue('due-extended', new Date(newDueAt), by.personId, reason.trim()), {
    validator: (args) => {
      const by = requireActor(args?.by);
      validateAdmin(by, 'move the due date');
      const parsed = typeof args.newDueAt === 'string' ? Date.parse(args.newDueAt) : NaN;
      if (Number.isNaN(parsed)) refuse(REFUSAL.invalidArgument, `newDueAt must be an ISO date-time, got ${JSON.stringify(args.newDueAt)}`);
      if (parsed <= due().getTime())
        refuse(REFUSAL.invalidArgument, `the new due time ${args.newDueAt} must be later than the current one (${s.dueAt})`);
      if (parsed <= Date.now()) refuse(REFUSAL.invalidArgument, `the new due time ${args.newDueAt} is in the past`);
      if (!nonEmpty(args.reason)) refuse(REFUSAL.invalidArgument, 'a reason for moving the due date is required');
    },
  });

  // The parent case moves the deadline (earlier too): occurrences still ahead under the new due
  // time are pending again; those now past run at once. A new handler only: histories without
  // the signal replay as before.
  // A signal has no validator: a malformed one (only the incident workflow sends it) is ignored, never fails the task.
  setHandler(changeDueSignal, async (args) => {
    const { by, newDueAt, reason } = args ?? {};
    const newDue = new Date(typeof newDueAt === 'string' ? newDueAt : NaN);
    if (finished() || Number.isNaN(newDue.getTime()) || newDue.toISOString() === s.dueAt) return;
    await moveDue('due-changed', newDue, by?.personId, String(reason ?? '').trim());
  });

  // A cancellation ends the work: no ladder step runs after it (the state is no longer open), the
  // owner is told once (one notification key), and the workflow completes once it is recorded.
  // A new handler only: histories without a cancel Update replay as before.
  setHandler(
    cancelUpdate,
    async ({ by, reason }) => {
      const from = s.state;
      s.state = 'cancelled';
      s.cancellation = { by: by.personId, at: nowIso(), reason: reason.trim() };
      const snapshot = transition();
      await record('cancelled', snapshot, by.personId, { reason: s.cancellation.reason, from });
      await sendTo('cancelled', 'cancelled', ['owner'], s.cancellation.reason);
      return snapshot;
    },
    {
      validator: (args) => {
        const by = requireActor(args?.by);
        validateAdmin(by, 'cancel work');
        // An incident's reports and a corrective action's steps end with their case, never alone.
        if (input.subject.type !== 'ai-system')
          refuse(REFUSAL.notPermitted, `only an AI system's cadence work can be cancelled; this work belongs to a ${input.subject.type}`);
        if (!nonEmpty(args.reason)) refuse(REFUSAL.invalidArgument, 'a reason for the cancellation is required');
      },
    },
  );

  // ---- The ladder ----------------------------------------------------------------------

  /** Records the skipped occurrences (one transition) and fires the due ones, in time order. */
  async function runDueSteps(): Promise<void> {
    const { fire, skip } = dueOccurrences(ladder, due(), fired(), new Date(), undefined, zone);
    if (skip.length) {
      const at = nowIso();
      for (const occ of skip) s.handled[occ.key] = { status: 'skipped', handledAt: at };
      const snapshot = transition();
      await record('step-skipped', snapshot, undefined, {
        steps: skip.map((o) => ({ key: o.key, at: o.at.toISOString() })),
        reason: 'stale reminder: its time passed while the work was not open, or more than an hour ago',
      });
    }
    for (const occ of fire) {
      // The owner may have submitted (or an approver approved) while the previous step ran.
      if (s.state !== 'open' || s.handled[occ.key]) continue;
      // A due extension while the previous step ran may have moved this one into the future.
      if (currentTimeOf(occ) > Date.now()) continue;
      const { event, kind } = TRANSITION_KIND[occ.step.action];
      s.handled[occ.key] = { status: 'done', handledAt: nowIso() };
      for (const level of occ.step.levels) s.escalationLevel = Math.max(s.escalationLevel, levelIndex(level));
      const snapshot = transition();
      const notificationKey = ladderNotificationKey(occ);
      const result = await sendTo(kind, notificationKey, occ.step.levels);
      await record(event, snapshot, undefined, {
        step: occ.key,
        levels: occ.step.levels,
        scheduledAt: occ.at.toISOString(),
        notificationKey,
        recipients: result.recipients,
        unfilledLevels: result.unfilledLevels,
      });
    }
  }

  /** When an occurrence falls under the current due time (it may have moved since it was picked). */
  function currentTimeOf(occ: LadderOccurrence): number {
    const n = occ.key === occ.step.key ? 0 : Number(occ.key.slice(occ.step.key.length + 1));
    return occurrenceAt(occ.step, due(), n).getTime();
  }

  function shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS;
  }

  if (!carried) {
    const snapshot = transition();
    await record('opened', snapshot, undefined, { dueAt: s.dueAt, ladder: ladder.map((st) => st.key) });
    openingRecorded = true;
    // The parent answers its caller once the task exists in the read model, before the owner's email.
    await tellParent(snapshot, undefined, input.tellParent !== undefined);
    await sendTo('opened', 'opened', ['owner']);
  }

  while (!finished()) {
    // An update's effects (its record and its email) complete before the ladder moves on,
    // so the trail reads in order: "rejected", then the escalation the rework is late for.
    await condition(allHandlersFinished);
    if (s.state === 'open') await runDueSteps();
    if (finished()) break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      if (finished()) break;
      await continueAsNew<typeof governanceTask>(input, s);
    }
    const seen = s.version;
    const changed = () => s.version !== seen;
    // Submitted: the ladder holds until an approver acts. Either way the workflow also wakes
    // at the due time, so its clock (and the `overdue` of the status query) moves past it.
    const next = s.state === 'open' ? nextOccurrence(ladder, due(), fired(), zone) : undefined;
    const wakeAt = Math.min(next ? next.at.getTime() : Infinity, due().getTime() > Date.now() ? due().getTime() : Infinity);
    if (Number.isFinite(wakeAt)) {
      await condition(changed, Math.max(1, wakeAt - Date.now()));
    } else {
      await condition(changed);
    }
  }

  await condition(allHandlersFinished);
  return status();
}
