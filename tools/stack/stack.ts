/**
 * The embedded default stack: PostgreSQL, the Temporal dev server and a local SMTP
 * inbox, then migrations, then (optionally) the worker and the API. Used by
 * `npm start` and by the e2e tests, so the tests exercise what a user runs.
 *
 * Each outside part is skipped when its variable is given (in opts.env or the
 * process environment): DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL.
 */
import * as fs from 'fs';
import * as path from 'path';
import { delay, ManagedProcess, spawnManaged } from './process';
import { assertPortFree, LOCALHOST } from './ports';
import { startPostgres } from './postgres';
import { startSmtp } from './smtp';
import { startTemporal } from './temporal';
import { ensureTemporalCli } from './tools';

export interface StackPorts {
  postgres: number;
  temporal: number;
  temporalUi: number;
  smtp: number;
  inboxWeb: number;
  api: number;
}

/** The `npm start` defaults. */
export const DEFAULT_PORTS: StackPorts = {
  postgres: 54329,
  temporal: 7233,
  temporalUi: 8233,
  smtp: 1025,
  inboxWeb: 1080,
  api: 3000,
};

export interface StackOptions {
  /** Where PostgreSQL data, the Temporal SQLite file, mail and logs live (persists). */
  dataDir: string;
  ports?: Partial<StackPorts>;
  /** No Temporal Web UI. */
  headless?: boolean;
  /** Also start the worker and the API (default false). */
  apps?: boolean;
  /**
   * How migrate, the worker and the API run: 'sources' (default, what `npm start` does)
   * through ts-node from apps/<name>/main.ts; 'dist' with plain node from the compiled
   * build, dist/apps/<name>/main.js, as the Docker image runs them (`npm run build` first).
   */
  appsFrom?: AppsFrom;
  /** Extra environment for the migrate/worker/API processes; also read for DATABASE_URL etc. */
  env?: Record<string, string>;
  /** Read DATABASE_URL / TEMPORAL_ADDRESS / SMTP_URL / PORT from process.env too (default true). */
  useProcessEnv?: boolean;
  /** Run apps/migrate/main.ts after the database is up (default true). */
  migrate?: boolean;
  /** PostgreSQL without fsync, for throwaway test data (default false). */
  fastDb?: boolean;
  /** Echo child output, prefixed `[api]`, `[worker]`, ... (default true). */
  echo?: boolean;
  /** How long to wait for GET /health (default 90 s). */
  healthTimeoutMs?: number;
  /** Extra `temporal server start-dev` arguments (e.g. search attributes). */
  temporalArgs?: string[];
  log?: (message: string) => void;
}

export interface Stack {
  /** `http://127.0.0.1:<PORT>` (only listening when apps were started) */
  apiUrl: string;
  databaseUrl: string;
  /** host:port */
  temporalAddress: string;
  temporalNamespace: string;
  /** undefined when headless or when TEMPORAL_ADDRESS points elsewhere */
  temporalUiUrl?: string;
  smtpUrl: string;
  /** the local inbox (web view + REST API); undefined when SMTP_URL points elsewhere */
  inboxUrl?: string;
  dataDir: string;
  ports: StackPorts;
  /** The worker's and the API's process ids, when apps were started (benchmarks read their memory). */
  appPids?: { worker: number; api: number };
  /** Stops the apps, then the inbox, Temporal and PostgreSQL (idempotent). */
  stop(): Promise<void>;
}

/** Repository root (this file lives in tools/stack/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

/** Where the app processes run from: TypeScript sources (ts-node) or the compiled dist/. */
export type AppsFrom = 'sources' | 'dist';

interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? ((m: string) => process.stdout.write(`[stack] ${m}\n`));
  const echo = opts.echo ?? true;
  const dataDir = path.resolve(opts.dataDir);
  const logsDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });
  const fromEnv = (key: string): string | undefined =>
    opts.env?.[key] || ((opts.useProcessEnv ?? true) ? process.env[key] || undefined : undefined);
  const envPort = Number(fromEnv('PORT'));
  const ports: StackPorts = {
    ...DEFAULT_PORTS,
    ...(Number.isInteger(envPort) && envPort > 0 ? { api: envPort } : {}),
    ...stripUndefined(opts.ports ?? {}),
  };
  const namespace = fromEnv('TEMPORAL_NAMESPACE') ?? 'default';

  // Everything started so far, in start order; stopped in reverse.
  const started: Stoppable[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    if (!stopping) {
      stopping = (async () => {
        const apps = started.filter((s) => s.name === 'api' || s.name === 'worker');
        const order = ['migrate', 'smtp', 'temporal', 'postgres'];
        const infra = started.filter((s) => !apps.includes(s)).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
        await Promise.all(apps.map((s) => s.stop().catch((e) => log(`stopping ${s.name}: ${String(e)}`))));
        // The inbox and Temporal first, PostgreSQL last.
        for (const s of infra) await s.stop().catch((e) => log(`stopping ${s.name}: ${String(e)}`));
      })();
    }
    return stopping;
  };

  try {
    // --- outside parts, in parallel ---------------------------------------
    const externalDb = fromEnv('DATABASE_URL');
    const externalTemporal = fromEnv('TEMPORAL_ADDRESS');
    const externalSmtp = fromEnv('SMTP_URL');

    const dbPromise = externalDb
      ? Promise.resolve({ url: externalDb })
      : startPostgres({
          dir: path.join(dataDir, 'postgres'),
          port: ports.postgres,
          fast: opts.fastDb,
          logFile: path.join(logsDir, 'postgres.log'),
          log: (m) => log(`postgres: ${m}`),
        }).then((pg) => {
          started.push({ name: 'postgres', stop: pg.stop });
          return { url: pg.url };
        });

    const temporalPromise = externalTemporal
      ? Promise.resolve({ address: externalTemporal, uiUrl: undefined as string | undefined })
      : ensureTemporalCli((m) => log(`tools: ${m}`))
          .then((cliPath) =>
            startTemporal({
              cliPath,
              dbFile: path.join(dataDir, 'temporal.db'),
              port: ports.temporal,
              uiPort: ports.temporalUi,
              headless: opts.headless,
              namespace,
              extraArgs: opts.temporalArgs,
              logFile: path.join(logsDir, 'temporal.log'),
              echo,
              log: (m) => log(`temporal: ${m}`),
            }),
          )
          .then((t) => {
            started.push({ name: 'temporal', stop: t.stop });
            return { address: t.address, uiUrl: t.uiUrl };
          });

    const smtpPromise = externalSmtp
      ? Promise.resolve({ smtpUrl: externalSmtp, inboxUrl: undefined as string | undefined })
      : startSmtp({
          smtpPort: ports.smtp,
          webPort: ports.inboxWeb,
          mailDir: path.join(dataDir, 'mail'),
          logFile: path.join(logsDir, 'smtp.log'),
        }).then((s) => {
          started.push({ name: 'smtp', stop: s.stop });
          return { smtpUrl: s.smtpUrl, inboxUrl: s.inboxUrl as string | undefined };
        });

    // Wait for all three (even when one fails) so a failure stops everything started.
    const results = await Promise.allSettled([dbPromise, temporalPromise, smtpPromise]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0)
      throw failures.length === 1
        ? failures[0].reason
        : new AggregateError(
            failures.map((f) => f.reason),
            failures.map((f) => String(f.reason)).join('\n'),
          );
    const [db, temporal, smtp] = await Promise.all([dbPromise, temporalPromise, smtpPromise]);

    const apiUrl = `http://${LOCALHOST}:${ports.api}`;
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: namespace,
      SMTP_URL: smtp.smtpUrl,
      PORT: String(ports.api),
      // Links in emails lead to this API's app (the launcher's own address).
      AIMS_PUBLIC_URL: fromEnv('AIMS_PUBLIC_URL') ?? apiUrl,
      AIMS_DATA_DIR: dataDir,
      ...opts.env,
    };

    const appsFrom = opts.appsFrom ?? 'sources';
    // From dist/ a missing entry point is a broken (or absent) build, never something to skip.
    if (appsFrom === 'dist') {
      for (const name of [...((opts.migrate ?? true) ? ['migrate'] : []), ...(opts.apps ? ['worker', 'api'] : [])]) {
        if (!fs.existsSync(appEntry(name, 'dist')))
          throw new Error(`${path.relative(REPO_ROOT, appEntry(name, 'dist'))} not found: run \`npm run build\` first`);
      }
    }

    // --- migrations -----------------------------------------------------------
    if (opts.migrate ?? true) {
      const migrateEntry = appEntry('migrate', appsFrom);
      if (!fs.existsSync(migrateEntry)) {
        log(`WARNING: ${path.relative(REPO_ROOT, migrateEntry)} not found; skipping migrations`);
      } else {
        const t0 = Date.now();
        const migrate = spawnManaged({
          name: 'migrate',
          command: process.execPath,
          args: appArgs('migrate', appsFrom),
          cwd: REPO_ROOT,
          env: appEnv,
          logFile: path.join(logsDir, 'migrate.log'),
          echo,
        });
        const exit = await Promise.race([migrate.exited, delay(300_000).then(() => undefined)]);
        if (!exit) {
          await migrate.stop(2_000);
          throw new Error(`migrations did not finish within 300 s: ${migrate.describeExit()}`);
        }
        if (exit.code !== 0) throw new Error(`migrations failed: ${migrate.describeExit()}`);
        log(`migrations applied (${Date.now() - t0} ms)`);
      }
    }

    // --- apps -------------------------------------------------------------------
    let appPids: Stack['appPids'];
    if (opts.apps) {
      await assertPortFree(ports.api, 'API', 'set PORT to another port');
      const spawnApp = (name: 'worker' | 'api'): ManagedProcess => {
        const proc = spawnManaged({
          name,
          command: process.execPath,
          args: appArgs(name, appsFrom),
          cwd: REPO_ROOT,
          env: appEnv,
          logFile: path.join(logsDir, `${name}.log`),
          echo,
          graceMs: 15_000,
        });
        started.push({ name, stop: async () => void (await proc.stop()) });
        return proc;
      };
      const spawnedAt = Date.now();
      const worker = spawnApp('worker');
      const api = spawnApp('api');
      appPids = { worker: worker.pid, api: api.pid };
      const timeoutMs = opts.healthTimeoutMs ?? 90_000;
      const taskQueue = fromEnv('TEMPORAL_TASK_QUEUE') ?? 'aims';
      await Promise.all([
        waitForHealth(`${apiUrl}/health`, [api, worker], timeoutMs),
        waitForWorker(temporal.address, namespace, taskQueue, spawnedAt, [worker, api], timeoutMs),
      ]);
      // After start-up, an app that dies on its own is worth a loud line.
      for (const p of [worker, api]) {
        void p.exited.then((info) => {
          if (!stopping)
            log(
              `WARNING: ${p.name} exited unexpectedly (code ${info.code}, signal ${info.signal}); see ${path.join(logsDir, p.name + '.log')}`,
            );
        });
      }
    }

    return {
      apiUrl,
      databaseUrl: db.url,
      temporalAddress: temporal.address,
      temporalNamespace: namespace,
      temporalUiUrl: temporal.uiUrl,
      smtpUrl: smtp.smtpUrl,
      inboxUrl: smtp.inboxUrl,
      dataDir,
      ports,
      appPids,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Polls `url` until it answers 200; fails early (with their last output) if a watched process exits. */
export async function waitForHealth(url: string, watch: ManagedProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const dead = watch.find((p) => !p.running);
    if (dead) throw new Error(`${dead.name} stopped before ${url} answered: ${dead.describeExit()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String((err as Error).cause ?? err);
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})\n${watch.map((p) => p.describeExit()).join('\n')}`);
    }
    await delay(300);
  }
}

/** `apps/<name>/main.ts`, or `dist/apps/<name>/main.js` when run from the build. */
export function appEntry(name: string, from: AppsFrom = 'sources'): string {
  return from === 'dist' ? path.join(REPO_ROOT, 'dist', 'apps', name, 'main.js') : path.join(REPO_ROOT, 'apps', name, 'main.ts');
}

/** The node arguments that run app `name`: through ts-node from sources, plain node from dist/. */
function appArgs(name: string, from: AppsFrom): string[] {
  return from === 'dist' ? [appEntry(name, 'dist')] : [...TS_NODE, appEntry(name)];
}

/**
 * Resolves once a worker polls `taskQueue` (workflow and activity pollers seen since
 * `since`), so callers can start workflows right away; fails early if a watched process exits.
 */
export async function waitForWorker(
  address: string,
  namespace: string,
  taskQueue: string,
  since: number,
  watch: ManagedProcess[],
  timeoutMs: number,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Connection } = require('@temporalio/client') as typeof import('@temporalio/client');
  const connection = await Connection.connect({ address });
  const deadline = Date.now() + timeoutMs;
  const fresh = (pollers: { lastAccessTime?: { seconds?: unknown; nanos?: number | null } | null }[] | null | undefined) =>
    (pollers ?? []).some((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 >= since - 2_000);
  try {
    for (;;) {
      const dead = watch.find((p) => !p.running);
      if (dead) throw new Error(`${dead.name} exited before a worker polled task queue "${taskQueue}": ${dead.describeExit()}`);
      const [wf, act] = await Promise.all(
        [1, 2].map((taskQueueType) =>
          connection.workflowService
            .describeTaskQueue({ namespace, taskQueue: { name: taskQueue, kind: 1 }, taskQueueType })
            .catch(() => undefined),
        ),
      );
      if (wf && act && fresh(wf.pollers) && fresh(act.pollers)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `no worker polled task queue "${taskQueue}" within ${timeoutMs} ms\n${watch.map((p) => p.describeExit()).join('\n')}`,
        );
      }
      await delay(300);
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
