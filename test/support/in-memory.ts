/**
 * In-memory fakes of the activities' ports, for the unit and workflow tests (test-only: the
 * worker never ships them): they keep every notification (with its workflow time and
 * recipients), every recorded transition, the read model and the outbox.
 */
import type {
  AuditProgrammeStatus,
  CycleSystem,
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
import { transitionKey } from '../../libs/persistence';
import { initialNonconformityStatus } from '../../libs/contracts';
import { auditCriteria, CRITERIA_EVIDENCED_BY, isRecertified, TaskKind } from '../../libs/domain';

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

  const ports: InMemoryPorts = {
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
        return [...people.values()].filter((p) => p.role === role);
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
        return { status: 'pending', attempts: row.attempts };
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
