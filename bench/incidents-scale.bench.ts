/**
 * How the incident and corrective-action reads scale with the number of rows.
 *
 * Seeds 1k, 10k and 100k incidents (a tenth of them open, a fifth of those breached) and as
 * many nonconformities (a third open), then times the queries the API runs and prints each
 * median with its ratio to 1k. The breached and open lists page through an index and stay
 * near 1x; the KPI reports aggregate every incident (or every open nonconformity) by design.
 *
 *   npm run bench
 */
import { DataSource } from 'typeorm';
import { IncidentsService } from '../apps/api/incidents/incidents.service';
import { NonconformitiesService } from '../apps/api/nonconformities/nonconformities.service';
import { StatusService } from '../apps/api/status/status.service';
import { REGIMES } from '../libs/domain';
import { benchQueries, runBench, withBenchDatabase } from './support';

const PERSON_A = '00000000-0000-4000-8000-00000000000a';
const PERSON_B = '00000000-0000-4000-8000-00000000000b';
const SYSTEM = '00000000-0000-4000-8000-0000000000c0';

async function seedReferences(db: DataSource): Promise<void> {
  await db.query(
    `INSERT INTO people (id, name, email, role) VALUES ($1, 'A', 'a@bench.test', 'responder'), ($2, 'B', 'b@bench.test', 'auditor')`,
    [PERSON_A, PERSON_B],
  );
  await db.query(
    `INSERT INTO ai_systems (id, name, description, purpose, provider_type, deployer, owner_id, risk_tier, lifecycle_stage)
     VALUES ($1, 'Bench system', 'd', 'p', 'internal', 'ops', $2, 'high', 'operation_and_monitoring')`,
    [SYSTEM, PERSON_A],
  );
}

async function seed(db: DataSource, total: number): Promise<void> {
  await db.query(`TRUNCATE incidents, nonconformities`);
  // Detected over the last two years; every tenth open, a fifth of those past a deadline.
  await db.query(
    `INSERT INTO incidents (id, system_id, title, severity, state, responder_id, detected_at, opened_at, acknowledged_at, contained_at,
                            closed_at, report_due_at, report_submitted_at, next_deadline_at, any_report_late, status, version)
     SELECT gen_random_uuid(), $2, 'Incident ' || i, (ARRAY['low','medium','high','critical'])[1 + i % 4],
            CASE WHEN i % 10 = 0 THEN 'open' ELSE 'closed' END, $3, d, d + interval '1 hour', d + interval '2 hours', d + interval '1 day',
            CASE WHEN i % 10 = 0 THEN NULL ELSE d + interval '20 days' END,
            d + interval '72 hours', d + interval '60 hours' + (i % 20) * interval '1 hour',
            CASE WHEN i % 10 = 0 THEN (CASE WHEN i % 50 = 0 THEN now() - interval '1 hour' ELSE now() + interval '5 days' END) END,
            i % 7 = 0, '{"reports": []}'::jsonb, 1
       FROM generate_series(1, $1::int) AS i, LATERAL (SELECT now() - (i % 730) * interval '1 day' AS d) AS t`,
    [total, SYSTEM, PERSON_A],
  );
  await db.query(
    `INSERT INTO nonconformities (id, source_type, source_ref, grade, title, state, step, action_owner_id, verifier_id, loops, opened_at, closed_at, status, version)
     SELECT gen_random_uuid(), 'audit-finding', 'AF-' || i, (ARRAY['minor','major'])[1 + i % 2], 'NC ' || i,
            CASE WHEN i % 3 = 0 THEN 'open' ELSE 'closed' END,
            CASE WHEN i % 3 = 0 THEN (ARRAY['containment','root-cause','action','verification-wait','effectiveness-check'])[1 + i % 5] ELSE 'closed' END,
            $2, $3, i % 2, now() - (i % 400) * interval '1 day', NULL, '{"verifications": []}'::jsonb, 1
       FROM generate_series(1, $1::int) AS i`,
    [total, PERSON_A, PERSON_B],
  );
  await db.query(`ANALYZE incidents`);
  await db.query(`ANALYZE nonconformities`);
}

runBench(() =>
  withBenchDatabase(async (db) => {
    await seedReferences(db);
    const status = new StatusService(db, { timeZone: 'UTC' });
    // Listing reads only the database; the Temporal client, tasks, queue and forms are not touched.
    const nonconformities = new NonconformitiesService(db, undefined as never, 'bench');
    const incidents = new IncidentsService(
      db,
      undefined as never,
      'bench',
      undefined as never,
      nonconformities,
      { regimes: REGIMES },
      undefined as never,
    );
    await benchQueries((size) => seed(db, size), {
      'open and breached incidents (GET /incidents?state=open&breached=true)': () =>
        incidents.list({ state: 'open', breached: 'true', limit: 50 } as never),
      'open incidents, first page (GET /incidents?state=open)': () => incidents.list({ state: 'open', limit: 50 } as never),
      'incident KPIs (GET /status/incidents, full aggregate)': () => status.incidents(),
      'open nonconformities, first page (GET /nonconformities?state=open)': () =>
        nonconformities.list({ state: 'open', limit: 50 } as never),
      'nonconformities by age and step (GET /status/nonconformities)': () => status.nonconformities(),
    });
  }),
);
