/**
 * How the read model's status queries scale with the number of tasks.
 *
 * The architecture promises that management's status reads are one indexed SELECT, not a
 * fan-out to thousands of workflows. This seeds the `tasks` read model with 1k, 10k and
 * 100k tasks (40 owners' share of the work, across 8 quarters) and times the queries the
 * API runs, printing each median and its ratio to the 1k median. An indexed query stays
 * near 1x; a query that reads the whole table grows with it (the all-periods report does,
 * by design: it aggregates everything).
 *
 *   npm run bench
 */
import { DataSource } from 'typeorm';
import { StatusService } from '../apps/api/status/status.service';
import { TasksService } from '../apps/api/tasks/tasks.service';
import { benchQueries, runBench, withBenchDatabase } from './support';

const OWNERS = 40;
const OWNER = '00000000-0000-4000-8000-000000000007';

async function seed(db: DataSource, total: number): Promise<void> {
  await db.query(`TRUNCATE tasks`);
  // Owners are plain uuids here: the read model does not reference people.
  await db.query(
    `INSERT INTO tasks (id, kind, title, subject_type, subject_id, owner_id, state, opened_at, due_at, period, status, version)
     SELECT 'high-risk-review:' || i || ':' || p.key,
            'high-risk-review', 'Review ' || i, 'ai-system', i::text,
            ('00000000-0000-4000-8000-' || lpad((i % ${OWNERS})::text, 12, '0'))::uuid,
            (ARRAY['open','submitted','approved','approved'])[1 + (i % 4)],
            p.opens, p.opens + interval '30 days', p.key, '{}'::jsonb, 1
       FROM generate_series(1, $1::int / 8) AS i,
            (VALUES ('2025-Q1', timestamptz '2025-01-01'), ('2025-Q2', '2025-04-01'), ('2025-Q3', '2025-07-01'),
                    ('2025-Q4', '2025-10-01'), ('2026-Q1', '2026-01-01'), ('2026-Q2', '2026-04-01'),
                    ('2026-Q3', '2026-07-01'), ('2026-Q4', '2026-10-01')) AS p(key, opens)`,
    [total],
  );
  await db.query(`ANALYZE tasks`);
}

runBench(() =>
  withBenchDatabase(async (db) => {
    const status = new StatusService(db, { timeZone: 'UTC' });
    // Listing reads only the database; the Temporal client is not touched.
    const tasks = new TasksService(undefined as never, db, undefined as never);
    await benchQueries((size) => seed(db, size), {
      "one owner's overdue work (GET /tasks?ownerId&overdue=true)": () =>
        tasks.list({ ownerId: OWNER, overdue: 'true', limit: 50 } as never),
      'one quarter, one cadence (GET /status/cycles?kind&period)': () =>
        status.cycles({ kind: 'high-risk-review', period: '2026-Q4' } as never),
      'overdue by owner and level (GET /status/overdue?ownerId)': () => status.overdue({ ownerId: OWNER } as never),
      'every period (GET /status/cycles, full aggregate)': () => status.cycles({} as never),
    });
  }),
);
