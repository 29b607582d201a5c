import { MigrationInterface, QueryRunner } from 'typeorm';
import { AIMS_CLAUSES, AUDIT_FINDING_GRADES } from '../../domain';

/**
 * The internal audit programme (ISO/IEC 42001 9.2): the clause register (clauses 4-10, each with
 * an owner, so an auditor never audits a clause they own; seeded from libs/domain), the
 * programmes' read model (one row per programme workflow, its snapshot versioned) and their
 * findings (one row each, written once).
 */
export class AuditProgrammes1764310000000 implements MigrationInterface {
  name = 'AuditProgrammes1764310000000';

  async up(q: QueryRunner): Promise<void> {
    const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');
    await q.query(`
      CREATE TABLE aims_clauses (
        clause text PRIMARY KEY,
        title text NOT NULL,
        owner_id uuid NULL REFERENCES people(id),
        version integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid NULL REFERENCES people(id)
      )`);
    await q.query(`INSERT INTO aims_clauses (clause, title) SELECT unnest($1::text[]), unnest($2::text[])`, [
      AIMS_CLAUSES.map((c) => c.id),
      AIMS_CLAUSES.map((c) => c.title),
    ]);
    await q.query(`
      CREATE TABLE audit_programmes (
        id text PRIMARY KEY,
        period text NOT NULL,
        state text NOT NULL CHECK (state IN ('planning','auditing','reporting','closed')),
        opened_at timestamptz NOT NULL,
        closed_at timestamptz NULL,
        status jsonb NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_programmes_opened_idx ON audit_programmes (opened_at)`);
    await q.query(`
      CREATE TABLE audit_findings (
        id uuid PRIMARY KEY,
        programme_id text NOT NULL REFERENCES audit_programmes(id),
        audit_number int NOT NULL,
        audit_task_id text NOT NULL,
        criterion_id text NOT NULL,
        grade text NOT NULL CHECK (grade IN (${list(AUDIT_FINDING_GRADES)})),
        summary text NOT NULL,
        evidence_urls jsonb NOT NULL DEFAULT '[]'::jsonb,
        nonconformity_id uuid NULL,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_findings_programme_idx ON audit_findings (programme_id, audit_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_findings`);
    await q.query(`DROP TABLE audit_programmes`);
    await q.query(`DROP TABLE aims_clauses`);
  }
}
