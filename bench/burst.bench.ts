/**
 * A quarter-start burst: N high-risk systems' `cadenceCycle` runs start at once, as their
 * Schedules start them on the quarter's first day, and each opens its `governanceTask` and
 * emails the owner. Timed until the last owner's email is accepted by SMTP (MailDev's receive
 * time of each message), against a bare Temporal workflow of the same shape in the same run,
 * on the same Temporal server, PostgreSQL and SMTP server: a cycle reads the system (one
 * SELECT) and starts a child, which inserts one row and sends one email (nodemailer).
 *
 *   npx ts-node --transpile-only bench/burst.bench.ts [--n=2000] [--from=dist] [--worker-env=AIMS_WORKER_X=v,...]
 *
 * --from=dist runs the compiled apps (`npm run build` first); --worker-env hands the worker its
 * throughput variables (libs/config AIMS_WORKER_*), to compare settings.
 */
import { Connection, WorkflowClient } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as nodemailer from 'nodemailer';
import { performance } from 'perf_hooks';
import type { DataSource } from 'typeorm';
import { CadenceCycleInput, DEFAULT_TASK_QUEUE, WORKFLOW_TYPES } from '../libs/contracts';
import { cadenceId } from '../libs/domain';
import { createDataSource } from '../libs/persistence';
import type { AppsFrom } from '../tools/stack';
import type { BareActivities } from './burst-bare-workflows';
import { printFigure, ratio, withBenchStack } from './stack';
import { runBench } from './support';

const BENCH = 'burst';
const BARE_TASK_QUEUE = 'burst-bare';
const TIME_ZONE = 'UTC';

function option(name: string): string | undefined {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag?.slice(name.length + 3);
}

const N = Number(option('n') ?? 2000);
const APPS_FROM = (option('from') ?? 'sources') as AppsFrom;
if (!Number.isInteger(N) || N < 1) throw new Error(`--n must be a positive integer, not ${N}`);
if (APPS_FROM !== 'sources' && APPS_FROM !== 'dist') throw new Error(`--from must be sources or dist, not ${APPS_FROM}`);

const log = (m: string): void => {
  process.stderr.write(`[burst] ${m}\n`);
};

/** --worker-env=AIMS_WORKER_X=1,AIMS_WORKER_Y=2: the worker's throughput variables for this run. */
function workerTuning(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (option('worker-env') ?? '').split(',').filter(Boolean)) {
    const [k, v] = pair.split('=');
    if (!k.startsWith('AIMS_WORKER_') || v === undefined)
      throw new Error(`--worker-env takes AIMS_WORKER_<NAME>=<value> pairs, not ${pair}`);
    out[k] = v;
  }
  return out;
}

function uuid(prefix: string, i: number): string {
  return `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}
const systemId = (i: number): string => uuid('00000000', i);
const ownerId = (i: number): string => uuid('10000000', i);

async function seed(db: DataSource): Promise<void> {
  await db.query(
    `INSERT INTO people (id, name, email, role)
     SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Owner ' || i, 'owner-' || i || '@burst.test', 'owner'
       FROM generate_series(0, $1::int - 1) AS i`,
    [N],
  );
  await db.query(
    `INSERT INTO ai_systems (id, name, description, purpose, provider_type, deployer, owner_id, risk_tier, lifecycle_stage)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'System ' || i, 'd', 'p', 'internal', 'ops',
            ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'high', 'operation_and_monitoring'
       FROM generate_series(0, $1::int - 1) AS i`,
    [N],
  );
  await db.query(
    `CREATE TABLE burst_bare_rows (task_id text PRIMARY KEY, system_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  );
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM ai_systems WHERE owner_id = $1`, [ownerId(0)]);
  if (count !== 1) throw new Error('seeding failed');
}

/** When MailDev received each email to the burst's owners (its own receive time), so polling late loses nothing. */
async function receivedTimes(inboxUrl: string): Promise<number[]> {
  const res = await fetch(`${inboxUrl}/api/email`);
  if (!res.ok) throw new Error(`inbox: GET /api/email answered ${res.status}`);
  const emails = (await res.json()) as Array<{ time: string; to?: Array<{ address: string }> }>;
  return emails.filter((e) => e.to?.some((a) => a.address.endsWith('@burst.test'))).map((e) => new Date(e.time).getTime());
}

async function clearInbox(inboxUrl: string): Promise<void> {
  const res = await fetch(`${inboxUrl}/api/email/all`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`inbox: DELETE answered ${res.status}`);
}

/** Runs `start(i)` for every i, `concurrency` at a time (the starts of N Schedules firing together). */
async function startAll(start: (i: number) => Promise<unknown>, concurrency = 100): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) await start(next++);
    }),
  );
}

interface BurstResult {
  /** Seconds from the first start to the last email accepted. */
  lastEmailS: number;
  firstEmailS: number;
  startsS: number;
}

/** Starts the burst, then waits until all N emails arrived; times from the first start. */
async function burst(name: string, inboxUrl: string, start: (i: number) => Promise<unknown>): Promise<BurstResult> {
  await clearInbox(inboxUrl);
  const t0 = Date.now();
  const p0 = performance.now();
  await startAll(start);
  const startsS = (performance.now() - p0) / 1000;
  log(`${name}: ${N} started in ${startsS.toFixed(1)} s`);
  const deadline = t0 + Math.max(1_800_000, N * 1_000);
  let times: number[] = [];
  for (;;) {
    times = await receivedTimes(inboxUrl);
    if (times.length >= N) break;
    if (Date.now() > deadline) throw new Error(`${name}: ${times.length}/${N} emails before the deadline`);
    log(`${name}: ${times.length}/${N} emails after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    await new Promise((r) => setTimeout(r, 3_000));
  }
  if (times.length > N) throw new Error(`${name}: ${times.length} emails for ${N} cycles (a duplicate)`);
  const result = { lastEmailS: (Math.max(...times) - t0) / 1000, firstEmailS: (Math.min(...times) - t0) / 1000, startsS };
  log(`${name}: first email after ${result.firstEmailS.toFixed(1)} s, last after ${result.lastEmailS.toFixed(1)} s`);
  return result;
}

/** The bare worker, in this process: its own task queue, pool and transport, SDK defaults. */
async function bareWorker(address: string, db: DataSource, smtpUrl: string): Promise<{ worker: Worker; close: () => void }> {
  const transport = nodemailer.createTransport(smtpUrl);
  const activities: BareActivities = {
    async readSystem(id) {
      const rows: Array<{ id: string; name: string; email: string }> = await db.query(
        `SELECT s.id, s.name, p.email FROM ai_systems s JOIN people p ON p.id = s.owner_id WHERE s.id = $1`,
        [id],
      );
      return rows[0] ? { id: rows[0].id, name: rows[0].name, ownerEmail: rows[0].email } : null;
    },
    async insertRow(taskId, id) {
      await db.query(`INSERT INTO burst_bare_rows (task_id, system_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [taskId, id]);
    },
    async sendEmail(to, subject) {
      await transport.sendMail({ from: 'bench <bench@localhost>', to, subject, text: subject, html: `<p>${subject}</p>` });
    },
  };
  // The SDK's log (workflow task warnings under load) goes to stderr with the progress: stdout is for the figures.
  Runtime.install({ logger: new DefaultLogger('WARN', (e) => void process.stderr.write(`[bare worker] ${e.level} ${e.message}\n`)) });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue: BARE_TASK_QUEUE,
    workflowsPath: require.resolve('./burst-bare-workflows'),
    activities,
  });
  return {
    worker,
    close: () => {
      transport.close();
      void connection.close();
    },
  };
}

runBench(async () => {
  log(`N = ${N}, apps from ${APPS_FROM}, worker ${JSON.stringify(workerTuning())}`);
  await withBenchStack({ apps: true, appsFrom: APPS_FROM, env: { AIMS_RECONCILE_ON_START: 'false', ...workerTuning() } }, async (stack) => {
    if (!stack.inboxUrl) throw new Error('the bench needs the stack inbox');
    const db = createDataSource(stack.databaseUrl);
    await db.initialize();
    try {
      await seed(db);
      log(`seeded ${N} high-risk systems and their owners`);
      const connection = await Connection.connect({ address: stack.temporalAddress });
      const client = new WorkflowClient({ connection, namespace: stack.temporalNamespace });

      const bare = await bareWorker(stack.temporalAddress, db, stack.smtpUrl);
      const running = bare.worker.run();
      const bareResult = await burst('bare', stack.inboxUrl, (i) =>
        client.start('bareCycle', { workflowId: `bare-cycle:${systemId(i)}`, taskQueue: BARE_TASK_QUEUE, args: [systemId(i)] }),
      );
      bare.worker.shutdown();
      await running;
      bare.close();

      // What each system's Schedule starts (apps/api/cadences/schedule-spec.ts scheduleOptionsFor):
      // `cadenceCycle` with its cycleInput, the workflow id `<cadenceId>-<scheduled time>`.
      const scheduledAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const cycleResult = await burst('cadenceCycle', stack.inboxUrl, (i) => {
        const id = cadenceId('high-risk-review', systemId(i));
        const input: CadenceCycleInput = { cadenceId: id, kind: 'high-risk-review', systemId: systemId(i), timeZone: TIME_ZONE };
        return client.start(WORKFLOW_TYPES.cadenceCycle, {
          workflowId: `${id}-${scheduledAt}`,
          taskQueue: DEFAULT_TASK_QUEUE,
          args: [input],
        });
      });
      // Retried sends (an attempt timed out or failed): each still sent once (the outbox and its ledger).
      const [{ sent, retried }] = await db.query(
        `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE attempts > 1)::int AS retried FROM email_outbox`,
      );
      log(`outbox: ${sent} sent, ${retried} after more than one attempt`);
      await connection.close();

      const cyclesPerS = N / cycleResult.lastEmailS;
      const barePerS = N / bareResult.lastEmailS;
      printFigure(BENCH, 'cycles/s', cyclesPerS.toFixed(1), 'baseline');
      printFigure(BENCH, 'bare cycles/s', barePerS.toFixed(1), 'baseline');
      printFigure(BENCH, 'ratio', ratio(cyclesPerS, barePerS), '>= 0.8');
      printFigure(BENCH, 'last email after', `${cycleResult.lastEmailS.toFixed(1)} s`, 'baseline');
    } finally {
      await db.destroy();
    }
  });
});
