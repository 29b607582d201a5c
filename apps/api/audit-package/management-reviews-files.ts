/**
 * The audit package's management reviews (ISO/IEC 42001 9.3): every review open at some time in
 * the period with its pack, proposals and decisions (JSON), and one CSV line per decision with
 * its action's task as it stands at generation. Few rows (a review per interval): read at once.
 */
import type { EntityManager } from 'typeorm';
import type { ManagementReviewStatus } from '../../../libs/contracts';
import { toCsv } from '../common/csv';
import type { AuditPeriod } from './audit-package.service';
import type { ZipWriter } from './zip-writer';

export const MANAGEMENT_REVIEW_FILES = ['management-reviews.json', 'management-review-decisions.csv'] as const;

const DECISION_COLUMNS = [
  'review_id',
  'period',
  'decided_by',
  'decided_at',
  'n',
  'type',
  'text',
  'action_task_id',
  'action_title',
  'action_owner_id',
  'action_due_at',
  'action_state',
  'action_submitted_at',
  'action_approved_by',
] as const;

/** Writes both files within the package's snapshot transaction `tx`. */
export async function writeManagementReviewFiles(zip: ZipWriter, tx: EntityManager, period: AuditPeriod): Promise<void> {
  const rows: Array<{ status: ManagementReviewStatus }> = await tx.query(
    `SELECT status FROM management_reviews WHERE opened_at < $2 AND (closed_at IS NULL OR closed_at >= $1) ORDER BY opened_at, id`,
    [period.from, period.to],
  );
  const reviews = rows.map((r) => r.status);
  await zip.file(MANAGEMENT_REVIEW_FILES[0], [`${JSON.stringify(reviews, null, 2)}\n`]);

  const taskIds = reviews.flatMap((r) => r.decisions.flatMap((d) => (d.action ? [d.action.taskId] : [])));
  const tasks: Array<Record<string, any>> = taskIds.length
    ? await tx.query(`SELECT id, owner_id, due_at, state, submitted_at, approved_by FROM tasks WHERE id = ANY($1)`, [taskIds])
    : [];
  const byId = new Map(tasks.map((t) => [t.id as string, t]));
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  const lines = reviews.flatMap((r) =>
    r.decisions.map((d) => {
      const t = d.action ? byId.get(d.action.taskId) : undefined;
      return [
        r.reviewId,
        r.period,
        r.decidedBy ?? null,
        r.decidedAt ?? null,
        d.n,
        d.type,
        d.text,
        d.action?.taskId ?? null,
        d.action?.title ?? null,
        d.action ? (t?.owner_id ?? d.action.ownerId) : null,
        d.action ? (iso(t?.due_at) ?? d.action.dueAt) : null,
        d.action ? (t?.state ?? d.action.state) : null,
        iso(t?.submitted_at),
        t?.approved_by ?? null,
      ];
    }),
  );
  await zip.file(MANAGEMENT_REVIEW_FILES[1], [toCsv(DECISION_COLUMNS, lines)]);
}
