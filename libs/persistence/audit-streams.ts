/**
 * The audit trail's streams and idempotency keys, named once. A stream is what an event is
 * about; the key makes a retried append a no-op. Every append goes through here: a
 * workflow's transitions (tasks, incidents, nonconformities, via read-models.ts) and the
 * API's own events (people, tokens, systems, cadences, the opening of an incident or a
 * nonconformity). The formats are those of the rows already written: keep them as they are.
 * Each stream is its own hash chain (audit-trail.ts): an append waits only for appends to the
 * same stream.
 */
import { randomUUID } from 'crypto';
import type { EntityManager } from 'typeorm';
import { incidentWorkflowId, nonconformityWorkflowId } from '../contracts';
import { appendAuditEvent, appendAuditEvents, AuditEventInput } from './audit-trail';

export interface AuditStream {
  readonly streamId: string;
  /** The key of an event that may happen any number of times: a fresh one per append. */
  freshKey(event: string): string;
}

function stream(streamId: string, freshKey = (event: string) => `${event}:${randomUUID()}`): AuditStream {
  return { streamId, freshKey };
}

export const AUDIT_STREAMS = {
  /** `person:<id>`: registration, changes, deactivation and reactivation, tokens issued and revoked, calendar feeds created and revoked. */
  person: (personId: string): AuditStream => stream(`person:${personId}`),
  /** `system:<id>`: registration and changes of an AI system. */
  system: (systemId: string): AuditStream => stream(`system:${systemId}`),
  /** `system-import:<id>`: a bulk import of the inventory, started and finished (each system's registration goes to its own stream). */
  systemImport: (importId: string): AuditStream => stream(`system-import:${importId}`),
  /** `cadence:<cadence id>`: pauses, unpauses, triggers; their keys carry the cadence id too. */
  cadence: (cadenceId: string): AuditStream => stream(`cadence:${cadenceId}`, (event) => `${event}:${cadenceId}:${randomUUID()}`),
  /** `soa:<control id>`: every version of a control's line in the Statement of Applicability. */
  soa: (controlId: string): AuditStream => stream(`soa:${controlId}`),
  /** `inventory-recertification:<period>`: a recertification round's opening (its confirmations go to each system's stream). */
  recertificationRound: (period: string): AuditStream => stream(`inventory-recertification:${period}`),
  /** `policy:<id>`: a policy's registration, changes, major changes and each approved review's new version. */
  policy: (policyId: string): AuditStream => stream(`policy:${policyId}`),
  /** A policyReview's transitions go to its workflow id, `policy:<id>:review:<key>`. */
  policyReview: (reviewId: string): AuditStream => stream(reviewId),
  /** `aims-clause:<clause>`: every version of a clause's line in the clause register (its owner). */
  aimsClause: (clause: string): AuditStream => stream(`aims-clause:${clause}`),
  /** An audit programme's transitions go to its workflow id (`internal-audit:<period>`). */
  auditProgramme: (programmeId: string): AuditStream => stream(programmeId),
  /** A governanceTask's transitions go to its workflow id. */
  task: (taskId: string): AuditStream => stream(taskId),
  /** `incident:<id>`, the incident workflow's id. */
  incident: (incidentId: string): AuditStream => stream(incidentWorkflowId(incidentId)),
  /** `nonconformity:<id>`, the corrective-action workflow's id. */
  nonconformity: (nonconformityId: string): AuditStream => stream(nonconformityWorkflowId(nonconformityId)),
  /** `management-review:<period>`, the managementReview workflow's id (its review id). */
  managementReview: (reviewId: string): AuditStream => stream(reviewId),
};

/** A workflow's recorded transition: one event per version of its snapshot, `<stream>#<version>:<event>`. */
export function transitionKey(streamId: string, version: number, event: string): string {
  return `${streamId}#${version}:${event}`;
}

export interface StreamEvent {
  event: string;
  actorId: string | null;
  /** Defaults to now. */
  occurredAt?: Date;
  detail?: Record<string, unknown>;
  /**
   * Set when the event happens once for this id (a person's registration, a token's issue, a
   * system's registration): keyed `<event>:<id>`, so a second append is a no-op. Unset: every
   * append is its own event, keyed by the stream's `freshKey`.
   */
  onceFor?: string;
}

/** An event the API records, as the trail stores it. */
export function streamEvent(s: AuditStream, e: StreamEvent): AuditEventInput {
  return {
    streamId: s.streamId,
    idempotencyKey: e.onceFor !== undefined ? `${e.event}:${e.onceFor}` : s.freshKey(e.event),
    event: e.event,
    actorId: e.actorId,
    occurredAt: e.occurredAt ?? new Date(),
    detail: e.detail,
  };
}

/** Appends an event the API records, within the caller's transaction. Returns false if it was already there. */
export function appendToStream(tx: EntityManager, s: AuditStream, e: StreamEvent): Promise<boolean> {
  return appendAuditEvent(tx, streamEvent(s, e));
}

export interface TransitionEvent {
  event: string;
  /** The version of the snapshot the transition produced. */
  version: number;
  actorId: string | null;
  /** ISO instant, workflow time. */
  at: string;
  detail: Record<string, unknown>;
}

/** A workflow's transition, as the trail stores it, keyed by `transitionKey`. */
export function transitionEvent(s: AuditStream, t: TransitionEvent): AuditEventInput {
  return {
    streamId: s.streamId,
    idempotencyKey: transitionKey(s.streamId, t.version, t.event),
    event: t.event,
    actorId: t.actorId,
    occurredAt: new Date(t.at),
    detail: t.detail,
  };
}

/** Appends a workflow's transition, within the caller's transaction, keyed by `transitionKey`. */
export function appendTransition(tx: EntityManager, s: AuditStream, t: TransitionEvent): Promise<boolean> {
  return appendAuditEvent(tx, transitionEvent(s, t));
}

/**
 * Appends the events of a transaction that writes to several streams, after its other
 * writes: each append holds its stream's head until commit, so they are taken together, in
 * the one order of `appendAuditEvents` (two such transactions never wait on each other's
 * heads in a cycle). Answers, in the given order, whether each was appended.
 */
export function appendToStreams(tx: EntityManager, events: readonly AuditEventInput[]): Promise<boolean[]> {
  return appendAuditEvents(tx, events);
}
