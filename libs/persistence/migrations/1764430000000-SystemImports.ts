import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports of the AI system inventory (POST /systems/import): one row per import (who,
 * the format, how many rows, its state and the progress of its Schedules and immediate work),
 * and one row per Schedule or piece of work it is to create, so an import the API stopped in
 * the middle of resumes with what is left when the API starts again.
 */
export class SystemImports1764430000000 implements MigrationInterface {
  name = 'SystemImports1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE system_imports (
        id uuid PRIMARY KEY,
        actor_id uuid NOT NULL REFERENCES people(id),
        format text NOT NULL CHECK (format IN ('csv', 'json')),
        rows integer NOT NULL CHECK (rows >= 0),
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        schedules_total integer NOT NULL DEFAULT 0,
        schedules_created integer NOT NULL DEFAULT 0,
        schedules_failed integer NOT NULL DEFAULT 0,
        work_total integer NOT NULL DEFAULT 0,
        work_opened integer NOT NULL DEFAULT 0,
        work_failed integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX system_imports_running_idx ON system_imports (created_at) WHERE status = 'running'`);
    await q.query(`
      CREATE TABLE system_import_items (
        import_id uuid NOT NULL REFERENCES system_imports(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        row integer NOT NULL,
        system_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('schedule', 'work')),
        work_kind text NULL,
        ref text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'created', 'existing', 'failed', 'skipped')),
        error text NULL,
        PRIMARY KEY (import_id, seq)
      )`);
    await q.query(`CREATE INDEX system_import_items_pending_idx ON system_import_items (import_id, seq) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE system_import_items`);
    await q.query(`DROP TABLE system_imports`);
  }
}
