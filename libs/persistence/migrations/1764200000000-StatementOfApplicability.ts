import { MigrationInterface, QueryRunner } from 'typeorm';
import { ANNEX_A_CONTROLS, IMPLEMENTATION_STATUSES, SOA_APPLICABILITY } from '../../domain';

/**
 * The Statement of Applicability: one row per Annex A control, seeded `undecided` from the
 * catalog in libs/domain (38 controls). A later change of the catalog gets its own migration.
 */
export class StatementOfApplicability1764200000000 implements MigrationInterface {
  name = 'StatementOfApplicability1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');
    await q.query(`
      CREATE TABLE soa_entries (
        control_id text PRIMARY KEY,
        applicability text NOT NULL CHECK (applicability IN (${list(SOA_APPLICABILITY)})),
        justification text NULL,
        owner_id uuid NULL REFERENCES people(id),
        implementation_status text NOT NULL CHECK (implementation_status IN (${list(IMPLEMENTATION_STATUSES)})),
        evidence jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(evidence) = 'array'),
        version integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid NULL REFERENCES people(id),
        CHECK (applicability <> 'excluded' OR btrim(coalesce(justification, '')) <> '')
      )`);
    await q.query(`CREATE INDEX soa_entries_owner_idx ON soa_entries (owner_id)`);
    await q.query(
      `INSERT INTO soa_entries (control_id, applicability, implementation_status) SELECT unnest($1::text[]), 'undecided', 'not_started'`,
      [ANNEX_A_CONTROLS.map((c) => c.id)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE soa_entries`);
  }
}
