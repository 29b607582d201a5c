/**
 * `auditProgramme`: the period's internal audit programme (ISO/IEC 42001 9.2), the round of the
 * org-wide cadence `org:internal-audit`. The AIMS owner plans it (a plan task); a plan that
 * leaves a criterion out or lets an auditor audit their own work is refused and the programme
 * keeps waiting. Each planned audit is a child governanceTask of its auditor (reminders and
 * escalation from the one engine); its findings come in through the programme, which raises a
 * corrective action for every nonconformity. When every audit is in, top management get the
 * report to acknowledge, and the programme closes.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import {
  AcknowledgeReportArgs,
  acknowledgeReportUpdate,
  ACTIVITY_OPTIONS,
  Actor,
  AUDIT_PLAN_DUE_DAYS,
  AUDIT_REPORT_DUE_DAYS,
  AUDIT_TASK_OUTCOME,
  AuditFinding,
  auditPlanTaskId,
  AuditProgrammeActivities,
  AuditProgrammeStatus,
  auditProgrammeStatusQuery,
  auditReportTaskId,
  auditTaskId,
  CorrectiveActionInput,
  GovernanceActivities,
  GovernanceTaskInput,
  nonconformityWorkflowId,
  OrgRoundInput,
  planProgrammeUpdate,
  PlanProgrammeArgs,
  READ_ACTIVITY_OPTIONS,
  RecordFindingsArgs,
  recordFindingsUpdate,
  REFUSAL,
  RefusalType,
  roundOpenedUpdate,
  submitFromParentSignal,
  taskChangedSignal,
  TaskStatus,
  TaskSubject,
} from '../libs/contracts';
import {
  addCalendar,
  correctiveActionPlan,
  correctiveActionPlanDays,
  DEFAULT_LADDER,
  findingsByGrade,
  findingsProblems,
  nonconformityGradeOf,
  planProblems,
  planShapeProblems,
} from '../libs/domain';
import { correctiveAction } from './corrective-action';
import { governanceTask } from './governance-task';
import { nonEmpty, refuse, requireActor, snapshot } from './validation';

const { recordAuditProgramme } = proxyActivities<AuditProgrammeActivities>(ACTIVITY_OPTIONS);
const { loadAuditUniverse } = proxyActivities<AuditProgrammeActivities>(READ_ACTIVITY_OPTIONS);
const { loadPeopleByRole } = proxyActivities<GovernanceActivities>(READ_ACTIVITY_OPTIONS);

export async function auditProgramme(input: OrgRoundInput): Promise<AuditProgrammeStatus> {
  const programmeId = workflowInfo().workflowId;
  const zone = input.timeZone;
  const nowIso = () => new Date().toISOString();
  const subject: TaskSubject = { type: 'audit-programme', id: programmeId, name: `Internal audit programme ${input.period}` };
  const planTaskId = auditPlanTaskId(input.period);
  const reportTaskId = auditReportTaskId(input.period);

  const s: AuditProgrammeStatus = {
    programmeId,
    cadenceId: input.cadenceId,
    period: input.period,
    opensAt: input.opensAt,
    endsAt: input.endsAt,
    state: 'planning',
    ownerId: '',
    planTaskId,
    openedAt: nowIso(),
    criteria: [],
    audits: [],
    findings: [],
    version: 0,
  };

  /** What each child task last told: its status once its opening is recorded, and after each change. */
  const told = new Map<string, TaskStatus>();
  const refusals = new Map<string, { type: string; message: string }>();
  const recordings: Array<Promise<unknown>> = [];
  let opened = false;
  let planning = false;
  const submitting = new Set<number>();
  /** Every audit's findings are recorded and their corrective actions started: the report may open. */
  let allRecorded = false;

  function commit(event: string, actorId?: string, detail?: Record<string, unknown>, raised?: CorrectiveActionInput[]) {
    s.version++;
    const status = snapshot(s);
    const recorded = recordAuditProgramme({ event, at: nowIso(), actorId, detail, status, ...(raised?.length ? { raised } : {}) });
    recordings.push(recorded);
    return recorded;
  }

  function taskInput(over: Pick<GovernanceTaskInput, 'kind' | 'title' | 'ownerId' | 'dueAt'> & Partial<GovernanceTaskInput>) {
    return {
      subject,
      // Planning, auditing and acknowledging are done when submitted: the programme's rules check them.
      approverRoles: [],
      ladder: DEFAULT_LADDER,
      timeZone: zone,
      cadenceId: input.cadenceId,
      period: input.period,
      tellParent: 'changes' as const,
      ...over,
    } satisfies GovernanceTaskInput;
  }

  /** Hands a submission the programme validated to its task, and waits until the task recorded it (or refused it). */
  async function handOn(taskId: string, submission: { by: Actor; summary: string; evidenceUrls?: string[]; outcome?: string }) {
    refusals.delete(taskId);
    await getExternalWorkflowHandle(taskId).signal(submitFromParentSignal, submission);
    await condition(() => told.get(taskId)?.state === 'completed' || refusals.has(taskId));
    const refused = refusals.get(taskId);
    if (refused && told.get(taskId)?.state !== 'completed') {
      refusals.delete(taskId);
      refuse(refused.type as RefusalType, refused.message);
    }
  }

  // ---- Query, signals and Updates (before the first await: an Update may come with the start) ----

  setHandler(auditProgrammeStatusQuery, () => snapshot(s));

  setHandler(taskChangedSignal, (args) => {
    const task = args?.status;
    if (!task?.taskId) return;
    told.set(task.taskId, task);
    if (args.refused) refusals.set(task.taskId, args.refused);
    const audit = s.audits.find((a) => a.taskId === task.taskId);
    if (audit) {
      audit.taskState = task.state;
      audit.auditorId = task.ownerId;
      audit.dueAt = task.dueAt;
    }
  });

  setHandler(roundOpenedUpdate, async () => {
    await condition(() => opened);
    await Promise.all(recordings);
    return { roundId: programmeId, period: input.period, taskIds: [planTaskId] };
  });

  function validatePlan(args: PlanProgrammeArgs | undefined, inHandler = false): void {
    const by = requireActor(args?.by);
    if (s.state !== 'planning') refuse(REFUSAL.invalidState, `the programme was planned at ${s.plannedAt} by ${s.plannedBy}`);
    if (planning && !inHandler) refuse(REFUSAL.invalidState, 'a plan of this programme is being checked');
    const planner = told.get(planTaskId)?.ownerId ?? s.ownerId;
    if (planner && by.personId !== planner)
      refuse(REFUSAL.notPermitted, `only the owner of the plan (${planner}) may plan the programme, not ${by.personId}`);
    const shape = planShapeProblems(args!.audits, new Date());
    if (shape.length) refuse(REFUSAL.invalidArgument, shape.join('; '));
  }

  setHandler(
    planProgrammeUpdate,
    async (args) => {
      // Validators do not run on replay, and two plans may pass theirs in one activation: check again.
      validatePlan(args);
      planning = true;
      try {
        await condition(() => told.has(planTaskId));
        // The plan's owner is known now (a plan sent with the start came before it).
        validatePlan(args, true);
        const auditorIds = [...new Set(args.audits.map((a) => a.auditorId))];
        const universe = await loadAuditUniverse({ from: input.opensAt, to: input.endsAt, auditorIds });
        const problems = planProblems(args.audits, universe);
        if (problems.length) refuse(REFUSAL.invalidArgument, `the plan is refused: ${problems.map((p) => p.message).join('; ')}`);
        const covered = universe.criteria.length;
        await handOn(planTaskId, {
          by: args.by,
          summary: `Planned ${args.audits.length} audit(s) covering the ${covered} criteria (clauses 4-10 and the applicable Annex A controls)`,
        });
        s.criteria = universe.criteria;
        s.plannedAt = nowIso();
        s.plannedBy = args.by.personId;
        s.audits = args.audits.map((a, i) => ({
          n: i + 1,
          taskId: auditTaskId(input.period, i + 1),
          auditorId: a.auditorId,
          criteria: [...a.criteria],
          dueAt: new Date(a.dueAt).toISOString(),
          taskState: 'open',
        }));
        const ownersOf = (criteria: string[]) => [
          ...new Set(s.criteria.filter((c) => criteria.includes(c.id) && c.ownerId).map((c) => c.ownerId!)),
        ];
        for (const audit of s.audits) {
          await startChild(governanceTask, {
            workflowId: audit.taskId,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            args: [
              taskInput({
                kind: 'internal-audit',
                title: `Internal audit ${input.period} #${audit.n}: ${audit.criteria.join(', ')}`,
                ownerId: audit.auditorId,
                dueAt: audit.dueAt,
                // Only the programme records the findings: a submission straight to the task lacks this outcome.
                outcomes: [AUDIT_TASK_OUTCOME],
                // Independence holds after a reassignment too: never to an owner of what it audits.
                excludedOwnerIds: ownersOf(audit.criteria),
              }),
            ],
          });
        }
        // Open means readable: every audit's task has recorded its opening.
        await condition(() => s.audits.every((a) => told.has(a.taskId)));
        s.state = 'auditing';
        await commit('planned', args.by.personId, {
          audits: s.audits.map((a) => ({ n: a.n, taskId: a.taskId, auditorId: a.auditorId, criteria: a.criteria, dueAt: a.dueAt })),
          criteria: s.criteria.length,
        });
      } finally {
        planning = false;
      }
      return snapshot(s);
    },
    { validator: (args) => validatePlan(args) },
  );

  function validateFindings(args: RecordFindingsArgs | undefined) {
    const by = requireActor(args?.by);
    if (s.state === 'planning') refuse(REFUSAL.invalidState, 'the programme is not planned yet: no audit is open');
    const audit = s.audits.find((a) => a.n === args!.audit);
    if (!audit) refuse(REFUSAL.invalidArgument, `the programme has no audit ${args!.audit}; its audits are 1 to ${s.audits.length}`);
    if (audit.findingsAt) refuse(REFUSAL.invalidState, `the findings of audit ${audit.n} were recorded at ${audit.findingsAt}`);
    if (submitting.has(audit.n)) refuse(REFUSAL.invalidState, `findings of audit ${audit.n} are being recorded`);
    if (audit.taskState === 'cancelled') refuse(REFUSAL.invalidState, `audit ${audit.n} was cancelled`);
    const auditor = told.get(audit.taskId)?.ownerId ?? audit.auditorId;
    if (by.personId !== auditor)
      refuse(REFUSAL.notPermitted, `only the auditor of audit ${audit.n} (${auditor}) may record its findings, not ${by.personId}`);
    const problems = findingsProblems(audit.criteria, args!.findings);
    if (problems.length) refuse(REFUSAL.invalidArgument, problems.join('; '));
    return audit;
  }

  /** Who verifies a nonconformity's corrective action: the auditor, else the AIMS owner, else another lead or top manager. */
  async function verifierFor(actionOwnerId: string, auditorId: string): Promise<string> {
    if (auditorId !== actionOwnerId) return auditorId;
    if (s.ownerId !== actionOwnerId) return s.ownerId;
    const others = [...(await loadPeopleByRole('governance_lead')), ...(await loadPeopleByRole('management'))];
    const other = others.find((p) => p.id !== actionOwnerId);
    if (!other) refuse(REFUSAL.invalidState, `nobody but ${actionOwnerId} could verify the corrective action`);
    return other.id;
  }

  setHandler(
    recordFindingsUpdate,
    async (args) => {
      const audit = validateFindings(args);
      submitting.add(audit.n);
      try {
        await condition(() => told.has(audit.taskId));
        const graded = findingsByGrade(args.findings);
        // Who acts on each nonconformity is settled before the task is completed: a refusal leaves nothing done.
        const raised: CorrectiveActionInput[] = [];
        const findings: AuditFinding[] = [];
        for (const f of args.findings) {
          const finding: AuditFinding = {
            id: uuid4(),
            audit: audit.n,
            auditTaskId: audit.taskId,
            criterionId: f.criterionId,
            grade: f.grade,
            summary: f.summary.trim(),
            evidenceUrls: [...(f.evidenceUrls ?? [])],
            ...(f.submission !== undefined ? { submission: snapshot(f.submission) } : {}),
            recordedBy: args.by.personId,
            recordedAt: '', // once the audit's task recorded them, below
          };
          const grade = nonconformityGradeOf(f.grade);
          if (grade) {
            const criterion = s.criteria.find((c) => c.id === f.criterionId);
            const actionOwnerId = criterion?.ownerId ?? s.ownerId;
            const verifierId = await verifierFor(actionOwnerId, args.by.personId);
            finding.nonconformityId = uuid4();
            raised.push({
              nonconformityId: finding.nonconformityId,
              title: `Internal audit ${input.period}: ${grade} nonconformity on ${f.criterionId}${criterion ? ` (${criterion.title})` : ''}`,
              description: finding.summary,
              grade,
              source: { type: 'audit-finding', ref: finding.id },
              actionOwnerId,
              containmentOwnerId: actionOwnerId,
              rootCauseOwnerId: actionOwnerId,
              verifierId,
              openedBy: args.by.personId,
              plan: correctiveActionPlan(grade),
              planDays: correctiveActionPlanDays(grade),
              timeZone: zone,
            });
          }
          findings.push(finding);
        }
        await handOn(audit.taskId, {
          by: args.by,
          summary: `${args.findings.length} finding(s): ${Object.entries(graded)
            .map(([g, n]) => `${n} ${g}`)
            .join(', ')}`,
          evidenceUrls: [...new Set(args.findings.flatMap((f) => f.evidenceUrls ?? []))],
          outcome: AUDIT_TASK_OUTCOME,
        });
        const recordedAt = nowIso();
        for (const f of findings) f.recordedAt = recordedAt;
        s.findings.push(...findings);
        audit.findingsAt = recordedAt;
        audit.taskState = 'completed';
        // The nonconformities' first rows are written with the findings: GET /nonconformities reads them at once.
        await commit(
          'findings-recorded',
          args.by.personId,
          {
            audit: audit.n,
            taskId: audit.taskId,
            findings: findings.map((f) => ({ id: f.id, criterionId: f.criterionId, grade: f.grade })),
          },
          raised,
        );
        for (const nc of raised) {
          // A corrective action outlives the programme (its verification waits months).
          await startChild(correctiveAction, {
            workflowId: nonconformityWorkflowId(nc.nonconformityId),
            args: [nc],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          });
        }
      } finally {
        submitting.delete(audit.n);
      }
      if (s.audits.every((a) => a.findingsAt)) {
        allRecorded = true;
        // The last audit's answer reports the report's task open.
        await condition(() => s.state !== 'auditing');
      }
      await Promise.all(recordings);
      return snapshot(s);
    },
    { validator: (args) => void validateFindings(args) },
  );

  function validateAcknowledgement(args: AcknowledgeReportArgs | undefined): void {
    const by = requireActor(args?.by);
    if (s.state === 'closed')
      refuse(REFUSAL.invalidState, `the report was acknowledged at ${s.report?.acknowledgedAt} by ${s.report?.acknowledgedBy}`);
    if (s.state !== 'reporting') refuse(REFUSAL.invalidState, 'the report is not open yet: every audit must be in first');
    if (acknowledging) refuse(REFUSAL.invalidState, 'an acknowledgement of the report is being recorded');
    const reader = told.get(reportTaskId)?.ownerId ?? s.report!.ownerId;
    if (by.personId !== reader)
      refuse(REFUSAL.notPermitted, `only the report's addressee (${reader}) may acknowledge it, not ${by.personId}`);
    if (!nonEmpty(args!.summary)) refuse(REFUSAL.invalidArgument, 'a summary of what the report says to top management is required');
  }

  let acknowledging = false;
  setHandler(
    acknowledgeReportUpdate,
    async (args) => {
      validateAcknowledgement(args);
      acknowledging = true;
      try {
        await handOn(reportTaskId, { by: args.by, summary: args.summary });
      } finally {
        acknowledging = false;
      }
      await condition(() => s.state === 'closed');
      await Promise.all(recordings);
      return snapshot(s);
    },
    { validator: validateAcknowledgement },
  );

  // ---- The programme's life ----------------------------------------------------------

  const owner = (await loadPeopleByRole('governance_lead'))[0] ?? (await loadPeopleByRole('admin'))[0];
  if (!owner) throw ApplicationFailure.create({ nonRetryable: true, message: 'no active governance lead or admin to own the programme' });
  s.ownerId = owner.id;
  await commit('opened', undefined, { period: input.period, opensAt: input.opensAt, endsAt: input.endsAt, ownerId: s.ownerId });
  await startChild(governanceTask, {
    workflowId: planTaskId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [
      taskInput({
        kind: 'audit-plan',
        title: `Plan the internal audit programme ${input.period}: every clause 4-10 and every applicable Annex A control`,
        ownerId: s.ownerId,
        dueAt: addCalendar(new Date(s.openedAt), { days: AUDIT_PLAN_DUE_DAYS }, zone).toISOString(),
      }),
    ],
  });
  await condition(() => told.has(planTaskId));
  opened = true;

  await condition(() => allRecorded);
  const management = (await loadPeopleByRole('management'))[0];
  const graded = findingsByGrade(s.findings);
  const raisedCount = s.findings.filter((f) => f.nonconformityId).length;
  const title =
    `Internal audit report ${input.period}: ${s.criteria.length} criteria audited in ${s.audits.length} audit(s); ` +
    `${graded.conformity} conformity, ${graded['minor-nonconformity']} minor and ${graded['major-nonconformity']} major nonconformities, ` +
    `${graded.observation} observation(s); ${raisedCount} corrective action(s) raised`;
  const reportOpenedAt = new Date();
  s.report = {
    taskId: reportTaskId,
    ownerId: management?.id ?? s.ownerId,
    title,
    openedAt: reportOpenedAt.toISOString(),
    dueAt: addCalendar(reportOpenedAt, { days: AUDIT_REPORT_DUE_DAYS }, zone).toISOString(),
  };
  await startChild(governanceTask, {
    workflowId: reportTaskId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [taskInput({ kind: 'audit-report', title, ownerId: s.report.ownerId, dueAt: s.report.dueAt })],
  });
  await condition(() => told.has(reportTaskId));
  s.state = 'reporting';
  await commit('report-opened', undefined, { taskId: reportTaskId, ownerId: s.report.ownerId, dueAt: s.report.dueAt });

  // Submission is acknowledgement: the report has no approver.
  await condition(() => told.get(reportTaskId)?.state === 'completed');
  const report = told.get(reportTaskId)!;
  s.report.acknowledgedBy = report.submittedBy;
  s.report.acknowledgedAt = report.submittedAt;
  s.report.summary = report.summary;
  s.state = 'closed';
  s.closedAt = nowIso();
  await commit('closed', report.submittedBy, { acknowledgedBy: report.submittedBy, summary: report.summary });
  await condition(allHandlersFinished);
  await Promise.all(recordings);
  return snapshot(s);
}
