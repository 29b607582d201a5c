/**
 * The bulk import of the inventory against the bare Temporal calls it is made of.
 *
 * On the embedded stack with its apps (API and worker), in one run:
 *  1. baseline: the same Schedules (same specs from desiredCadences, ids prefixed `bare:`) made by
 *     a bare `client.schedule.create` loop, as many at once as the import's default concurrency;
 *  2. the import: POST /systems/import with N rows (JSON), then GET /imports/:id until it is no
 *     longer running (the bench polls; the API does not).
 * The baseline runs first, so the import meets a server already holding N systems' Schedules.
 *
 * Two row mixes (--mix):
 *  - `schedules` (the default, the issue's figure: the same Schedules both ways): limited and
 *    minimal systems in design, no go-live date; each gets its yearly AIIA Schedule (it runs once
 *    they are live) and opens no work at once, so the import's cost is priced against exactly the
 *    Schedule calls it makes;
 *  - `registration`, per 20 systems (what each gets):
 *    - 3 high, in operation, live since a past date: quarterly review + yearly AIIA Schedules;
 *      the go-live AIIA and this quarter's review open at once;
 *    - 1 high, in verification, no go-live date: both Schedules; this quarter's review at once;
 *    - 7 limited, in operation, live: the yearly AIIA Schedule; the go-live AIIA at once;
 *    - 6 minimal, in design, no go-live date: the yearly AIIA Schedule;
 *    - 2 limited, retired: nothing;
 *    - 1 unacceptable (prohibited), in operation: no Schedule; the governance lead's alert at once.
 *    The import also opens that work (governanceTask and alert workflows, run by the worker on
 *    the same server); the baseline makes only the Schedules, so that ratio prices the whole
 *    registration against its Schedules alone.
 *
 *   npx ts-node --transpile-only bench/import.bench.ts [--n=10000] [--concurrency=8] [--mix=schedules|registration]
 */
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'crypto';
import { DEFAULT_IMPORT_SCHEDULE_CONCURRENCY, DEFAULT_SCHEDULE_JITTER_MINUTES } from '../libs/config';
import { DEFAULT_TASK_QUEUE } from '../libs/contracts';
import { desiredCadences, LifecycleStage, RiskTier } from '../libs/domain';
import { scheduleOptionsFor } from '../apps/api/cadences/schedule-spec';
import { printFigure, ratio, withBenchStack } from './stack';

const BENCH = 'import';
const ADMIN_TOKEN = 'aims-bench-import-admin-token-0001';
const TIME_ZONE = 'UTC';

function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const N = flag('n', 10_000);
const CONCURRENCY = flag('concurrency', DEFAULT_IMPORT_SCHEDULE_CONCURRENCY);
const log = (m: string) => process.stderr.write(`[${BENCH}] ${m}\n`);

const MIX_NAME = process.argv.find((a) => a.startsWith('--mix='))?.slice('--mix='.length) ?? 'schedules';
if (MIX_NAME !== 'schedules' && MIX_NAME !== 'registration') throw new Error(`--mix must be schedules or registration, not ${MIX_NAME}`);

type Mix = { riskTier: RiskTier; lifecycleStage: LifecycleStage; goLiveDate?: string };
const SCHEDULES_ONLY: Array<[number, Mix]> = [
  [1, { riskTier: 'limited', lifecycleStage: 'design_and_development' }],
  [1, { riskTier: 'minimal', lifecycleStage: 'design_and_development' }],
];
const REGISTRATION: Array<[number, Mix]> = [
  [3, { riskTier: 'high', lifecycleStage: 'operation_and_monitoring', goLiveDate: '2025-05-12' }],
  [1, { riskTier: 'high', lifecycleStage: 'verification_and_validation' }],
  [7, { riskTier: 'limited', lifecycleStage: 'operation_and_monitoring', goLiveDate: '2024-09-30' }],
  [6, { riskTier: 'minimal', lifecycleStage: 'design_and_development' }],
  [2, { riskTier: 'limited', lifecycleStage: 'retirement', goLiveDate: '2021-01-04' }],
  [1, { riskTier: 'unacceptable', lifecycleStage: 'operation_and_monitoring' }],
];
const PATTERN = (MIX_NAME === 'schedules' ? SCHEDULES_ONLY : REGISTRATION).flatMap(([n, m]) => Array.from({ length: n }, () => m));

function rows(n: number, ownerId: string): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => {
    const m = PATTERN[i % PATTERN.length];
    return {
      name: `Bench system ${String(i + 1).padStart(6, '0')}`,
      description: 'A system of the benchmark inventory',
      purpose: 'Measuring the bulk import',
      provider: i % 3 === 0 ? { type: 'third_party', name: 'Vendor AI' } : { type: 'internal' },
      deployer: 'Operations',
      ownerId,
      businessUnit: `Unit ${i % 12}`,
      riskTier: m.riskTier,
      lifecycleStage: m.lifecycleStage,
      ...(m.goLiveDate ? { goLiveDate: m.goLiveDate } : {}),
      dataInputs: ['customer records', 'documents'],
      dataOutputs: ['scores'],
      oversightMeasures: ['human review'],
    };
  });
}

async function http(apiUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

/** The bare loop: `concurrency` workers taking the next Schedule until none is left. */
async function bareCreate(client: Client, options: Array<ReturnType<typeof scheduleOptionsFor>>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, options.length) }, async () => {
      while (next < options.length) await client.schedule.create(options[next++]);
    }),
  );
}

async function main(): Promise<void> {
  log(`N=${N} systems (mix ${MIX_NAME}), concurrency ${CONCURRENCY}`);
  await withBenchStack(
    {
      apps: true,
      // ts-node compiles the apps at start: on a busy machine that can outlast the 90 s default.
      healthTimeoutMs: 300_000,
      env: { AIMS_ADMIN_TOKEN: ADMIN_TOKEN, AIMS_TIMEZONE: TIME_ZONE, AIMS_IMPORT_SCHEDULE_CONCURRENCY: String(CONCURRENCY) },
    },
    async (stack) => {
      const owner = await http(stack.apiUrl, 'POST', '/people', { name: 'Bench Owner', email: 'owner@bench.test', role: 'owner' });
      if (owner.status !== 201) throw new Error(`POST /people answered ${owner.status}: ${JSON.stringify(owner.json)}`);
      const systems = rows(N, owner.json.id);

      // 1. The bare Schedules of the same rows (fresh ids, prefixed).
      const now = new Date();
      const specs = systems.flatMap((s) =>
        desiredCadences(
          {
            id: randomUUID(),
            name: s.name as string,
            riskTier: s.riskTier as RiskTier,
            lifecycleStage: s.lifecycleStage as LifecycleStage,
            goLiveDate: (s.goLiveDate as string | undefined) ?? null,
            createdAt: now,
          },
          TIME_ZONE,
        ),
      );
      const options = specs.map((spec) =>
        scheduleOptionsFor({ ...spec, id: `bare:${spec.id}` }, DEFAULT_TASK_QUEUE, DEFAULT_SCHEDULE_JITTER_MINUTES * 60_000),
      );
      const connection = await Connection.connect({ address: stack.temporalAddress });
      const client = new Client({ connection, namespace: stack.temporalNamespace });
      let bareSeconds: number;
      try {
        const t0 = performance.now();
        await bareCreate(client, options);
        bareSeconds = (performance.now() - t0) / 1000;
      } finally {
        await connection.close();
      }
      log(`bare: ${options.length} schedule(s) in ${bareSeconds.toFixed(1)} s`);

      // 2. The import, followed to its end.
      const t0 = performance.now();
      const posted = await http(stack.apiUrl, 'POST', '/systems/import', { systems });
      if (posted.status !== 202)
        throw new Error(`POST /systems/import answered ${posted.status}: ${JSON.stringify(posted.json).slice(0, 2000)}`);
      const accepted = (performance.now() - t0) / 1000;
      log(
        `import ${posted.json.id} accepted in ${accepted.toFixed(1)} s: ${posted.json.schedules.total} schedule(s), ${posted.json.work.total} work`,
      );
      if (posted.json.schedules.total !== options.length)
        throw new Error(`the import plans ${posted.json.schedules.total} schedules, the baseline ${options.length}`);
      let view: any;
      for (let last = 0; ;) {
        view = (await http(stack.apiUrl, 'GET', `/imports/${posted.json.id}`)).json;
        if (view.status !== 'running') break;
        if (performance.now() - last > 5_000) {
          last = performance.now();
          log(`  ${view.schedules.created}/${view.schedules.total} schedule(s), ${view.work.opened}/${view.work.total} work`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const importSeconds = (performance.now() - t0) / 1000;
      log(
        `import ${view.status} in ${importSeconds.toFixed(1)} s: ${view.schedules.created}/${view.schedules.total} schedule(s), ` +
          `${view.work.opened}/${view.work.total} work, ${view.schedules.failed + view.work.failed} failed`,
      );
      if (view.status !== 'completed') throw new Error(`the import ended ${view.status}: ${JSON.stringify(view.failures).slice(0, 2000)}`);

      const importRate = N / importSeconds;
      const bareRate = N / bareSeconds;
      printFigure(BENCH, 'systems/s', importRate.toFixed(1), 'baseline');
      printFigure(BENCH, 'bare schedule.create systems/s', bareRate.toFixed(1), 'baseline');
      printFigure(BENCH, 'ratio', ratio(importRate, bareRate), '>= 0.8');
    },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
