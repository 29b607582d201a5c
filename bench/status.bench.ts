/**
 * Read latency of the API at scale: GET /health, the status reports and the list endpoints,
 * each loaded at a constant rate, against a bare baseline in the same run.
 *
 * The embedded stack with the apps runs; the read models are seeded with 10,000 AI systems and
 * 50,000 tasks (a mix of kinds, states, owners and due dates as the workflows write them), plus
 * incidents and nonconformities cloned from ones opened through the API, so each row is what the
 * workflows wrote. A governance lead's API token authenticates every request.
 *
 * Each endpoint is loaded by vegeta (built with go install into the tools cache, as the Temporal
 * CLI is) at a constant rate for a fixed time, on loopback. (autocannon, used before, sends each
 * connection's share of a second in a burst at the second's start, so its p99 was the time to
 * work off a burst of RATE requests, not the latency at RATE.) The apps run compiled from dist/.
 * The baseline is a bare node:http server in this process answering the same path with the
 * SAME SQL the endpoint runs (captured from the API's own service code, run against a pg Pool
 * of the API's size; queries the service runs together run together) and JSON.stringify of
 * the rows. A second baseline adds the auth guard's per-request token
 * lookup, so its share of the API's time reads off the table.
 *
 *   npx ts-node --transpile-only bench/status.bench.ts [--duration=15] [--rate=200] [--systems=10000] [--tasks=50000] [--only=tasks] [--from=dist|sources]
 *
 */
import { spawn } from 'child_process';
import { cpus } from 'os';
import { performance } from 'perf_hooks';
import { randomBytes } from 'crypto';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { DataSource } from 'typeorm';
import { AuditTrailService } from '../apps/api/audit-trail/audit-trail.service';
import { AuthService } from '../apps/api/auth/auth.service';
import { IncidentsService } from '../apps/api/incidents/incidents.service';
import { NonconformitiesService } from '../apps/api/nonconformities/nonconformities.service';
import { PeopleService } from '../apps/api/people/people.service';
import { StatusService } from '../apps/api/status/status.service';
import { SystemsService } from '../apps/api/systems/systems.service';
import { TasksService } from '../apps/api/tasks/tasks.service';
import { createDataSource } from '../libs/persistence';
import { systemBody } from '../test/e2e/support/fixtures';
import { AppsFrom, ensureVegeta } from '../tools/stack';
import { ensureDistBuild, printFigure, processCpuMs, withBenchStack } from './stack';
import { runBench } from './support';

/** `--name=value`, as the other benches take their flags. */
function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function flag(name: string, fallback: number): number {
  const raw = option(name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}
const DURATION_S = flag('duration', 15);
const RATE = flag('rate', 200);
const SYSTEMS = flag('systems', 10_000);
const TASKS = flag('tasks', 50_000);
const ONLY = option('only');
const APPS_FROM = (option('from') ?? 'dist') as AppsFrom;
if (APPS_FROM !== 'dist' && APPS_FROM !== 'sources') throw new Error('--from must be dist or sources');
const OWNERS = 200;
/** The API's pool (libs/persistence createDataSource's default). */
const POOL_SIZE = 10;
const GOAL_P99_MS = 25;
const GOAL_RATIO = 2;

const log = (m: string) => process.stderr.write(`${m}\n`);

/** node-postgres, as the API's driver (it ships no types; the little used here). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pg = require('pg') as {
  Client: { prototype: unknown };
  Pool: new (opts: { connectionString: string; max: number }) => PgPool;
};
export interface PgPool {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
  end(): Promise<void>;
}
const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;

// ---------------------------------------------------------------------------------------
// The SQL behind an endpoint, captured from the API's service code
// ---------------------------------------------------------------------------------------

interface Captured {
  text: string;
  values: unknown[];
  start: number;
  end: number;
}
let recording: Captured[] | undefined;
{
  // Every query the services run goes through pg's Client (TypeORM's driver too).
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const rec = recording;
    const [config, values] = args;
    const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
    if (rec && typeof text === 'string') {
      const entry: Captured = { text, values: Array.isArray(values) ? values : [], start: performance.now(), end: Infinity };
      rec.push(entry);
      const result = original.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(
          () => (entry.end = performance.now()),
          () => (entry.end = performance.now()),
        );
      } else {
        const cb = args.find((a) => typeof a === 'function');
        if (!cb) entry.end = performance.now();
      }
      return result;
    }
    return original.apply(this, args);
  };
}

/** The queries `call` runs, in waves: the queries of a wave ran together (Promise.all), the waves one after another. */
async function capture(call: () => Promise<unknown>): Promise<Captured[][]> {
  recording = [];
  const t0 = performance.now();
  await call();
  const done = performance.now();
  const queries = recording.filter((q) => !/^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(q.text));
  recording = undefined;
  for (const q of queries) if (q.end === Infinity) q.end = done;
  const waves: Captured[][] = [];
  let waveEnd = t0;
  for (const q of queries) {
    if (!waves.length || q.start >= waveEnd) waves.push([q]);
    else waves[waves.length - 1].push(q);
    waveEnd = Math.max(...waves[waves.length - 1].map((w) => w.end));
  }
  return waves;
}

// ---------------------------------------------------------------------------------------
// Seed
// ---------------------------------------------------------------------------------------

async function post(apiUrl: string, token: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Owners (with managers), AI systems and their tasks, straight into the tables, as the workflows would have written them. */
export async function seedInventoryAndTasks(db: PgPool, approverId: string): Promise<void> {
  // Owners, with managers (the first escalation level), straight into people.
  await db.query(
    `INSERT INTO people (id, name, email, role, manager_id, active, created_at)
     SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Owner ' || i, 'owner' || i || '@bench.example',
            CASE WHEN i <= 10 THEN 'management' ELSE 'owner' END,
            CASE WHEN i <= 10 THEN NULL ELSE ('00000000-0000-4000-8000-' || lpad((1 + i % 10)::text, 12, '0'))::uuid END,
            true, now() - (i || ' minutes')::interval
       FROM generate_series(1, $1::int) AS i`,
    [OWNERS],
  );
  // AI systems: a mix of tiers and stages, each owned by one of the owners.
  await db.query(
    `INSERT INTO ai_systems (id, name, description, purpose, provider_type, provider_name, deployer, owner_id, business_unit,
                             risk_tier, lifecycle_stage, go_live_date, data_inputs, data_outputs, oversight_measures, created_at)
     SELECT gen_random_uuid(), 'System ' || i, 'Bench system ' || i, 'scoring', CASE WHEN i % 3 = 0 THEN 'third_party' ELSE 'internal' END,
            CASE WHEN i % 3 = 0 THEN 'Vendor ' || (i % 17) END, 'Risk IT',
            ('00000000-0000-4000-8000-' || lpad((1 + i % $2::int)::text, 12, '0'))::uuid, 'BU ' || (i % 12),
            (ARRAY['high','high','limited','limited','limited','minimal','minimal','minimal','minimal','unacceptable'])[1 + i % 10],
            (ARRAY['operation_and_monitoring','operation_and_monitoring','operation_and_monitoring','deployment','design_and_development',
                   'inception','verification_and_validation','re_evaluation','retirement','operation_and_monitoring'])[1 + (i / 10) % 10],
            date '2024-01-01' + (i % 900), '["applications"]', '["scores"]', '["human review of declines"]',
            now() - ((10000 - i) || ' minutes')::interval
       FROM generate_series(1, $1::int) AS i`,
    [SYSTEMS, OWNERS],
  );

  // Tasks: per system in turn, its quarterly reviews (high) or yearly AIIAs, across 8 quarters;
  // past work mostly approved, some still open (overdue), some submitted; future work open.
  await db.query(
    `WITH s AS (SELECT id, owner_id, risk_tier, row_number() OVER (ORDER BY created_at) AS n FROM ai_systems WHERE name LIKE 'System %'),
          q(qn, key, opens) AS (VALUES (1, '2025-Q1', timestamptz '2025-01-01'), (2, '2025-Q2', '2025-04-01'), (3, '2025-Q3', '2025-07-01'),
                    (4, '2025-Q4', '2025-10-01'), (5, '2026-Q1', '2026-01-01'), (6, '2026-Q2', '2026-04-01'),
                    (7, '2026-Q3', '2026-07-01'), (8, '2026-Q4', '2026-10-01'), (9, '2027-Q1', '2027-01-01')),
          g AS (
            SELECT i, s.id AS system_id, s.owner_id, q.key, q.opens,
                   CASE WHEN s.risk_tier = 'high' THEN 'high-risk-review' WHEN i % 7 = 0 THEN 'policy-review' ELSE 'aiia' END AS kind
              FROM generate_series(0, $1::int - 1) AS i
              JOIN s ON s.n = 1 + (i / 9) % (SELECT count(*) FROM s)
              JOIN q ON q.qn = 1 + i % 9),
          t AS (
            SELECT g.*, g.key AS period,
                   g.opens + interval '30 days' AS due_at,
                   CASE WHEN g.opens + interval '30 days' < now()
                        THEN (ARRAY['approved','approved','approved','approved','approved','approved','open','submitted','cancelled','approved'])[1 + i % 10]
                        ELSE (ARRAY['open','open','open','submitted'])[1 + i % 4] END AS state
              FROM g)
     INSERT INTO tasks (id, kind, title, subject_type, subject_id, owner_id, state, opened_at, due_at, cadence_id, period,
                        submitted_by, submitted_at, approved_by, approved_at, submissions, escalation_level, status, version, updated_at)
     SELECT t.kind || ':' || t.system_id || ':' || t.period, t.kind, initcap(replace(t.kind, '-', ' ')) || ' of System ' || t.system_id,
            'ai-system', t.system_id::text, t.owner_id, t.state, t.opens, t.due_at, t.kind || ':' || t.system_id, t.period,
            CASE WHEN t.state IN ('submitted','approved') THEN t.owner_id END, CASE WHEN t.state IN ('submitted','approved') THEN t.due_at - interval '3 days' END,
            CASE WHEN t.state = 'approved' THEN $2::uuid END, CASE WHEN t.state = 'approved' THEN t.due_at - interval '1 day' END,
            CASE WHEN t.state IN ('submitted','approved') THEN 1 ELSE 0 END,
            CASE WHEN t.state = 'open' AND t.due_at < now() THEN 1 + t.i % 3 ELSE 0 END,
            jsonb_build_object(
              'taskId', t.kind || ':' || t.system_id || ':' || t.period, 'kind', t.kind,
              'title', initcap(replace(t.kind, '-', ' ')) || ' of System ' || t.system_id,
              'subject', jsonb_build_object('type', 'ai-system', 'id', t.system_id::text),
              'ownerId', t.owner_id, 'state', t.state, 'openedAt', t.opens, 'dueAt', t.due_at, 'overdue', false,
              'cadenceId', t.kind || ':' || t.system_id, 'period', t.period, 'approverRoles', '["governance_lead"]'::jsonb,
              'submissions', CASE WHEN t.state IN ('submitted','approved') THEN 1 ELSE 0 END, 'rejections', 0,
              'escalationLevel', CASE WHEN t.state = 'open' AND t.due_at < now() THEN 1 + t.i % 3 ELSE 0 END,
              'ladder', jsonb_build_array(
                jsonb_build_object('key', 'remind-14d', 'action', 'remind', 'levels', '[0]'::jsonb, 'at', t.due_at - interval '14 days', 'status', 'done'),
                jsonb_build_object('key', 'remind-3d', 'action', 'remind', 'levels', '[0]'::jsonb, 'at', t.due_at - interval '3 days', 'status', 'done'),
                jsonb_build_object('key', 'escalate-3d', 'action', 'escalate', 'levels', '[1]'::jsonb, 'at', t.due_at + interval '3 days', 'status', 'pending'),
                jsonb_build_object('key', 'escalate-14d', 'action', 'escalate', 'levels', '[2, 3]'::jsonb, 'at', t.due_at + interval '14 days', 'status', 'pending')),
              'version', 3) ||
            CASE WHEN t.state IN ('submitted','approved')
                 THEN jsonb_build_object('submittedBy', t.owner_id, 'submittedAt', t.due_at - interval '3 days',
                                         'summary', 'Reviewed: no drift, controls effective', 'evidenceUrls', '["https://wiki.example.com/r"]'::jsonb)
                 ELSE '{}'::jsonb END,
            3, t.opens
       FROM t
     ON CONFLICT (id) DO NOTHING`,
    [TASKS, approverId],
  );
}

async function seed(db: PgPool, apiUrl: string, adminToken: string): Promise<{ leadToken: string; ownerId: string; systemId: string }> {
  const lead = await post(apiUrl, adminToken, '/people', {
    name: 'Grace Lead',
    email: 'grace.lead@bench.example',
    role: 'governance_lead',
  });
  const { token: leadToken } = await post(apiUrl, adminToken, `/people/${lead.id}/tokens`, { label: 'status bench' });
  const responder = await post(apiUrl, adminToken, '/people', { name: 'Rui Responder', email: 'rui@bench.example', role: 'responder' });
  const verifier = await post(apiUrl, adminToken, '/people', { name: 'Vera Verifier', email: 'vera@bench.example', role: 'owner' });

  await seedInventoryAndTasks(db, lead.id);
  const ownerId = '00000000-0000-4000-8000-000000000042';

  // One real incident and one real nonconformity, opened through the API: their rows are the workflows' own.
  const system = await post(
    apiUrl,
    leadToken,
    '/systems',
    systemBody({ name: 'Bench chatbot', ownerId, riskTier: 'limited', lifecycleStage: 'design_and_development' }),
  );
  await post(apiUrl, leadToken, '/incidents', {
    systemId: system.id,
    title: 'Chatbot disclosed a customer address',
    description: 'The support chatbot answered one customer with another customer’s postal address.',
    severity: 'high',
    detectedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    responderId: responder.id,
  });
  await post(apiUrl, leadToken, '/nonconformities', {
    source: { type: 'audit-finding', ref: 'IA-2026-07' },
    title: 'Missing drift monitoring',
    description: 'The credit model has no drift monitoring.',
    grade: 'minor',
    actionOwnerId: ownerId,
    verifierId: verifier.id,
  });

  // Incidents and nonconformities: clones of the real ones (new ids, spread over time, states and owners).
  await db.query(
    `INSERT INTO incidents (id, system_id, title, severity, state, responder_id, detected_at, opened_at, acknowledged_at, contained_at,
                            closed_at, report_due_at, report_submitted_at, next_deadline_at, any_report_late, status, version, created_at, updated_at)
     SELECT x.id, i.system_id, i.title || ' #' || x.n, (ARRAY['low','medium','high','critical'])[1 + n % 4],
            CASE WHEN n % 5 = 0 THEN 'open' ELSE 'closed' END, i.responder_id,
            i.detected_at - (n || ' hours')::interval, i.opened_at - (n || ' hours')::interval, i.acknowledged_at, i.contained_at,
            CASE WHEN n % 5 = 0 THEN NULL ELSE i.opened_at END, i.report_due_at - (n || ' hours')::interval, i.report_submitted_at,
            CASE WHEN n % 5 = 0 THEN i.next_deadline_at - (n || ' hours')::interval END, i.any_report_late,
            jsonb_set(jsonb_set(i.status, '{incidentId}', to_jsonb(x.id::text)), '{state}', to_jsonb(CASE WHEN n % 5 = 0 THEN 'open' ELSE 'closed' END)),
            i.version, i.created_at, i.updated_at
       FROM incidents i, (SELECT n, gen_random_uuid() AS id FROM generate_series(1, $1::int) AS n) x`,
    [Math.round(TASKS / 25)],
  );
  await db.query(
    `INSERT INTO nonconformities (id, source_type, source_ref, grade, title, state, step, action_owner_id, verifier_id, loops, opened_at,
                                  closed_at, status, version, created_at, updated_at)
     SELECT x.id, c.source_type, c.source_ref || '-' || n, (ARRAY['minor','major'])[1 + n % 2], c.title || ' #' || n,
            CASE WHEN n % 3 = 0 THEN 'open' ELSE 'closed' END, c.step,
            ('00000000-0000-4000-8000-' || lpad((11 + n % ($2::int - 10))::text, 12, '0'))::uuid, c.verifier_id, 0,
            c.opened_at - (n || ' hours')::interval, CASE WHEN n % 3 = 0 THEN NULL ELSE c.opened_at END,
            jsonb_set(jsonb_set(c.status, '{nonconformityId}', to_jsonb(x.id::text)), '{openedAt}',
                      to_jsonb(to_char((c.opened_at - (n || ' hours')::interval) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
            c.version, c.created_at, c.updated_at
       FROM nonconformities c, (SELECT n, gen_random_uuid() AS id FROM generate_series(1, $1::int) AS n) x`,
    [Math.round(TASKS / 50), OWNERS],
  );
  await db.query(`VACUUM ANALYZE`);
  return { leadToken, ownerId, systemId: system.id };
}

// ---------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------

interface Endpoint {
  path: string;
  /** The service call the endpoint makes (undefined: no SQL, e.g. /health's cached answer). */
  call?: () => Promise<unknown>;
}

interface Load {
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** 2xx answers per second, over the time until the last answer. */
  answeredPerSecond: number;
}

/**
 * One constant-rate load by vegeta, in its own process: requests leave at RATE per second,
 * evenly spaced, whatever the answers take (open loop: a slow answer never holds back the
 * next request, so it cannot hide in fewer samples), and every request sent is waited for
 * and counted. The bare servers run in this process, the load generator never in it.
 */
function load(vegeta: string, url: string, headers: Record<string, string>): Promise<Load> {
  const target = [`GET ${url}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\n') + '\n';
  return new Promise((resolve, reject) => {
    const attack = spawn(vegeta, ['attack', `-rate=${RATE}/s`, `-duration=${DURATION_S}s`, '-timeout=60s'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const report = spawn(vegeta, ['report', '-type=json'], { stdio: ['pipe', 'pipe', 'inherit'] });
    attack.stdout.pipe(report.stdin);
    attack.stdin.end(target);
    let out = '';
    report.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    attack.on('error', reject);
    report.on('error', reject);
    report.on('close', (code) => {
      if (code !== 0) return reject(new Error(`vegeta report exited ${code}`));
      const r = JSON.parse(out) as {
        latencies: Record<string, number>;
        throughput: number;
        status_codes: Record<string, number>;
      };
      const codes = Object.entries(r.status_codes ?? {});
      resolve({
        p50: r.latencies['50th'] / 1e6,
        p99: r.latencies['99th'] / 1e6,
        errors: codes.filter(([c]) => c === '0').reduce((n, [, k]) => n + k, 0),
        non2xx: codes.filter(([c]) => c !== '0' && !c.startsWith('2')).reduce((n, [, k]) => n + k, 0),
        answeredPerSecond: r.throughput,
      });
    });
  });
}

/**
 * Waits until PostgreSQL has run no query but this one for a moment: answers the load generator
 * stopped waiting for (after its timeout) are still worked off by the server it loaded, and
 * would land in the next endpoint's figures.
 */
async function drained(pool: PgPool): Promise<void> {
  for (let quiet = 0; quiet < 5;) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    quiet = rows[0].n === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An endpoint's captured SQL, wave after wave, the queries of a wave together: their rows, in order. */
async function runWaves(pool: PgPool, waves: Captured[][]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const wave of waves) {
    const results = await Promise.all(wave.map((q) => pool.query(q.text, q.values)));
    for (const r of results) out.push(r.rows);
  }
  return out;
}

/** Median wall time of one unloaded run of the endpoint's SQL waves (ms): its cost per request when nothing competes. */
async function serialMs(pool: PgPool, waves: Captured[][]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    await runWaves(pool, waves);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[10];
}

/** A bare server answering every path with the rows of its waves of queries (JSON.stringify), optionally after the token lookup. */
function bareServer(pool: PgPool, routes: Map<string, Captured[][]>, auth: Captured[][] | undefined): Promise<Server> {
  const server = createServer((req, res) => {
    const waves = routes.get(req.url ?? '');
    if (!waves) {
      res.writeHead(404).end();
      return;
    }
    (async () => {
      if (auth) await runWaves(pool, auth);
      const body = JSON.stringify(await runWaves(pool, waves));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    })().catch((err) => res.writeHead(500).end(String(err)));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const ms = (n: number) => n.toFixed(1).padStart(7);

if (require.main === module) {
  runBench(() => {
    // The apps as production runs them, compiled (ts-node's compiler in the API's heap lengthens its collections).
    if (APPS_FROM === 'dist') ensureDistBuild(log);
    return withBenchStack(
      { apps: true, appsFrom: APPS_FROM, env: { AIMS_RECONCILE_ON_START: 'false', AIMS_ADMIN_TOKEN: ADMIN_TOKEN } },
      async (stack) => {
        const vegeta = await ensureVegeta(log);
        const apiPid = stack.appPids!.api;
        const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: POOL_SIZE });
        const ds: DataSource = createDataSource(stack.databaseUrl, { poolSize: 2 });
        await ds.initialize();
        try {
          log(`seeding ${SYSTEMS} systems, ${TASKS} tasks ...`);
          const t0 = Date.now();
          const { leadToken, ownerId, systemId } = await seed(pool, stack.apiUrl, ADMIN_TOKEN);
          const [counts] = (
            await pool.query(
              `SELECT (SELECT count(*) FROM ai_systems)::int AS systems, (SELECT count(*) FROM tasks)::int AS tasks,
                  (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM nonconformities)::int AS nonconformities`,
            )
          ).rows;
          log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

          // The API's services, over a data source of their own, run once per endpoint to capture their SQL.
          const none = undefined as never;
          const tasks = new TasksService(none, ds, none);
          const status = new StatusService(ds, { timeZone: 'UTC' });
          const systems = new SystemsService(ds, none, none);
          const incidents = new IncidentsService(
            ds,
            none,
            'aims',
            none,
            new NonconformitiesService(ds, none, 'aims'),
            { regimes: {} },
            none,
          );
          const nonconformities = new NonconformitiesService(ds, none, 'aims');
          const people = new PeopleService(ds);
          const auditTrail = new AuditTrailService(ds);
          const lead = (await new AuthService(ds).findToken(leadToken))!.person;
          const page = { limit: 50 };
          const endpoints: Endpoint[] = [
            { path: '/health' },
            { path: '/status/cycles', call: () => status.cycles({}) },
            {
              path: '/status/cycles?kind=high-risk-review&period=2026-Q4',
              call: () => status.cycles({ kind: 'high-risk-review', period: '2026-Q4' }),
            },
            { path: `/status/overdue?ownerId=${ownerId}`, call: () => status.overdue({ ownerId }) },
            { path: '/status/overdue', call: () => status.overdue({}) },
            { path: '/status/incidents', call: () => status.incidents() },
            { path: '/status/nonconformities', call: () => status.nonconformities() },
            { path: '/status/inventory', call: () => status.inventory() },
            { path: '/tasks?limit=50', call: () => tasks.list(page) },
            { path: '/tasks?limit=50&state=open', call: () => tasks.list({ ...page, state: 'open' }) },
            { path: `/tasks?limit=50&ownerId=${ownerId}`, call: () => tasks.list({ ...page, ownerId }) },
            { path: '/tasks?limit=50&overdue=true', call: () => tasks.list({ ...page, overdue: 'true' }) },
            {
              path: '/tasks?limit=50&kind=high-risk-review&period=2026-Q4',
              call: () => tasks.list({ ...page, kind: 'high-risk-review', period: '2026-Q4' }),
            },
            { path: `/tasks?limit=50&subjectId=${systemId}`, call: () => tasks.list({ ...page, subjectId: systemId }) },
            { path: '/tasks?limit=50&offset=20000', call: () => tasks.list({ ...page, offset: 20_000 }) },
            { path: '/tasks/awaiting-approval?limit=50', call: () => tasks.awaitingApproval(page, lead) },
            { path: '/systems?limit=50', call: () => systems.list(page) },
            { path: '/systems?limit=50&riskTier=high', call: () => systems.list({ ...page, riskTier: 'high' }) },
            { path: `/systems?limit=50&ownerId=${ownerId}`, call: () => systems.list({ ...page, ownerId }) },
            { path: '/incidents?limit=50', call: () => incidents.list(page) },
            { path: '/incidents?limit=50&state=open', call: () => incidents.list({ ...page, state: 'open' }) },
            { path: '/nonconformities?limit=50', call: () => nonconformities.list(page) },
            { path: '/nonconformities?limit=50&state=open', call: () => nonconformities.list({ ...page, state: 'open' }) },
            { path: '/people?limit=50', call: () => people.list(page) },
            { path: '/audit-trail?limit=50', call: () => auditTrail.list(page) },
          ].filter((e) => !ONLY || e.path.includes(ONLY));

          const routes = new Map<string, Captured[][]>();
          for (const e of endpoints) routes.set(e.path, e.call ? await capture(e.call) : []);
          const authWaves = await capture(() => new AuthService(ds).findToken(leadToken));
          const bare = await bareServer(pool, routes, undefined);
          const bareAuth = await bareServer(pool, routes, authWaves);
          const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
          const bareAuthUrl = `http://127.0.0.1:${(bareAuth.address() as AddressInfo).port}`;
          const headers = { authorization: `Bearer ${leadToken}` };

          log(`\n${RATE} rps for ${DURATION_S} s each, on loopback; bare: the same SQL on a pg Pool of ${POOL_SIZE}, JSON.stringify`);
          log(
            `cores: the unloaded SQL's time x ${RATE} rps, the cores it keeps busy (this machine has ${cpus().length}; past it, requests queue)`,
          );
          // sql ms: one unloaded run of the endpoint's SQL; cores: what that costs at the rate, against this machine's.
          log(
            `${'endpoint'.padEnd(58)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'bare p99'.padStart(9)} ${'+auth p99'.padStart(9)} ${'ratio'.padStart(6)} ${'sql ms'.padStart(7)} ${'cores'.padStart(6)} ${'api ms'.padStart(7)}  queries`,
          );
          const results: Array<{ path: string; api: Load; bare: Load }> = [];
          for (const e of endpoints) {
            // Each answers once before the load, so nothing is cold and every answer is a 2xx.
            const check = await fetch(`${stack.apiUrl}${e.path}`, { headers });
            if (check.status !== 200) throw new Error(`GET ${e.path}: ${check.status} ${await check.text()}`);
            const sql = await serialMs(pool, routes.get(e.path)!);
            await drained(pool);
            const apiCpu0 = processCpuMs(apiPid);
            const api = await load(vegeta, `${stack.apiUrl}${e.path}`, headers);
            const apiCpuMs = (processCpuMs(apiPid) - apiCpu0) / (RATE * DURATION_S);
            await drained(pool);
            const b = await load(vegeta, `${bareUrl}${e.path}`, {});
            await drained(pool);
            const ba = await load(vegeta, `${bareAuthUrl}${e.path}`, {});
            await drained(pool);
            const queries =
              routes
                .get(e.path)!
                .map((w) => w.length)
                .join('+') || '0';
            const bad = api.errors + api.non2xx + b.errors + b.non2xx + ba.errors + ba.non2xx;
            // An endpoint that cannot keep up answers slower than the rate sent, its backlog growing.
            const slow = [api, b, ba].some((l) => l.answeredPerSecond < RATE * 0.9)
              ? `  (answered/s: ${[api, b, ba].map((l) => l.answeredPerSecond.toFixed(0)).join(', ')})`
              : '';
            log(
              `${e.path.padEnd(58)} ${ms(api.p50)} ${ms(api.p99)} ${ms(b.p99).padStart(9)} ${ms(ba.p99).padStart(9)} ${(api.p99 / b.p99).toFixed(2).padStart(6)} ${ms(sql)} ${((RATE * sql) / 1000).toFixed(2).padStart(6)} ${ms(apiCpuMs)}  ${queries}` +
                (bad ? `  (${bad} errors or non-2xx)` : '') +
                slow,
            );
            results.push({ path: e.path, api, bare: b });
          }
          bare.close();
          bareAuth.close();
          for (const r of results) {
            printFigure('status', `${r.path} p99`, `${r.api.p99.toFixed(1)} ms`, `<= ${GOAL_P99_MS} ms`);
            printFigure('status', `${r.path} p99 vs bare SQL`, `${(r.api.p99 / r.bare.p99).toFixed(2)}x`, `<= ${GOAL_RATIO}x`);
          }
        } finally {
          await ds.destroy();
          await pool.end();
        }
      },
    );
  });
}
