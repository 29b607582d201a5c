/**
 * Upserts of the incident and nonconformity read models from their workflow snapshots. The
 * API writes version 0 when it opens a case; the workflow's activities write every later
 * version. A row only moves forward: an older snapshot never overwrites a newer one.
 */
import type { EntityManager } from 'typeorm';
import type { IncidentStatus } from '../contracts';
import type { NonconformityStatus } from '../contracts';
import { clockSummary } from '../domain';

export async function upsertIncident(tx: EntityManager, s: IncidentStatus): Promise<void> {
  const draft = s.reports.find((r) => r.key === 'draft');
  const { nextDeadlineAt, anyInLate } = clockSummary(s.reports);
  await tx.query(
    `INSERT INTO incidents (id, system_id, title, severity, state, responder_id, detected_at, opened_at, acknowledged_at, contained_at,
                            closed_at, report_due_at, report_submitted_at, next_deadline_at, any_report_late, status, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, now())
     ON CONFLICT (id) DO UPDATE SET
       title = EXCLUDED.title, severity = EXCLUDED.severity, state = EXCLUDED.state, responder_id = EXCLUDED.responder_id,
       opened_at = EXCLUDED.opened_at, acknowledged_at = EXCLUDED.acknowledged_at, contained_at = EXCLUDED.contained_at,
       closed_at = EXCLUDED.closed_at, report_due_at = EXCLUDED.report_due_at, report_submitted_at = EXCLUDED.report_submitted_at,
       next_deadline_at = EXCLUDED.next_deadline_at, any_report_late = EXCLUDED.any_report_late, status = EXCLUDED.status,
       version = EXCLUDED.version, updated_at = now()
     WHERE incidents.version < EXCLUDED.version`,
    [
      s.incidentId,
      s.system.id,
      s.title,
      s.severity,
      s.state,
      s.responderId,
      s.detectedAt,
      s.openedAt,
      s.acknowledgedAt ?? null,
      s.containment?.at ?? null,
      s.closedAt ?? null,
      draft?.dueAt ?? s.detectedAt,
      draft?.submittedAt ?? null,
      nextDeadlineAt,
      anyInLate,
      JSON.stringify(s),
      s.version,
    ],
  );
}

export async function upsertNonconformity(tx: EntityManager, s: NonconformityStatus): Promise<void> {
  await tx.query(
    `INSERT INTO nonconformities (id, source_type, source_ref, grade, title, state, step, action_owner_id, verifier_id, loops,
                                  opened_at, closed_at, status, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
     ON CONFLICT (id) DO UPDATE SET
       state = EXCLUDED.state, step = EXCLUDED.step, action_owner_id = EXCLUDED.action_owner_id, verifier_id = EXCLUDED.verifier_id,
       loops = EXCLUDED.loops, opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at, status = EXCLUDED.status,
       version = EXCLUDED.version, updated_at = now()
     WHERE nonconformities.version < EXCLUDED.version`,
    [
      s.nonconformityId,
      s.source.type,
      s.source.ref,
      s.grade,
      s.title,
      s.state,
      s.step,
      s.actionOwnerId,
      s.verifierId,
      s.loops,
      s.openedAt,
      s.closedAt ?? null,
      JSON.stringify(s),
      s.version,
    ],
  );
}
