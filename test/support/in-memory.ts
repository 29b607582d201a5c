/**
 * In-memory fakes of the activities' ports, for the unit and workflow tests (test-only: the
 * worker never ships them): they keep every notification (with its workflow time and
 * recipients), every recorded transition, the read model and the outbox.
 */
import type {
  AuditProgrammeStatus,
  AuditResults,
  CycleSystem,
  InventoryChange,
  ManagementReviewPack,
  ManagementReviewStatus,
  IncidentStatus,
  NonconformityStatus,
  NotifyInput,
  NotifyResult,
  RecertificationOwner,
  PolicyForRound,
  PolicyReviewStatus,
  RecordAuditProgrammeInput,
  RecordCaseInput,
  RecordRecertificationRoundInput,
  RecordRecertificationsInput,
  RecordTransitionInput,
  Role,
  TaskStatus,
} from '../../libs/contracts';
import type { ActivityDeps, OutboxMessage, Person } from '../../activities';
import { initialNonconformityStatus } from '../../libs/contracts';
import {
  auditCriteria,
  coveragePercent,
  CRITERIA_EVIDENCED_BY,
  ESCALATION_LEVELS,
  isOverdue,
  isRecertified,
  percentOrNull,
  quarterOf,
  TaskKind,
} from '../../libs/domain';
import { INTERESTED_PARTIES_NOT_RECORDED, REGIMES_NOT_RECORDED, transitionKey } from '../../libs/persistence';

export interface RecordedNotification extends NotifyInput, NotifyResult {}

export interface InMemoryPorts extends ActivityDeps {
  people: Map<string, Person>;
  systemsById: Map<string, CycleSystem>;
  notifications: RecordedNotification[];
  transitions: RecordTransitionInput[];
  /** The read model: latest status per task (a lower version never overwrites a higher one). */
  tasks: Map<string, TaskStatus>;
  outboxRows: Map<string, { message: OutboxMessage; status: 'pending' | 'sent'; attempts: number }>;
  /** Read models of incidents and nonconformities (latest version), and every recorded case event. */
  incidents: Map<string, IncidentStatus>;
  nonconformities: Map<string, NonconformityStatus>;
  caseEvents: Array<RecordCaseInput<IncidentStatus> | RecordCaseInput<NonconformityStatus>>;
  /** Recertification rounds recorded, and each system's confirmation per period (`<period>/<systemId>`). */
  recertificationRounds: RecordRecertificationRoundInput[];
  recertifications: Map<string, RecordRecertificationsInput & { systemId: string; note?: string }>;
  /** The policy register (what the yearly round loads) and the reviews' read model and events. */
  policiesById: Map<string, PolicyForRound & { approvedBy?: string; lastReviewedAt?: string }>;
  policyReviews: Map<string, PolicyReviewStatus>;
  policyReviewEvents: Array<RecordCaseInput<PolicyReviewStatus>>;
  /** The audit programme's inputs: clause owners, the SoA's applicable controls and their owners, deactivated people. */
  clauseOwners: Map<string, string | null>;
  applicableControls: Map<string, string | null>;
  inactive: Set<string>;
  /** The programmes' read model (latest version) and every recorded programme event. */
  programmes: Map<string, AuditProgrammeStatus>;
  auditProgrammeEvents: RecordAuditProgrammeInput[];
  /** Management reviews (latest version) and their recorded events. */
  reviews: Map<string, ManagementReviewStatus>;
  reviewEvents: Array<RecordCaseInput<ManagementReviewStatus>>;
  /** What the next compiled pack reads as audit results and inventory changes (tests set them). */
  auditResults: AuditResults;
  inventoryChanges: InventoryChange[];
  /** Every message handed to the "transport". */
  delivered: OutboxMessage[];
  addPerson(p: Person): void;
  addSystem(s: CycleSystem): void;
  notificationsFor(taskId: string): RecordedNotification[];
  transitionsFor(taskId: string): RecordTransitionInput[];
}

export function createInMemoryPorts(seed: { people?: Person[]; systems?: CycleSystem[] } = {}): InMemoryPorts {
  const people = new Map<string, Person>();
  const systemsById = new Map<string, CycleSystem>();
  const notifications: RecordedNotification[] = [];
  const transitions: RecordTransitionInput[] = [];
  const tasks = new Map<string, TaskStatus>();
  const outboxRows: InMemoryPorts['outboxRows'] = new Map();
  const delivered: OutboxMessage[] = [];
  const auditKeys = new Set<string>();
  const incidents = new Map<string, IncidentStatus>();
  const nonconformities = new Map<string, NonconformityStatus>();
  const caseEvents: InMemoryPorts['caseEvents'] = [];
  const policiesById: InMemoryPorts['policiesById'] = new Map();
  const policyReviews = new Map<string, PolicyReviewStatus>();
  const policyReviewEvents: InMemoryPorts['policyReviewEvents'] = [];
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  const recertificationRounds: RecordRecertificationRoundInput[] = [];
  const recertifications: InMemoryPorts['recertifications'] = new Map();
  const clauseOwners = new Map<string, string | null>();
  const applicableControls = new Map<string, string | null>();
  const inactive = new Set<string>();
  const programmes = new Map<string, AuditProgrammeStatus>();
  const auditProgrammeEvents: RecordAuditProgrammeInput[] = [];
  const reviews = new Map<string, ManagementReviewStatus>();
  const reviewEvents: InMemoryPorts['reviewEvents'] = [];

  /** Upsert-if-newer and append-once, like the PostgreSQL port. */
  function recordCase<S extends { version: number }>(models: Map<string, S>, id: string, input: RecordCaseInput<S>): void {
    const key = transitionKey(id, input.status.version, input.event);
    if (!auditKeys.has(key)) {
      auditKeys.add(key);
      caseEvents.push(clone(input) as never);
    }
    const current = models.get(id);
    if (!current || current.version < input.status.version) models.set(id, clone(input.status));
  }

  /** The pack as libs/persistence compiles it, over the fake's read models, at workflow time `at`. */
  function compilePack(input: { reviewId: string; at: string; fallbackSince: string; timeZone: string }): ManagementReviewPack {
    const at = new Date(input.at);
    const previous = [...reviews.values()]
      .filter((r) => r.reviewId !== input.reviewId && r.openedAt < input.at)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
    const since = previous ? previous.openedAt : input.fallbackSince;
    const all = [...tasks.values()];
    const ncs = [...nonconformities.values()];
    const open = ncs.filter((n) => n.state === 'open');
    const checks = all.filter((t) => t.kind === 'corrective-action-step' && t.state === 'completed' && (t.submittedAt ?? '') >= since);
    const firstQuarter = quarterOf(new Date(since), input.timeZone).key;
    const periods = [
      ...new Set(all.filter((t) => t.kind === 'high-risk-review' && (t.period ?? '') >= firstQuarter).map((t) => t.period!)),
    ].sort();
    const overdue = all.filter((t) => isOverdue(t, at));
    const incs = [...incidents.values()];
    const drafts = incs.filter((i) => i.detectedAt >= since).map((i) => i.reports.find((r) => r.key === 'draft'));
    const onTime = drafts.filter((d) => d?.submittedAt && d.submittedAt <= d.dueAt).length;
    const late = drafts.filter((d) => d && (d.submittedAt ? d.submittedAt > d.dueAt : d.dueAt < input.at)).length;
    const inventory = ports.inventoryChanges.filter((c) => c.at >= since);
    return {
      compiledAt: input.at,
      since,
      previousReviewId: previous?.reviewId ?? null,
      previousActions: all
        .filter((t) => t.kind === 'management-review-action' && t.subject.id !== input.reviewId)
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.taskId.localeCompare(b.taskId))
        .map((t) => ({
          taskId: t.taskId,
          reviewId: t.subject.id,
          title: t.title,
          ownerId: t.ownerId,
          state: t.state,
          dueAt: t.dueAt,
          overdue: isOverdue(t, at),
          escalationLevel: t.escalationLevel,
          escalation: ESCALATION_LEVELS[t.escalationLevel],
          ...(t.submittedAt && (t.state === 'approved' || t.state === 'completed') ? { doneAt: t.submittedAt } : {}),
        })),
      changes: {
        inventory: clone(inventory),
        registered: inventory.filter((c) => c.change === 'registered').length,
        retired: inventory.filter((c) => c.change === 'retired').length,
        reclassified: inventory.filter((c) => c.change === 'reclassified').length,
        lifecycleChanges: inventory.filter((c) => c.change === 'lifecycle' || c.change === 'retired').length,
        regimes: REGIMES_NOT_RECORDED,
      },
      interestedParties: INTERESTED_PARTIES_NOT_RECORDED,
      performance: {
        nonconformities: {
          open: open.length,
          overdue: open.filter((n) => n.currentTaskId && tasks.get(n.currentTaskId) && isOverdue(tasks.get(n.currentTaskId)!, at)).length,
          openedSince: ncs.filter((n) => n.openedAt >= since).length,
          closedSince: ncs.filter((n) => (n.closedAt ?? '') >= since).length,
          effective: checks.filter((t) => t.outcome === 'effective').length,
          notEffective: checks.filter((t) => t.outcome === 'not_effective').length,
          openList: open.map((n) => ({
            id: n.nonconformityId,
            title: n.title,
            grade: n.grade,
            step: n.step,
            openedAt: n.openedAt,
            sourceType: n.source.type,
          })),
        },
        monitoring: {
          highRiskReviewCoverage: periods.map((period) => {
            const of = all.filter((t) => t.kind === 'high-risk-review' && t.period === period);
            const expected = of.filter((t) => t.state !== 'cancelled').length;
            const approved = of.filter((t) => t.state === 'approved').length;
            return { period, expected, approved, coveragePercent: coveragePercent(approved, expected) };
          }),
          overdueByEscalationLevel: ESCALATION_LEVELS.map((level, i) => ({
            level,
            count: overdue.filter((t) => t.escalationLevel === i).length,
          })),
          incidents: {
            openedSince: incs.filter((i) => i.openedAt >= since).length,
            open: incs.filter((i) => i.state === 'open').length,
            closedSince: incs.filter((i) => (i.closedAt ?? '') >= since).length,
            draftsOnTime: onTime,
            draftsLate: late,
            onTimePercent: percentOrNull(onTime, onTime + late),
          },
        },
        audits: clone(ports.auditResults),
      },
    };
  }

  const ports: InMemoryPorts = {
    publicUrl: 'http://aims.test',
    reviews,
    reviewEvents,
    auditResults: { recorded: false, programmes: [], findingsByGrade: {}, nonconformitiesRaised: 0 },
    inventoryChanges: [],
    managementReviews: {
      async compilePack(input) {
        return compilePack(input);
      },
      async record(input) {
        const key = transitionKey(input.status.reviewId, input.status.version, input.event);
        if (!auditKeys.has(key)) {
          auditKeys.add(key);
          reviewEvents.push(clone(input));
        }
        const current = reviews.get(input.status.reviewId);
        if (!current || current.version < input.status.version) reviews.set(input.status.reviewId, clone(input.status));
      },
      async inactivePeople(ids) {
        return ids.filter((id) => !people.has(id) || inactive.has(id));
      },
    },
    people,
    policiesById,
    policyReviews,
    policyReviewEvents,
    clauseOwners,
    applicableControls,
    inactive,
    programmes,
    auditProgrammeEvents,
    incidents,
    nonconformities,
    caseEvents,
    recertificationRounds,
    recertifications,
    systemsById,
    notifications,
    transitions,
    tasks,
    outboxRows,
    delivered,
    addPerson: (p) => void people.set(p.id, p),
    addSystem: (s) => void systemsById.set(s.id, s),
    notificationsFor: (taskId) => notifications.filter((n) => n.taskId === taskId),
    transitionsFor: (taskId) => transitions.filter((t) => t.taskId === taskId),
    directory: {
      async person(id) {
        return people.get(id) ?? null;
      },
      async peopleByRole(role: Role) {
        return [...people.values()].filter((p) => p.role === role && !inactive.has(p.id));
      },
    },
    records: {
      async record(input) {
        const key = transitionKey(input.taskId, input.status.version, input.event);
        if (!auditKeys.has(key)) {
          auditKeys.add(key);
          transitions.push(clone(input));
        }
        const current = tasks.get(input.taskId);
        if (!current || current.version < input.status.version) tasks.set(input.taskId, clone(input.status));
      },
    },
    outbox: {
      async claim(message) {
        let row = outboxRows.get(message.idempotencyKey);
        if (!row) {
          row = { message: clone(message), status: 'pending', attempts: 0 };
          outboxRows.set(message.idempotencyKey, row);
        }
        if (row.status === 'sent') return { status: 'sent', attempts: row.attempts };
        row.attempts++;
        return { status: 'pending', attempts: row.attempts, stored: clone(row.message) };
      },
      async deliver(message) {
        delivered.push(clone(message));
      },
      async markSent(key) {
        const row = outboxRows.get(key);
        if (row) row.status = 'sent';
      },
    },
    cases: {
      async recordIncident(input) {
        recordCase(incidents, input.status.incidentId, input);
      },
      async recordNonconformity(input) {
        recordCase(nonconformities, input.status.nonconformityId, input);
      },
    },
    auditProgrammes: {
      async universe(input) {
        const kinds = Object.keys(CRITERIA_EVIDENCED_BY) as TaskKind[];
        const from = Date.parse(input.from);
        const to = Date.parse(input.to);
        return {
          criteria: auditCriteria(
            clauseOwners,
            [...applicableControls].map(([controlId, ownerId]) => ({ controlId, ownerId })),
          ),
          people: input.auditorIds.flatMap((id) => {
            const p = people.get(id);
            return p ? [{ id: p.id, name: p.name, active: !inactive.has(p.id) }] : [];
          }),
          submittedWork: [...tasks.values()]
            .filter((t) => t.submittedBy && input.auditorIds.includes(t.submittedBy) && kinds.includes(t.kind))
            .filter((t) => Date.parse(t.submittedAt!) >= from && Date.parse(t.submittedAt!) < to)
            .map((t) => ({ taskId: t.taskId, kind: t.kind, submittedBy: t.submittedBy! })),
        };
      },
      async record(input) {
        const id = input.status.programmeId;
        const key = transitionKey(id, input.status.version, input.event);
        if (auditKeys.has(key)) return;
        auditKeys.add(key);
        auditProgrammeEvents.push(clone(input));
        const current = programmes.get(id);
        if (!current || current.version < input.status.version) programmes.set(id, clone(input.status));
        for (const nc of input.raised ?? []) {
          if (!nonconformities.has(nc.nonconformityId)) nonconformities.set(nc.nonconformityId, initialNonconformityStatus(nc, input.at));
        }
      },
    },
    systems: {
      async find(systemId) {
        return systemsById.get(systemId) ?? null;
      },
    },
    recertification: {
      // Like the SQL: owners who exist, with their systems in scope, by owner id then name.
      async owners() {
        const byOwner = new Map<string, RecertificationOwner>();
        const systems = [...systemsById.values()].filter(isRecertified).sort((a, b) => a.name.localeCompare(b.name));
        for (const sys of systems) {
          const p = people.get(sys.ownerId);
          if (!p) continue;
          let o = byOwner.get(p.id);
          if (!o) byOwner.set(p.id, (o = { ownerId: p.id, name: p.name, systems: [] }));
          o.systems.push({ systemId: sys.id, name: sys.name });
        }
        return [...byOwner.values()].sort((a, b) => a.ownerId.localeCompare(b.ownerId));
      },
      async recordRound(input) {
        if (!recertificationRounds.some((r) => r.period === input.period)) recertificationRounds.push(clone(input));
      },
      async recordConfirmations(input) {
        for (const c of input.systems) {
          const key = `${input.period}/${c.systemId}`;
          if (!recertifications.has(key)) recertifications.set(key, { ...clone(input), systemId: c.systemId, note: c.note });
        }
      },
    },
    policies: {
      async forReview() {
        const open = new Set(['opening', 'open', 'submitted']);
        return [...policiesById.values()].map(({ approvedBy: _a, lastReviewedAt: _l, openReviewId: _o, ...p }) => {
          const review = [...policyReviews.values()].find((r) => r.policyId === p.id && open.has(r.state));
          return { ...p, ...(review ? { openReviewId: review.reviewId } : {}) };
        });
      },
      async recordReview(input) {
        const s = input.status;
        const key = transitionKey(s.reviewId, s.version, input.event);
        if (auditKeys.has(key)) return;
        auditKeys.add(key);
        policyReviewEvents.push(clone(input));
        const current = policyReviews.get(s.reviewId);
        if (!current || current.version < s.version) policyReviews.set(s.reviewId, clone(s));
        const policy = policiesById.get(s.policyId);
        if (input.event === 'approved' && policy && s.newVersion) {
          Object.assign(policy, {
            version: s.newVersion,
            // Like the PostgreSQL writer: the document changes only when the review changed it.
            ...(s.documentUrl !== undefined && s.documentUrl !== s.previousDocumentUrl ? { documentUrl: s.documentUrl } : {}),
            approvedBy: s.approvedBy,
            lastReviewedAt: s.approvedAt,
          });
        }
      },
    },
    onNotified(input, result) {
      notifications.push(clone({ ...input, ...result }));
    },
  };
  for (const p of seed.people ?? []) ports.addPerson(p);
  for (const s of seed.systems ?? []) ports.addSystem(s);
  return ports;
}
