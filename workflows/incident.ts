/**
 * `incident`: an AI incident from opening to closure. Each report it owes (the 72-hour draft,
 * the final report, every regulatory report) is a child governanceTask with its own deadline
 * and ladder, so breach, escalation and "the report stops the reminders" come from the one
 * task engine. The incident itself takes the responder's steps as validated Updates.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import {
  acknowledgeIncidentUpdate,
  ACTIVITY_OPTIONS,
  Actor,
  addRegimeUpdate,
  changeDueSignal,
  changeRegimeVariantUpdate,
  changeSeverityUpdate,
  closeIncidentUpdate,
  GovernanceActivities,
  INCIDENT_ADMIN_ROLES,
  incidentReportTaskInput,
  IncidentInput,
  IncidentReportPlan,
  IncidentReportStatus,
  IncidentStatus,
  incidentOpenedUpdate,
  incidentStatusQuery,
  initialIncidentStatus,
  recordContainmentUpdate,
  REFUSAL,
  RefusalType,
  reportStatusOf,
  reportInUpdate,
  submitFromParentSignal,
  SubmitReportArgs,
  submitReportUpdate,
  taskChangedSignal,
  TaskStatus,
} from '../libs/contracts';
import { addCalendar, formatInstant, INCIDENT_SEVERITIES, submissionShapeProblems, validateLadder } from '../libs/domain';
import { governanceTask } from './governance-task';
import { searchIndex } from './search-attributes';
import { nonEmpty, refuse, requireActor, snapshot } from './validation';

const { notify, recordIncident } = proxyActivities<GovernanceActivities>(ACTIVITY_OPTIONS);

/**
 * The patch id of zoned report tasks: an incident whose input names the organisation's zone
 * hands it to its report tasks (calendar-day ladder steps). Histories recorded before it start
 * their report tasks without a zone.
 */
export const INCIDENT_ZONE_PATCH = 'incident-report-time-zone';

/**
 * The patch id of reports counted after another one's submission (NIS2's final report, one month
 * after the notification): the deadline is fixed when that report goes in. Inputs written before
 * it have no such report and never reach patched().
 */
export const INCIDENT_AFTER_SUBMISSION_PATCH = 'incident-report-after-submission';

/**
 * The patch id of read-your-writes: report tasks tell the incident when their opening, owner, due
 * time or state is recorded (`tellParent: 'changes'`), "open" means the task is in the read model,
 * a report is in when its task says so (no second marking by the task's completion), and the
 * Updates that open reports (the opening, addRegime) or move their deadlines answer once that took
 * effect. Histories recorded before it start tasks that tell nothing and mark reports in on the
 * task's completion.
 */
export const INCIDENT_READ_YOUR_WRITES_PATCH = 'incident-read-your-writes';

export async function incident(input: IncidentInput): Promise<IncidentStatus> {
  const incidentTaskId = workflowInfo().workflowId;
  const rw = patched(INCIDENT_READ_YOUR_WRITES_PATCH);
  const nowIso = () => new Date().toISOString();
  const s = initialIncidentStatus(input, nowIso());
  const plans = new Map<string, IncidentReportPlan>(input.reports.map((r) => [r.key, r]));
  // The zone the report tasks get (old inputs have none, and never reach patched()).
  const zone = input.timeZone !== undefined && patched(INCIDENT_ZONE_PATCH) ? input.timeZone : undefined;
  const started = new Set<string>();
  /** Reports whose task has started (the Update handing a submission on waits for it). */
  const childStarted = new Set<string>();
  /** What each report's task last told (rw): its opening is recorded, its owner, its due time. */
  const taskOpened = new Set<string>();
  const taskOwner = new Map<string, string>();
  const taskDue = new Map<string, string>();
  /** Reports whose submission is being handed on, and a task's refusal of one. */
  const submitting = new Set<string>();
  const refusals = new Map<string, { type: string; message: string }>();
  /** The last version at which the loop found nothing more to open: every report ready then is open. */
  let settledVersion = -1;
  let openedVersion: number | undefined;
  const reportOf = (key: string): IncidentReportStatus | undefined => s.reports.find((r) => r.key === key);
  const closed = () => s.state === 'closed';

  /** Recordings under way; the incident ends only once each is in the trail (some start outside any handler). */
  const recordings: Array<Promise<unknown>> = [];

  // In Temporal's visibility: the responder, the system, open or closed, and the next deadline of a report not in yet.
  const searchable = searchIndex();
  const index = (): void => {
    const pending = s.reports.filter((r) => r.state !== 'in').map((r) => Date.parse(r.dueAt));
    const dueAt = s.state === 'open' && pending.length ? new Date(Math.min(...pending)).toISOString() : undefined;
    searchable({ kind: 'incident', ownerId: s.responderId, subjectId: s.system.id, state: s.state, dueAt });
  };

  /** Bumps the version and records the snapshot: its synchronous part runs before any other handler. */
  function commit(event: string, actorId?: string, detail?: Record<string, unknown>): Promise<IncidentStatus> {
    s.version++;
    index();
    const status = snapshot(s);
    const recorded = recordIncident({ event, at: nowIso(), actorId, detail, status }).then(() => status);
    recordings.push(recorded);
    return recorded;
  }

  function markIn(
    key: string,
    by: { submittedAt?: string; submittedBy?: string; summary?: string },
    via: string,
  ): Promise<IncidentStatus> | undefined {
    const report = reportOf(key);
    if (!report || report.state === 'in') return undefined;
    report.state = 'in';
    report.submittedAt = by.submittedAt ?? nowIso();
    report.submittedBy = by.submittedBy;
    report.summary = by.summary;
    const late = Date.parse(report.submittedAt) > Date.parse(report.dueAt);
    return commit('report-in', by.submittedBy, {
      key,
      taskId: report.taskId,
      submittedAt: report.submittedAt,
      dueAt: report.dueAt,
      late,
      via,
    });
  }

  /** Starts the report's task, then marks it open: "open" always means its task exists (and ends with the incident). */
  async function openReport(report: IncidentReportStatus): Promise<void> {
    let plan = plans.get(report.key)!;
    started.add(report.key);
    const before = plan.after !== undefined ? reportOf(plan.after) : undefined;
    if (plan.dueAfterSubmission && before?.submittedAt && patched(INCIDENT_AFTER_SUBMISSION_PATCH)) {
      // Counted from the submission, in the organisation's zone: the provisional deadline (after
      // the predecessor's deadline) gives way to the real one.
      const dueAt = addCalendar(new Date(before.submittedAt), plan.dueAfterSubmission, input.timeZone ?? 'UTC').toISOString();
      plan = { ...plan, dueAt };
      plans.set(plan.key, plan);
      report.dueAt = dueAt;
    }
    const taskInput = incidentReportTaskInput(input, plan, zone);
    const child = await startChild(governanceTask, {
      workflowId: report.taskId,
      args: [rw ? { ...taskInput, tellParent: 'changes' as const } : taskInput],
    });
    childStarted.add(report.key);
    if (rw) {
      // Open means its task is in the read model: the task tells once its opening is recorded.
      await condition(() => taskOpened.has(report.key));
    } else {
      // The child completes when its report is submitted (no approval step).
      child.result().then(
        (done: TaskStatus) => void markIn(report.key, done, 'task-completed'),
        () => undefined, // a terminated report task leaves its clock open: it shows as breached
      );
    }
    if (report.state === 'waiting') {
      report.state = 'open';
      report.openedAt = nowIso();
      await commit('report-opened', undefined, { key: report.key, taskId: report.taskId, dueAt: report.dueAt });
    }
  }

  // ---- Query and Updates -------------------------------------------------------------

  setHandler(incidentStatusQuery, () => snapshot(s));

  /** Waits until the loop has opened every report ready at the current version (or the incident closed). */
  async function settled(): Promise<void> {
    const v = s.version;
    await condition(() => settledVersion >= v || closed());
    await Promise.all(recordings);
  }

  // A report task tells what it recorded: its opening, a new owner or due time, its submission,
  // or its refusal of a submission handed on. A new handler only: old histories never got one.
  setHandler(taskChangedSignal, (args) => {
    const task = args?.status;
    const report = task ? s.reports.find((r) => r.taskId === task.taskId) : undefined;
    if (!task || !report) return;
    taskOpened.add(report.key);
    taskOwner.set(report.key, task.ownerId);
    taskDue.set(report.key, task.dueAt);
    if (args.refused) refusals.set(report.key, args.refused);
    else if (task.state === 'completed') void markIn(report.key, task, 'task-completed');
  });

  setHandler(incidentOpenedUpdate, async () => {
    await condition(() => (openedVersion !== undefined && settledVersion >= openedVersion) || closed());
    await Promise.all(recordings);
    return snapshot(s);
  });

  function validateSubmission(args: Parameters<typeof submitReportHandler>[0] | undefined): IncidentReportStatus {
    const by = requireActor(args?.by);
    if (closed()) refuse(REFUSAL.invalidState, `cannot submit a report: the incident was closed at ${s.closedAt}`);
    const report = reportOf(args!.key);
    if (!report)
      refuse(
        REFUSAL.invalidArgument,
        `unknown report ${JSON.stringify(args!.key)}; this incident owes ${s.reports.map((r) => r.key).join(', ')}`,
      );
    if (report.state === 'in') refuse(REFUSAL.invalidState, `the ${report.key} report is already in (submitted ${report.submittedAt})`);
    if (submitting.has(report.key)) refuse(REFUSAL.invalidState, `a submission of the ${report.key} report is under way`);
    if (report.state === 'waiting' && reportOf(report.after!)?.state !== 'in')
      refuse(REFUSAL.invalidState, `the ${report.key} report is not open yet: the ${report.after} report comes first`);
    // The task's owner (it tells a reassignment); an older incident's tasks tell nothing, and refuse for themselves.
    const owner = taskOwner.get(report.key) ?? (rw ? s.responderId : undefined);
    if (owner !== undefined && by.personId !== owner)
      refuse(REFUSAL.notPermitted, `only the owner of the ${report.key} report (${owner}) may submit it, not ${by.personId}`);
    if (!nonEmpty(args!.summary)) refuse(REFUSAL.invalidArgument, 'a summary of the report is required');
    if (
      args!.evidenceUrls !== undefined &&
      (!Array.isArray(args!.evidenceUrls) || !args!.evidenceUrls.every((u: unknown) => typeof u === 'string'))
    )
      refuse(REFUSAL.invalidArgument, 'evidenceUrls must be a list of strings');
    if (args!.submission !== undefined) {
      const problems = submissionShapeProblems(args!.submission, report.kind);
      if (problems.length) refuse(REFUSAL.invalidArgument, `the submission is malformed: ${problems.join('; ')}`);
    }
    return report;
  }

  /**
   * Hands a submission on to the report's task (a signal: the task validates it again and records
   * it, then tells), and answers once the report is in and the reports waiting for it are open.
   */
  async function submitReportHandler(args: SubmitReportArgs): Promise<IncidentStatus> {
    // Validators do not run on replay and two submissions may pass theirs in one activation: check again.
    const report = validateSubmission(args);
    submitting.add(report.key);
    try {
      // A report opening right now (its predecessor just went in): its task is started and recorded first.
      await condition(() => (rw ? taskOpened.has(report.key) : childStarted.has(report.key)) || closed());
      if (closed()) refuse(REFUSAL.invalidState, `cannot submit a report: the incident was closed at ${s.closedAt}`);
      refusals.delete(report.key);
      await getExternalWorkflowHandle(report.taskId).signal(submitFromParentSignal, {
        by: args.by,
        summary: args.summary,
        ...(args.evidenceUrls ? { evidenceUrls: args.evidenceUrls } : {}),
        ...(args.submission !== undefined ? { submission: args.submission } : {}),
      });
      await condition(() => report.state === 'in' || refusals.has(report.key));
      const refused = refusals.get(report.key);
      if (refused && report.state !== 'in') {
        refusals.delete(report.key);
        refuse(refused.type as RefusalType, refused.message);
      }
      await settled();
      return snapshot(s);
    } finally {
      submitting.delete(report.key);
    }
  }

  setHandler(submitReportUpdate, submitReportHandler, { validator: (args) => void validateSubmission(args) });

  function validateActor(args: { by?: Actor } | undefined, verb: string): Actor {
    const by = requireActor(args?.by);
    if (by.personId !== s.responderId && !(INCIDENT_ADMIN_ROLES as readonly string[]).includes(by.role)) {
      refuse(REFUSAL.notPermitted, `only the responder (${s.responderId}), a governance lead or an admin may ${verb} this incident`);
    }
    if (closed()) refuse(REFUSAL.invalidState, `cannot ${verb}: the incident was closed at ${s.closedAt}`);
    return by;
  }

  setHandler(
    acknowledgeIncidentUpdate,
    async ({ by, note }) => {
      s.acknowledgedAt = nowIso();
      s.acknowledgedBy = by.personId;
      return commit('acknowledged', by.personId, note ? { note: note.trim() } : undefined);
    },
    {
      validator: (args) => {
        validateActor(args, 'acknowledge');
        if (s.acknowledgedAt) refuse(REFUSAL.invalidState, `already acknowledged by ${s.acknowledgedBy} at ${s.acknowledgedAt}`);
      },
    },
  );

  setHandler(
    changeSeverityUpdate,
    async ({ by, severity, reason }) => {
      const from = s.severity;
      s.severity = severity;
      s.severityChanges.push({ at: nowIso(), by: by.personId, from, to: severity, reason: reason.trim() });
      return commit('severity-changed', by.personId, { from, to: severity, reason: reason.trim() });
    },
    {
      validator: (args) => {
        validateActor(args, 'change the severity of');
        if (!(INCIDENT_SEVERITIES as readonly string[]).includes(args.severity)) {
          refuse(REFUSAL.invalidArgument, `severity must be one of ${INCIDENT_SEVERITIES.join(', ')}`);
        }
        if (args.severity === s.severity) refuse(REFUSAL.invalidArgument, `the severity is already ${s.severity}`);
        if (!nonEmpty(args.reason)) refuse(REFUSAL.invalidArgument, 'a reason for the change is required');
      },
    },
  );

  setHandler(
    recordContainmentUpdate,
    async ({ by, summary }) => {
      s.containment = { at: nowIso(), by: by.personId, summary: summary.trim() };
      return commit('contained', by.personId, { summary: s.containment.summary });
    },
    {
      validator: (args) => {
        validateActor(args, 'record containment of');
        if (s.containment) refuse(REFUSAL.invalidState, `containment was already recorded by ${s.containment.by} at ${s.containment.at}`);
        if (!nonEmpty(args.summary)) refuse(REFUSAL.invalidArgument, 'a summary of the containment is required');
      },
    },
  );

  setHandler(
    closeIncidentUpdate,
    async ({ by, summary }) => {
      s.state = 'closed';
      s.closedAt = nowIso();
      s.closedBy = by.personId;
      s.closingSummary = summary.trim();
      return commit('closed', by.personId, { summary: s.closingSummary });
    },
    {
      validator: (args) => {
        validateActor(args, 'close');
        const outstanding = s.reports.filter((r) => r.state !== 'in');
        if (outstanding.length) {
          refuse(
            REFUSAL.invalidState,
            `cannot close before every report is in; outstanding: ${outstanding.map((r) => `${r.key} (due ${r.dueAt})`).join(', ')}`,
          );
        }
        if (!s.containment) refuse(REFUSAL.invalidState, 'cannot close before containment is recorded');
        if (!nonEmpty(args.summary)) refuse(REFUSAL.invalidArgument, 'a closing summary is required');
      },
    },
  );

  setHandler(reportInUpdate, async (args) => (await markIn(args.key, args, 'api')) ?? snapshot(s), {
    validator: (args) => {
      const report = reportOf(args?.key);
      if (!report)
        refuse(
          REFUSAL.invalidArgument,
          `unknown report ${JSON.stringify(args?.key)}; this incident owes ${s.reports.map((r) => r.key).join(', ')}`,
        );
      if (args.taskId !== report.taskId)
        refuse(REFUSAL.invalidArgument, `report ${report.key} is task ${report.taskId}, not ${args.taskId}`);
      if (report.state === 'waiting') refuse(REFUSAL.invalidState, `report ${report.key} is not open yet: ${report.after} comes first`);
      if (Number.isNaN(Date.parse(args.submittedAt))) refuse(REFUSAL.invalidArgument, 'submittedAt must be an ISO date-time');
    },
  });

  setHandler(
    addRegimeUpdate,
    async ({ by, regime, reports }) => {
      s.regimes.push({ ...regime });
      const openedAt = nowIso();
      for (const plan of reports) {
        plans.set(plan.key, plan);
        const report = reportStatusOf(plan);
        s.reports.push(report.state === 'open' ? { ...report, openedAt } : report);
      }
      const recorded = commit('regime-added', by.personId, { regime, reports: reports.map((r) => ({ key: r.key, dueAt: r.dueAt })) });
      if (!rw) return recorded;
      // Its reports' tasks are open (started and recorded) when the answer says so.
      await recorded;
      await settled();
      return snapshot(s);
    },
    {
      validator: (args) => {
        validateActor(args, 'add a regime to');
        const id = args.regime?.id;
        if (!nonEmpty(id)) refuse(REFUSAL.invalidArgument, 'the regime is required');
        if (s.regimes.some((r) => r.id === id)) refuse(REFUSAL.invalidArgument, `regime ${id} already applies to this incident`);
        const awareAt = args.regime.awareAt;
        if (awareAt !== undefined && (Number.isNaN(Date.parse(awareAt)) || Date.parse(awareAt) < Date.parse(s.detectedAt))) {
          refuse(
            REFUSAL.invalidArgument,
            `regime ${id}: awareAt ${awareAt} is before detection (${s.detectedAt}); awareness never comes before detection`,
          );
        }
        if (!Array.isArray(args.reports) || !args.reports.length) refuse(REFUSAL.invalidArgument, `regime ${id} brings no reports`);
        const keys = args.reports.map((r: IncidentReportPlan) => r.key);
        for (const [i, r] of args.reports.entries()) {
          // A report may wait only for an earlier one the same regime brings (NIS2's final report after its notification).
          const afterValid = r.after === undefined || keys.slice(0, i).includes(r.after);
          if (r.kind !== 'regulatory-report' || !afterValid || plans.has(r.key) || Number.isNaN(Date.parse(r.dueAt))) {
            refuse(REFUSAL.invalidArgument, `report ${r.key} is not a new regulatory report with a deadline`);
          }
          const ladderProblems = validateLadder(r.ladder);
          if (ladderProblems.length)
            refuse(REFUSAL.invalidArgument, `report ${r.key}: its ladder is not valid: ${ladderProblems.join('; ')}`);
        }
      },
    },
  );

  setHandler(
    changeRegimeVariantUpdate,
    async ({ by, regimeId, variant, reason, reports }) => {
      const applied = s.regimes.find((r) => r.id === regimeId)!;
      const from = applied.variant;
      applied.variant = variant;
      const moved: Array<{ key: string; from: string; to: string }> = [];
      const signals: Array<{ taskId: string; dueAt: string }> = [];
      for (const plan of reports) {
        const report = reportOf(plan.key)!;
        if (report.regime) report.regime = { ...report.regime, variant };
        if (report.state === 'in') continue;
        // The plan of a report not opened yet; an open one keeps its task and ladder, with the new deadline.
        plans.set(plan.key, {
          ...plans.get(plan.key)!,
          dueAt: plan.dueAt,
          label: plan.label,
          ...(plan.regime ? { regime: plan.regime } : {}),
        });
        moved.push({ key: plan.key, from: report.dueAt, to: plan.dueAt });
        report.dueAt = plan.dueAt;
        report.label = plan.label;
        const movesTask = !rw || new Date(plan.dueAt).toISOString() !== new Date(moved[moved.length - 1].from).toISOString();
        if (started.has(plan.key) && movesTask) signals.push({ taskId: report.taskId, dueAt: plan.dueAt });
      }
      // Recorded first (its synchronous part runs before any other handler), then the open tasks move.
      const recorded = commit('regime-variant-changed', by.personId, {
        regimeId,
        from,
        to: variant,
        reason: reason.trim(),
        reports: moved,
      });
      for (const { taskId, dueAt } of signals) {
        await getExternalWorkflowHandle(taskId).signal(changeDueSignal, {
          by,
          newDueAt: dueAt,
          reason: `${regimeId} variant ${from} -> ${variant}: ${reason.trim()}`,
        });
      }
      if (!rw) return recorded;
      // Each moved task has recorded its new due time (it tells), or its report went in meanwhile.
      await condition(() =>
        signals.every(({ taskId, dueAt }) => {
          const report = s.reports.find((r) => r.taskId === taskId)!;
          return report.state === 'in' || taskDue.get(report.key) === new Date(dueAt).toISOString();
        }),
      );
      await recorded;
      return snapshot(s);
    },
    {
      validator: (args) => {
        validateActor(args, 'change a regime variant of');
        const applied = s.regimes.find((r) => r.id === args.regimeId);
        if (!applied)
          refuse(
            REFUSAL.invalidArgument,
            `regime ${args.regimeId} does not apply to this incident; it has ${s.regimes.map((r) => r.id).join(', ') || 'none'}`,
          );
        if (!nonEmpty(args.variant)) refuse(REFUSAL.invalidArgument, 'the variant is required');
        if (applied.variant === args.variant)
          refuse(REFUSAL.invalidArgument, `regime ${args.regimeId} already has variant ${args.variant}`);
        if (!nonEmpty(args.reason)) refuse(REFUSAL.invalidArgument, 'a reason for the change is required');
        const current = s.reports.filter((r) => r.regime?.id === args.regimeId).map((r) => r.key);
        const planned = Array.isArray(args.reports) ? args.reports.map((r: IncidentReportPlan) => r.key) : [];
        if (current.length !== planned.length || !current.every((k) => planned.includes(k)))
          refuse(
            REFUSAL.invalidArgument,
            `variant ${args.variant} of ${args.regimeId} owes ${planned.join(', ') || 'no reports'}, not the reports this incident has (${current.join(', ')})`,
          );
        for (const r of args.reports) {
          if (Number.isNaN(Date.parse(r.dueAt))) refuse(REFUSAL.invalidArgument, `report ${r.key} has no valid deadline`);
        }
      },
    },
  );

  // ---- Opening and the life of the incident ------------------------------------------

  const openedCommit = commit('opened', input.openedBy, {
    system: input.system,
    severity: s.severity,
    detectedAt: s.detectedAt,
    responderId: s.responderId,
    regimes: s.regimes,
    reports: s.reports.map((r) => ({ key: r.key, dueAt: r.dueAt })),
  });
  await openedCommit;
  openedVersion = s.version;
  const draft = reportOf('draft');
  await notify({
    taskId: incidentTaskId,
    notificationKey: 'opened',
    kind: 'incident-opened',
    levels: ['governance_lead'],
    ownerId: s.responderId,
    task: {
      kind: 'incident',
      title: input.title,
      subject: { type: 'incident', id: input.incidentId, name: input.title },
      dueAt: draft?.dueAt,
    },
    at: nowIso(),
    note: `System: ${input.system.name}. Severity: ${s.severity}. Detected: ${formatInstant(s.detectedAt)}. Reports owed: ${s.reports.map((r) => `${r.label} by ${formatInstant(r.dueAt)}`).join('; ')}.`,
  });

  while (!closed()) {
    // Read before opening: a report that goes in while another one opens (an await) is a
    // change this pass may have missed, so it wakes the next pass.
    const seen = s.version;
    for (const report of s.reports) {
      if (started.has(report.key) || report.state === 'in') continue;
      const ready = !report.after || reportOf(report.after)?.state === 'in';
      if (ready) await openReport(report);
    }
    if (s.version === seen) settledVersion = seen;
    await condition(() => s.version !== seen);
  }
  await condition(allHandlersFinished);
  await Promise.all(recordings);
  return snapshot(s);
}
