/**
 * The audit package's inventory recertification records: every system's place in each round
 * open during the period (its owner's task, due time, confirmation and state by the one rule),
 * read in the package's snapshot transaction, as JSON and CSV.
 */
import type { EntityManager } from 'typeorm';
import { RECERTIFICATION_SQL } from '../../../libs/persistence';
import { toCsv } from '../common/csv';
import type { ZipWriter } from './zip-writer';

const COLUMNS = [
  'period',
  'system_id',
  'system_name',
  'owner_id',
  'owner_name',
  'task_id',
  'opened_at',
  'due_at',
  'confirmed_at',
  'confirmed_by',
  'note',
  'state',
] as const;

/** Rounds opened before the period's end whose systems were not yet confirmed at its start. */
export async function writeRecertificationFiles(zip: ZipWriter, tx: EntityManager, period: { from: Date; to: Date }): Promise<void> {
  const rows: Array<Record<string, unknown>> = await tx.query(
    `SELECT i.period, i.system_id, s.name AS system_name, i.owner_id, p.name AS owner_name, i.task_id, i.opened_at,
            coalesce(t.due_at, i.due_at) AS due_at, i.confirmed_at, i.confirmed_by, i.note, ${RECERTIFICATION_SQL.state('i', 't')} AS state
       FROM inventory_recertification_items i
       JOIN ai_systems s ON s.id = i.system_id
       JOIN people p ON p.id = i.owner_id
       LEFT JOIN tasks t ON t.id = i.task_id
      WHERE i.opened_at < $2 AND (i.confirmed_at IS NULL OR i.confirmed_at >= $1)
      ORDER BY i.opened_at, i.period, i.owner_id, i.system_id`,
    [period.from, period.to],
  );
  const cell = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
  const records = rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, cell(r[c])])));
  await zip.file('inventory-recertifications.json', [`${JSON.stringify(records, null, 2)}\n`]);
  await zip.file('inventory-recertifications.csv', [
    toCsv(
      COLUMNS,
      records.map((r) => COLUMNS.map((c) => r[c])),
    ),
  ]);
}
