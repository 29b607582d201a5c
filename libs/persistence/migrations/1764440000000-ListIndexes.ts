import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that give every list endpoint its page in its own order without sorting the table
 * (issue 11): each list's ORDER BY, alone and after the filters it is most often narrowed by,
 * ends in the row's id so the order is total. The status reports' aggregates read the task
 * indexes only (kind, period, state and due time are in them). Each replaces an index that is
 * a prefix of it.
 */
export class ListIndexes1764440000000 implements MigrationInterface {
  name = 'ListIndexes1764440000000';

  async up(q: QueryRunner): Promise<void> {
    // GET /tasks: due time, then id; by owner, state, subject, kind and period, overdue (open work).
    await q.query(`CREATE INDEX tasks_due_idx ON tasks (due_at, id)`);
    await q.query(`CREATE INDEX tasks_owner_due_idx ON tasks (owner_id, due_at, id)`);
    await q.query(`DROP INDEX tasks_owner_idx`);
    await q.query(`CREATE INDEX tasks_state_due_id_idx ON tasks (state, due_at, id)`);
    await q.query(`DROP INDEX tasks_state_due_idx`);
    await q.query(`CREATE INDEX tasks_subject_id_due_idx ON tasks (subject_id, due_at, id)`);
    // GET /status/cycles groups by (kind, period) and counts states and overdue work from this index alone.
    await q.query(`CREATE INDEX tasks_kind_period_due_idx ON tasks (kind, period, due_at, id) INCLUDE (state)`);
    await q.query(`DROP INDEX tasks_kind_period_idx`);
    // A period alone: its tasks are due together, late in due order, so walking tasks_due_idx for them reads most of the table.
    await q.query(`CREATE INDEX tasks_period_due_idx ON tasks (period, due_at, id)`);
    // Open work (libs/domain OPEN_TASK_STATES) by due time: overdue work, GET /status/overdue.
    await q.query(`CREATE INDEX tasks_open_due_idx ON tasks (due_at, id) INCLUDE (owner_id, kind) WHERE state IN ('open', 'submitted')`);

    // GET /systems and GET /people: registration order, by owner or manager.
    await q.query(`CREATE INDEX ai_systems_created_idx ON ai_systems (created_at, id)`);
    await q.query(`CREATE INDEX ai_systems_owner_created_idx ON ai_systems (owner_id, created_at, id)`);
    await q.query(`DROP INDEX ai_systems_owner_idx`);
    await q.query(`CREATE INDEX people_created_idx ON people (created_at, id)`);
    await q.query(`CREATE INDEX people_manager_idx ON people (manager_id, created_at, id)`);

    // GET /incidents: latest detected first; GET /nonconformities: oldest opened first.
    await q.query(`CREATE INDEX incidents_detected_idx ON incidents (detected_at DESC, id)`);
    await q.query(`CREATE INDEX nonconformities_opened_idx ON nonconformities (opened_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX nonconformities_opened_idx`);
    await q.query(`DROP INDEX incidents_detected_idx`);
    await q.query(`DROP INDEX people_manager_idx`);
    await q.query(`DROP INDEX people_created_idx`);
    await q.query(`CREATE INDEX ai_systems_owner_idx ON ai_systems (owner_id)`);
    await q.query(`DROP INDEX ai_systems_owner_created_idx`);
    await q.query(`DROP INDEX ai_systems_created_idx`);
    await q.query(`DROP INDEX tasks_open_due_idx`);
    await q.query(`DROP INDEX tasks_period_due_idx`);
    await q.query(`CREATE INDEX tasks_kind_period_idx ON tasks (kind, period)`);
    await q.query(`DROP INDEX tasks_kind_period_due_idx`);
    await q.query(`DROP INDEX tasks_subject_id_due_idx`);
    await q.query(`CREATE INDEX tasks_state_due_idx ON tasks (state, due_at)`);
    await q.query(`DROP INDEX tasks_state_due_id_idx`);
    await q.query(`CREATE INDEX tasks_owner_idx ON tasks (owner_id)`);
    await q.query(`DROP INDEX tasks_owner_due_idx`);
    await q.query(`DROP INDEX tasks_due_idx`);
  }
}
