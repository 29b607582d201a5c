import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventory recertification: one row per round (period), one per system in it with its
 * owner's task and its confirmation. A system's recertification state is read from its latest
 * row (libs/domain recertificationState, as SQL in libs/persistence/inventory-recertification.ts).
 */
export class InventoryRecertification1764300000000 implements MigrationInterface {
  name = 'InventoryRecertification1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inventory_recertification_rounds (
        period text PRIMARY KEY,
        round_id text NOT NULL UNIQUE,
        opened_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        owners int NOT NULL,
        systems int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE inventory_recertification_items (
        period text NOT NULL REFERENCES inventory_recertification_rounds(period),
        system_id uuid NOT NULL REFERENCES ai_systems(id),
        owner_id uuid NOT NULL REFERENCES people(id),
        task_id text NOT NULL,
        opened_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        confirmed_at timestamptz NULL,
        confirmed_by uuid NULL REFERENCES people(id),
        note text NULL,
        PRIMARY KEY (period, system_id),
        CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL))
      )`);
    await q.query(`CREATE INDEX inventory_recertification_items_system_idx ON inventory_recertification_items (system_id, opened_at DESC)`);
    await q.query(`CREATE INDEX inventory_recertification_items_task_idx ON inventory_recertification_items (task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inventory_recertification_items`);
    await q.query(`DROP TABLE inventory_recertification_rounds`);
  }
}
