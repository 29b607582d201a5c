/**
 * The outside world the activities talk to, as ports: PostgreSQL + SMTP in production and
 * e2e (postgres.ts, email-outbox.ts), in-memory fakes in the tests (test/support/in-memory.ts).
 */
import type {
  CycleSystem,
  IncidentStatus,
  NonconformityStatus,
  NotifyInput,
  NotifyResult,
  RecordCaseInput,
  RecordTransitionInput,
  Role,
} from '../libs/contracts';
import type { RecertificationPort } from './inventory-recertification';
import type { PolicyRecords } from './policies';
import type { AuditProgrammeRecords } from './audit-programme';
import type { ManagementReviewPort } from './management-review';

export type { ManagementReviewPort } from './management-review';

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
  managerId: string | null;
}

export interface PeopleDirectory {
  person(id: string): Promise<Person | null>;
  peopleByRole(role: Role): Promise<Person[]>;
}

export interface TaskRecords {
  /**
   * In ONE transaction: upsert the task read model if `input.status.version` is newer than
   * the stored one, and append the audit event keyed `${taskId}#${version}:${event}`.
   * Idempotent: a retry changes nothing. Over PostgreSQL: libs/persistence read-models.ts
   * (`recordTaskTransition`), keys from audit-streams.ts (`transitionKey`).
   */
  record(input: RecordTransitionInput): Promise<void>;
}

export interface OutboxMessage {
  /** `${taskId}/${notificationKey}/${email}` */
  idempotencyKey: string;
  messageId: string;
  recipientPersonId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface EmailOutbox {
  /**
   * Writes the row if it is not there (pending). Returns 'sent' if it was already sent;
   * otherwise counts one more send attempt and returns 'pending' with the attempt count and
   * the message as stored (a retry sends exactly what was written first).
   */
  claim(
    message: OutboxMessage,
  ): Promise<{ status: 'sent'; attempts: number } | { status: 'pending'; attempts: number; stored: OutboxMessage }>;
  /** Hands the stored message to the transport, with its fixed Message-ID. */
  deliver(stored: OutboxMessage): Promise<void>;
  /** Marks the row sent. */
  markSent(idempotencyKey: string): Promise<void>;
}

/**
 * Which emails SMTP accepted in this activity execution, across its attempts, kept where a
 * retry sees it while the database cannot be reached (over Temporal: the activity's heartbeat
 * details, activities/sent-ledger.ts). A retry only marks such an email sent; it never sends it again.
 */
export interface SentLedger {
  /** Whether SMTP accepted this email in an earlier attempt (or earlier in this one). */
  has(idempotencyKey: string): boolean;
  /** Records that SMTP accepted it, before the outbox row is marked. */
  add(idempotencyKey: string): void;
}

export interface SystemsPort {
  find(systemId: string): Promise<CycleSystem | null>;
}

/**
 * The read models of incidents and nonconformities: in ONE transaction, upsert the row if the
 * snapshot's version is newer and append the audit event keyed `<stream>#<version>:<event>`
 * (over PostgreSQL: libs/persistence read-models.ts `recordIncident`, `recordNonconformity`).
 */
export interface CaseRecords {
  recordIncident(input: RecordCaseInput<IncidentStatus>): Promise<void>;
  recordNonconformity(input: RecordCaseInput<NonconformityStatus>): Promise<void>;
}

export interface ActivityDeps {
  directory: PeopleDirectory;
  /** The policy register and its reviews (activities/policies.ts). */
  policies: PolicyRecords;
  /** The audit programme's universe and records (activities/audit-programme.ts). */
  auditProgrammes: AuditProgrammeRecords;
  records: TaskRecords;
  cases: CaseRecords;
  outbox: EmailOutbox;
  systems: SystemsPort;
  recertification: RecertificationPort;
  /** The management reviews' records and pack reads (activities/management-review.ts). */
  managementReviews: ManagementReviewPort;
  /** AIMS_PUBLIC_URL: emails link to the work's page under it. */
  publicUrl: string;
  /**
   * Opens the sent-ledger of the running activity execution, once per notify. Default: its
   * Temporal heartbeat details (`temporalSentLedger`); tests may pass one that outlives a call.
   */
  sentLedger?: () => SentLedger;
  /** Test fault hook: runs after an email was sent and marked sent. */
  afterSend?: (idempotencyKey: string) => void | Promise<void>;
  /** Observer of every completed notification (tests record them with their workflow time). */
  onNotified?: (input: NotifyInput, result: NotifyResult) => void | Promise<void>;
}
