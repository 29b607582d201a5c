/**
 * The worker's memory with many open tasks: does it stay bounded by its workflow cache
 * (AIMS_WORKER_MAX_CACHED_WORKFLOWS) rather than grow with the open work?
 *
 * On the embedded stack, with the worker run compiled from dist/ as production runs it (the
 * bench runs `npm run build` first when dist/ is missing or older than the sources), it:
 *   1. reads the idle worker's RSS, no workflow started yet: the baseline of the same build and options;
 *   2. starts N governanceTask workflows that stay open (one owner seeded in SQL, due in 60 days, the
 *      default ladder: its first step is weeks ahead), waits until every one has recorded its opening
 *      (the tasks table) and sent its email (the outbox), and the worker is idle (its status line:
 *      nothing in flight), then reads its RSS and the cached workflow count from that line;
 *   3. probes the first-started tasks, long evicted from the cache when N is past the bound: the
 *      `opened` Update and the `status` query of each (both replay the task from its history), and
 *      reads the RSS again.
 *
 *   npx ts-node --transpile-only bench/worker-memory.bench.ts [--tasks=10000] [--probe=300] [--cache=<n>] [--heap=<MB>] [--concurrency=32]
 *
 * --cache sets AIMS_WORKER_MAX_CACHED_WORKFLOWS (default: the product's default); --heap runs the apps
 * with NODE_OPTIONS=--max-old-space-size=<MB> (default: none, node's own limit). Progress goes to
 * stderr; the figures end stdout.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { parseWorkerStatus, WorkerStatusFigures } from '../apps/worker/status';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../libs/config';
import { DEFAULT_TASK_QUEUE, GovernanceTaskInput, statusQuery, taskOpenedUpdate, WORKFLOW_TYPES } from '../libs/contracts';
import { DEFAULT_LADDER } from '../libs/domain';
import { createDataSource } from '../libs/persistence';
import { REPO_ROOT } from '../tools/stack';
import { ensureDistBuild, printFigure, rssMb, withBenchStack } from './stack';
import { runBench } from './support';

const BENCH = 'worker-memory';
const GOAL_MB = 512;
const OWNER = '00000000-0000-4000-8000-00000000beef';
const ID_PREFIX = 'worker-memory:';
const STATUS_INTERVAL_MS = 1_000;
const DAY_MS = 86_400_000;

function flag(name: string, fallback: number): number {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  if (!arg) return fallback;
  const value = Number(arg.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got ${arg}`);
  return value;
}

const progress = (line: string): void => void process.stderr.write(`[${BENCH}] ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const secs = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** The stack spawns node itself, no shell or npm in between: check the pid is that node running the compiled worker. */
function assertCompiledWorker(pid: number): void {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const entry = path.join(REPO_ROOT, 'dist', 'apps', 'worker', 'main.js');
  if (argv[0] !== process.execPath || argv[1] !== entry) throw new Error(`pid ${pid} is not node running ${entry}: ${argv.join(' ')}`);
}

/** Status lines the worker has logged since `from` (a byte offset of its log). */
class WorkerLog {
  private offset = 0;
  constructor(private readonly file: string) {}

  skipToEnd(): void {
    this.offset = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
  }

  newStatuses(): WorkerStatusFigures[] {
    const text = fs.readFileSync(this.file);
    const fresh = text.subarray(this.offset).toString('utf8');
    const complete = fresh.lastIndexOf('\n') + 1;
    this.offset += Buffer.byteLength(fresh.slice(0, complete));
    return fresh
      .slice(0, complete)
      .split('\n')
      .map(parseWorkerStatus)
      .filter((s): s is WorkerStatusFigures => s !== undefined);
  }

  /** The first status line logged after this call with nothing in flight, `settled` lines in a row. */
  async idle(timeoutMs: number, settled = 2): Promise<WorkerStatusFigures> {
    this.skipToEnd();
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    for (;;) {
      for (const s of this.newStatuses()) {
        quiet = s.inFlightActivations === 0 && s.inFlightActivities === 0 ? quiet + 1 : 0;
        if (quiet >= settled) return s;
      }
      if (Date.now() > deadline) throw new Error(`the worker was not idle within ${timeoutMs} ms (${this.file})`);
      await sleep(STATUS_INTERVAL_MS / 2);
    }
  }
}

function taskInput(i: number, now: number): GovernanceTaskInput {
  return {
    kind: 'high-risk-review',
    title: `Worker memory bench task ${i}`,
    subject: { type: 'ai-system', id: `worker-memory-system-${i}`, name: `Bench system ${i}` },
    ownerId: OWNER,
    approverRoles: ['governance_lead'],
    // 60 days out: the ladder's first step (14 days before) is 46 days ahead, so nothing wakes the task.
    dueAt: new Date(now + 60 * DAY_MS).toISOString(),
    ladder: DEFAULT_LADDER,
    timeZone: 'UTC',
  };
}

/** Runs `fn` over 0..n-1, `concurrency` at a time. */
async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** Waits until `sql` counts `n`; fails when the count stops moving for `stallMs` (a loaded machine is slow, a stuck one stops). */
async function waitForCount(db: DataSource, sql: string, n: number, what: string, stallMs: number): Promise<void> {
  const t0 = Date.now();
  let printedAt = t0;
  let last = -1;
  let movedAt = t0;
  for (;;) {
    const count = Number((await db.query(sql, [`${ID_PREFIX}%`]))[0].count);
    if (count >= n) return progress(`${what}: ${count} of ${n} (${secs(t0)})`);
    if (count !== last) [last, movedAt] = [count, Date.now()];
    if (Date.now() - printedAt >= 10_000) {
      progress(`${what}: ${count} of ${n} (${secs(t0)})`);
      printedAt = Date.now();
    }
    if (Date.now() - movedAt > stallMs) throw new Error(`${what}: stuck at ${count} of ${n} for ${stallMs} ms`);
    await sleep(1_000);
  }
}

async function main(): Promise<void> {
  const tasks = flag('tasks', 10_000);
  const probe = Math.min(flag('probe', 300), tasks);
  const concurrency = flag('concurrency', 32) || 1;
  const cache = flag('cache', -1);
  const heapMb = flag('heap', 0);
  const maxCached = cache >= 0 ? cache : DEFAULT_MAX_CACHED_WORKFLOWS;
  ensureDistBuild(progress);
  progress(
    `${tasks} open tasks, probe ${probe}, worker cache bound ${maxCached}${cache >= 0 ? ' (--cache)' : ' (default)'}, ` +
      (heapMb > 0 ? `V8 old space at most ${heapMb} MB (--heap)` : 'the V8 heap limit node picks'),
  );
  const env: Record<string, string> = {
    AIMS_WORKER_STATUS_INTERVAL_MS: String(STATUS_INTERVAL_MS),
    ...(cache >= 0 ? { AIMS_WORKER_MAX_CACHED_WORKFLOWS: String(cache) } : {}),
    // As a deployment caps the V8 heap (docker-compose.yml's worker): every isolate, the workflow thread's too.
    ...(heapMb > 0 ? { NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : {}),
  };
  await withBenchStack({ apps: true, appsFrom: 'dist', env }, async (stack) => {
    const pid = stack.appPids!.worker;
    assertCompiledWorker(pid);
    const log = new WorkerLog(path.join(stack.dataDir, 'logs', 'worker.log'));
    const db = createDataSource(stack.databaseUrl, { poolSize: 2 });
    await db.initialize();
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection, namespace: stack.temporalNamespace });
    try {
      await db.query(`INSERT INTO people (id, name, email, role) VALUES ($1, 'Bench Owner', 'owner@worker-memory.bench', 'owner')`, [
        OWNER,
      ]);

      // 1. The bare worker: started, polling, no workflow yet.
      const bare = await log.idle(60_000, 3);
      const idleMb = rssMb(pid);
      if (bare.cachedWorkflows !== 0) throw new Error(`the bare worker already holds ${bare.cachedWorkflows} workflows`);
      progress(
        `idle worker (pid ${pid}, node dist/apps/worker/main.js), no workflow yet: rss ${idleMb.toFixed(1)} MB (its line: ${bare.rssMb} MB)`,
      );

      // 2. N open tasks.
      const t0 = Date.now();
      const now = Date.now();
      let started = 0;
      await pool(tasks, concurrency, async (i) => {
        await client.workflow.start(WORKFLOW_TYPES.governanceTask, {
          taskQueue: DEFAULT_TASK_QUEUE,
          workflowId: `${ID_PREFIX}${i}`,
          args: [taskInput(i, now)],
        });
        if (++started % Math.max(1, Math.floor(tasks / 10)) === 0) progress(`started ${started} of ${tasks} (${secs(t0)})`);
      });
      const stallMs = 300_000;
      await waitForCount(db, `SELECT count(*) FROM tasks WHERE id LIKE $1`, tasks, 'openings recorded', stallMs);
      await waitForCount(
        db,
        `SELECT count(*) FROM email_outbox WHERE idempotency_key LIKE $1 AND status = 'sent'`,
        tasks,
        'opening emails sent',
        stallMs,
      );
      const open = await log.idle(120_000);
      const openMb = rssMb(pid);
      progress(
        `${tasks} open tasks in ${secs(t0)}: rss ${openMb.toFixed(1)} MB (its line: ${open.rssMb} MB), ` +
          `${open.cachedWorkflows} cached of at most ${open.maxCachedWorkflows}, main heap ${open.heapUsedMb} of ${open.heapTotalMb} MB`,
      );
      if (open.cachedWorkflows > maxCached) throw new Error(`${open.cachedWorkflows} workflows cached, past the bound ${maxCached}`);

      // 3. The first-started tasks, evicted long ago (the cache keeps the latest): an Update and a query each.
      const t1 = Date.now();
      let answered = 0;
      await pool(probe, concurrency, async (i) => {
        const handle = client.workflow.getHandle(`${ID_PREFIX}${i}`);
        const opened = await handle.executeUpdate(taskOpenedUpdate);
        const status = await handle.query(statusQuery);
        if (opened.taskId !== handle.workflowId || opened.state !== 'open' || status.state !== 'open' || status.version !== opened.version)
          throw new Error(`task ${handle.workflowId} answered ${JSON.stringify({ opened: opened.state, status: status.state })}`);
        answered++;
      });
      const probed = await log.idle(120_000);
      const probedMb = rssMb(pid);
      progress(
        `probe: ${answered} of the first ${probe} tasks answered the opened Update and the status query in ${secs(t1)}; ` +
          `rss ${probedMb.toFixed(1)} MB, ${probed.cachedWorkflows} cached`,
      );

      printFigure(BENCH, `rss with ${tasks} open tasks`, `${openMb.toFixed(0)} MB`, `<= ${GOAL_MB} MB`);
      printFigure(BENCH, 'rss idle', `${idleMb.toFixed(0)} MB`, 'baseline');
      printFigure(BENCH, `rss after probing ${probe} evicted tasks`, `${probedMb.toFixed(0)} MB`, `<= ${GOAL_MB} MB`);
    } finally {
      await connection.close().catch(() => undefined);
      await db.destroy().catch(() => undefined);
    }
  });
}

runBench(main);
