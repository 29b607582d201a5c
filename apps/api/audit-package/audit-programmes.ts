/**
 * The audit package's internal audit records (ISO/IEC 42001 9.2): every programme open during
 * the period with its plan, audits, findings and report (audit-programmes.json), its findings
 * one per line (audit-findings.csv), and the clause register the auditors' independence was
 * checked against (aims-clauses.csv). Read in the package's snapshot transaction.
 */
import type { EntityManager } from 'typeorm';
import type { AuditProgrammeStatus } from '../../../libs/contracts';
import { currentClauses } from '../../../libs/persistence';
import { toCsv } from '../common/csv';
import type { ZipWriter } from './zip-writer';

const FINDING_COLUMNS = [
  'id',
  'programme_id',
  'audit_number',
  'audit_task_id',
  'criterion_id',
  'grade',
  'summary',
  'evidence_urls',
  'nonconformity_id',
  'recorded_by',
  'recorded_at',
  // The answers to the audit-finding form with its kind and version, as JSON.
  'submission',
] as const;

export async function writeAuditProgrammeFiles(zip: ZipWriter, tx: EntityManager, period: { from: Date; to: Date }): Promise<void> {
  const programmes: Array<{ id: string; status: AuditProgrammeStatus }> = await tx.query(
    `SELECT id, status FROM audit_programmes WHERE opened_at < $2 AND (closed_at IS NULL OR closed_at >= $1) ORDER BY opened_at, id`,
    [period.from, period.to],
  );
  await zip.file('audit-programmes.json', [
    `${JSON.stringify(
      programmes.map((p) => p.status),
      null,
      2,
    )}\n`,
  ]);
  const findings: Array<Record<(typeof FINDING_COLUMNS)[number], unknown>> = programmes.length
    ? await tx.query(
        `SELECT ${FINDING_COLUMNS.join(', ')} FROM audit_findings WHERE programme_id = ANY($1::text[])
          ORDER BY programme_id, audit_number, recorded_at, criterion_id, id`,
        [programmes.map((p) => p.id)],
      )
    : [];
  await zip.file('audit-findings.csv', [
    toCsv(
      FINDING_COLUMNS,
      findings.map((f) =>
        FINDING_COLUMNS.map((c) => {
          const v = f[c];
          if (v === null || v === undefined) return null;
          if (v instanceof Date) return v.toISOString();
          if (Array.isArray(v)) return v.join(' | ');
          return typeof v === 'object' ? JSON.stringify(v) : String(v);
        }),
      ),
    ),
  ]);
  const clauses = await currentClauses(tx);
  await zip.file('aims-clauses.csv', [
    toCsv(
      ['clause', 'title', 'owner_id', 'version', 'updated_at'],
      clauses.map((c) => [c.clause, c.title, c.ownerId, c.version, c.version > 0 ? c.updatedAt.toISOString() : null]),
    ),
  ]);
}
