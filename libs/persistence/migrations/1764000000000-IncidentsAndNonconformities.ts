import { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of incidents and nonconformities (corrective actions), written by idempotent activities. */
export class IncidentsAndNonconformities1764000000000 implements MigrationInterface {
  name = 'IncidentsAndNonconformities1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY,
        system_id uuid NOT NULL REFERENCES ai_systems(id),
        title text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('low','medium','high','critical')),
        state text NOT NULL CHECK (state IN ('open','closed')),
        responder_id uuid NOT NULL REFERENCES people(id),
        detected_at timestamptz NOT NULL,
        opened_at timestamptz NOT NULL,
        acknowledged_at timestamptz NULL,
        contained_at timestamptz NULL,
        closed_at timestamptz NULL,
        report_due_at timestamptz NOT NULL,
        report_submitted_at timestamptz NULL,
        next_deadline_at timestamptz NULL,
        any_report_late boolean NOT NULL DEFAULT false,
        status jsonb NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX incidents_state_detected_idx ON incidents (state, detected_at DESC)`);
    await q.query(`CREATE INDEX incidents_system_idx ON incidents (system_id)`);
    await q.query(`CREATE INDEX incidents_responder_idx ON incidents (responder_id)`);
    await q.query(`CREATE INDEX incidents_next_deadline_idx ON incidents (next_deadline_at) WHERE next_deadline_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE nonconformities (
        id uuid PRIMARY KEY,
        source_type text NOT NULL CHECK (source_type IN ('incident','audit-finding','management-review','other')),
        source_ref text NOT NULL,
        grade text NOT NULL CHECK (grade IN ('minor','major')),
        title text NOT NULL,
        state text NOT NULL CHECK (state IN ('open','closed')),
        step text NOT NULL,
        action_owner_id uuid NOT NULL REFERENCES people(id),
        verifier_id uuid NOT NULL REFERENCES people(id),
        loops int NOT NULL DEFAULT 0,
        opened_at timestamptz NOT NULL,
        closed_at timestamptz NULL,
        status jsonb NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (verifier_id <> action_owner_id)
      )`);
    await q.query(`CREATE INDEX nonconformities_state_opened_idx ON nonconformities (state, opened_at)`);
    await q.query(`CREATE INDEX nonconformities_source_idx ON nonconformities (source_type, source_ref)`);
    await q.query(`CREATE INDEX nonconformities_owner_idx ON nonconformities (action_owner_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE nonconformities`);
    await q.query(`DROP TABLE incidents`);
  }
}
