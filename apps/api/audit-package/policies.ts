/** The audit package's policy register (ISO/IEC 42001 5.2, A.2): the policies and their reviews, JSON and CSV. */
import type { EntityManager } from 'typeorm';
import type { PolicyReviewStatus } from '../../../libs/contracts';
import { toCsv } from '../common/csv';
import type { ZipWriter } from './zip-writer';

const POLICY_COLUMNS = [
  'id',
  'title',
  'owner_id',
  'owner_name',
  'version',
  'document_url',
  'approved_by',
  'approved_by_name',
  'last_reviewed_at',
  'created_at',
  'updated_at',
] as const;

const REVIEW_COLUMNS = [
  'review_id',
  'policy_id',
  'policy_title',
  'key',
  'trigger',
  'reason',
  'task_id',
  'state',
  'owner_id',
  'opened_at',
  'due_at',
  'previous_version',
  'submitted_by',
  'submitted_at',
  'summary',
  'outcome',
  'new_version',
  'document_url',
  'evidence_urls',
  'approved_by',
  'approved_at',
] as const;

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/**
 * policies.json/.csv: every policy registered before the end of the period, as it stands;
 * policy-reviews.json/.csv: every review opened before the end and open during the period, as
 * it stands (the submission, its outcome and the approver). Read in the package's snapshot.
 */
export async function writePolicyFiles(zip: ZipWriter, tx: EntityManager, period: { from: Date; to: Date }): Promise<void> {
  const policies: Array<Record<string, unknown>> = await tx.query(
    `SELECT p.id, p.title, p.owner_id, o.name AS owner_name, p.version, p.document_url, p.approved_by, a.name AS approved_by_name,
            p.last_reviewed_at, p.created_at, p.updated_at
       FROM policies p JOIN people o ON o.id = p.owner_id LEFT JOIN people a ON a.id = p.approved_by
      WHERE p.created_at < $1 ORDER BY p.created_at, p.id`,
    [period.to],
  );
  const rows: Array<Record<string, unknown>> = policies.map((p) => ({
    ...p,
    last_reviewed_at: iso(p.last_reviewed_at),
    created_at: iso(p.created_at),
    updated_at: iso(p.updated_at),
  }));
  await zip.file('policies.json', [json(rows)]);
  await zip.file('policies.csv', [
    toCsv(
      POLICY_COLUMNS,
      rows.map((r) => POLICY_COLUMNS.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c])))),
    ),
  ]);

  const reviews: Array<{ status: PolicyReviewStatus }> = await tx.query(
    `SELECT status FROM policy_reviews
      WHERE opened_at < $2 AND (state IN ('opening', 'open', 'submitted') OR updated_at >= $1)
      ORDER BY opened_at, id`,
    [period.from, period.to],
  );
  const statuses = reviews.map((r) => r.status);
  await zip.file('policy-reviews.json', [json(statuses)]);
  await zip.file('policy-reviews.csv', [
    toCsv(
      REVIEW_COLUMNS,
      statuses.map((s) => [
        s.reviewId,
        s.policyId,
        s.title,
        s.key,
        s.trigger,
        s.reason ?? null,
        s.taskId,
        s.state,
        s.ownerId,
        s.openedAt,
        s.dueAt,
        s.previousVersion,
        s.submission?.by ?? null,
        s.submission?.at ?? null,
        s.submission?.summary ?? null,
        s.outcome ?? null,
        s.newVersion ?? null,
        s.documentUrl ?? null,
        s.submission?.evidenceUrls.join(' | ') ?? null,
        s.approvedBy ?? null,
        s.approvedAt ?? null,
      ]),
    ),
  ]);
}
