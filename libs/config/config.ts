/**
 * The configuration of the API, the worker and migrations, read from the environment once at
 * start-up and validated: a bad value stops the process, naming the variable and what it
 * accepts. Every variable read here is in the README's configuration table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_TASK_QUEUE } from '../contracts';
import { FormDefinition, FORMS, isValidTimeZone, parseFormCatalog, parseRegimeCatalog, Regime, REGIMES } from '../domain';
import { Environment, EnvReader } from './env';

/** What both Temporal clients (the API's and the worker's) connect with. */
export interface TemporalConfig {
  /** TEMPORAL_ADDRESS, host:port. */
  address: string;
  namespace: string;
  taskQueue: string;
  /**
   * false: plain gRPC; true: TLS with the system's roots; an object: TLS with a private CA
   * (TEMPORAL_TLS_CA) and/or a client certificate for mTLS (TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY).
   */
  tls: boolean | { serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

export interface ApiConfig {
  databaseUrl: string;
  temporal: TemporalConfig;
  port: number;
  /**
   * AIMS_PUBLIC_URL: the base of every link the product hands out (emails, calendar feeds),
   * http(s), without a trailing slash; `http://localhost:<PORT>` when unset.
   */
  publicUrl: string;
  /** AIMS_ADMIN_TOKEN: a token registered for the bootstrap admin, when set. */
  adminToken: string | undefined;
  /** AIMS_TIMEZONE: the IANA zone of the organisation's calendar. */
  timeZone: string;
  /** The regulatory regimes incidents may name: the built-in ones, plus AIMS_REGIMES_FILE's. */
  regimes: Record<string, Regime>;
  /** SMTP_URL and MAIL_FROM: sign-in links are sent by the API itself (their secret never enters the outbox). Unset: no email sign-in. */
  mail: { smtpUrl: string | undefined; from: string };
  /** The forms work is submitted with, by kind: the built-in ones, replaced or extended by AIMS_FORMS_FILE's. */
  forms: Record<string, FormDefinition>;
  reconcile: {
    /** AIMS_RECONCILE_ON_START: reconcile every system's Schedules when the API starts. */
    onStart: boolean;
    /** AIMS_RECONCILE_RETRY_MS: wait between start-up reconcile attempts while Temporal is unreachable. */
    retryMs: number;
    /** AIMS_SCHEDULE_JITTER_MINUTES, in ms: each cadence Schedule's run starts up to this much after its time. */
    scheduleJitterMs: number;
  };
  /** AIMS_WEB_DIR: the built web app (`vite build` output) the API serves under /app/. */
  webDir: string;
  /** AIMS_HEALTH_INTERVAL_MS: how often the API checks PostgreSQL and Temporal in the background; GET /health answers the last result. */
  healthIntervalMs: number;
  import: {
    /**
     * AIMS_IMPORT_SCHEDULE_CONCURRENCY: Schedules a bulk import (POST /systems/import) creates at
     * once. Temporal Cloud allows 10 schedule requests per second per namespace by default; a
     * refusal (RESOURCE_EXHAUSTED) is retried with backoff either way.
     */
    scheduleConcurrency: number;
  };
}

export interface WorkerConfig {
  databaseUrl: string;
  temporal: TemporalConfig;
  smtpUrl: string;
  mailFrom: string;
  /** AIMS_PUBLIC_URL: the base of the links to the work's page in every email. */
  publicUrl: string;
  /** How much work the worker takes on at once (a quarter's start opens thousands of tasks together). */
  throughput: WorkerThroughput;
  /** What bounds the worker's memory, and how it reports it. */
  memory: WorkerMemoryConfig;
}

/**
 * The worker's memory is its workflow cache: every open workflow it keeps in memory between two of
 * its tasks. Without a bound the SDK sizes the cache from the V8 heap limit (about 2,300 on a 4 GB
 * heap), so memory grew with the open work; with one, a workflow past it is evicted and replays its
 * history at its next task (a reminder, an Update), and memory stays flat however much work is open.
 */
export interface WorkerMemoryConfig {
  /** AIMS_WORKER_MAX_CACHED_WORKFLOWS: workflows kept in memory (0: none, every task replays; else 2 or more). */
  maxCachedWorkflows: number;
  /** AIMS_WORKER_STATUS_INTERVAL_MS: how often the worker logs its cache size and memory (0: never). */
  statusIntervalMs: number;
}

/** The worker's throughput options: its Temporal task slots and pollers, its database pool and SMTP connections. */
export interface WorkerThroughput {
  /** AIMS_WORKER_MAX_CONCURRENT_ACTIVITIES: activity executions at once. */
  maxConcurrentActivities: number;
  /** AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: workflow tasks executed at once. */
  maxConcurrentWorkflowTasks: number;
  /** AIMS_WORKER_WORKFLOW_POLLERS: concurrent workflow task polls (at most the workflow task slots). */
  workflowPollers: number;
  /** AIMS_WORKER_ACTIVITY_POLLERS: concurrent activity task polls (at most the activity slots). */
  activityPollers: number;
  /** AIMS_WORKER_DATABASE_POOL_SIZE: the worker's PostgreSQL connections. */
  databasePoolSize: number;
  /** AIMS_WORKER_SMTP_CONNECTIONS: pooled SMTP connections the worker sends over (reused from one email to the next); 0: a connection per email. */
  smtpConnections: number;
}

/** The worker's throughput defaults, measured with bench/burst.bench.ts (a quarter's start on one machine). */
export const DEFAULT_WORKER_THROUGHPUT: WorkerThroughput = {
  maxConcurrentActivities: 100,
  maxConcurrentWorkflowTasks: 40,
  workflowPollers: 10,
  activityPollers: 10,
  databasePoolSize: 10,
  smtpConnections: 5,
};

export interface MigrateConfig {
  databaseUrl: string;
}

/**
 * dist/web of the repository: this file runs from libs/config (sources, ts-node) or from
 * dist/libs/config (the build, as the Docker image runs it), and the build is in dist/web either way.
 */
export function defaultWebDir(): string {
  const up = path.resolve(__dirname, '..', '..');
  return path.basename(up) === 'dist' ? path.join(up, 'web') : path.join(up, 'dist', 'web');
}

export const DEFAULT_MAIL_FROM = 'AIMS Orchestrator <aims@localhost>';
export const DEFAULT_RECONCILE_RETRY_MS = 60_000;
export const DEFAULT_HEALTH_INTERVAL_MS = 5_000;
/** A quarter's start spread over 15 minutes: 10,000 high-risk systems open at about 11 a second. */
export const DEFAULT_SCHEDULE_JITTER_MINUTES = 15;
export const MAX_SCHEDULE_JITTER_MINUTES = 360;
/** Schedules a bulk import creates at once: enough to keep the dev server busy, a few requests per second each. */
export const DEFAULT_IMPORT_SCHEDULE_CONCURRENCY = 8;
export const DEFAULT_MAX_CACHED_WORKFLOWS = 250;
export const DEFAULT_WORKER_STATUS_INTERVAL_MS = 60_000;

function databaseUrl(env: EnvReader): string {
  return (
    env.url('DATABASE_URL', ['postgres', 'postgresql'], env.required('DATABASE_URL', 'postgres://user:pass@localhost:5432/aims')) ?? ''
  );
}

function temporal(env: EnvReader): TemporalConfig {
  const address = env.optional('TEMPORAL_ADDRESS') ?? 'localhost:7233';
  if (!/^[^\s:/]+:\d{1,5}$/.test(address) && !/^\[[0-9a-f:]+\]:\d{1,5}$/i.test(address)) {
    env.problems.push(`TEMPORAL_ADDRESS '${address}' must be host:port (e.g. localhost:7233 or my-ns.tmprl.cloud:7233)`);
  }
  const apiKey = env.optional('TEMPORAL_API_KEY');
  const crt = env.file('TEMPORAL_TLS_CERT');
  const key = env.file('TEMPORAL_TLS_KEY');
  const ca = env.file('TEMPORAL_TLS_CA');
  if (!!env.optional('TEMPORAL_TLS_CERT') !== !!env.optional('TEMPORAL_TLS_KEY')) {
    env.problems.push('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both (mTLS) or neither');
  }
  const wantsCertificates = !!(env.optional('TEMPORAL_TLS_CERT') || env.optional('TEMPORAL_TLS_CA'));
  const flag = env.flag('TEMPORAL_TLS');
  if (flag === false && wantsCertificates) {
    env.problems.push('TEMPORAL_TLS is false but TEMPORAL_TLS_CERT or TEMPORAL_TLS_CA is set: certificates need TLS');
  }
  // An API key (Temporal Cloud) or certificates imply TLS unless TEMPORAL_TLS says otherwise.
  const on = flag ?? (apiKey !== undefined || wantsCertificates);
  const certificates = {
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
  return {
    address,
    namespace: env.optional('TEMPORAL_NAMESPACE') ?? 'default',
    taskQueue: env.optional('TEMPORAL_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
    tls: on && Object.keys(certificates).length ? certificates : on,
    ...(apiKey ? { apiKey } : {}),
  };
}

function regimes(env: EnvReader): Record<string, Regime> {
  return catalogFile(env, 'AIMS_REGIMES_FILE', REGIMES, (json) => parseRegimeCatalog(json));
}

function forms(env: EnvReader): Record<string, FormDefinition> {
  return catalogFile(env, 'AIMS_FORMS_FILE', FORMS, (json) => parseFormCatalog(json));
}

/** A JSON catalog file named by `variable`, parsed over the built-in catalog; every problem goes to `env.problems`. */
function catalogFile<T>(
  env: EnvReader,
  variable: string,
  builtIn: Record<string, T>,
  parse: (json: unknown) => { catalog: Record<string, T> } | { problems: string[] },
): Record<string, T> {
  const file = env.optional(variable);
  if (!file) return builtIn;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    env.problems.push(`${variable} ${file} cannot be read as JSON: ${(err as Error).message}`);
    return builtIn;
  }
  const parsed = parse(json);
  if ('problems' in parsed) {
    env.problems.push(...parsed.problems.map((p) => `${variable} ${file}: ${p}`));
    return builtIn;
  }
  return parsed.catalog;
}

/** AIMS_PUBLIC_URL without its trailing slashes, so `${publicUrl}/app/...` is one slash. */
function publicUrl(env: EnvReader, port: number): string {
  const value = env.url('AIMS_PUBLIC_URL', ['http', 'https'], env.optional('AIMS_PUBLIC_URL'));
  return (value ?? `http://localhost:${port}`).replace(/\/+$/, '');
}

export function loadApiConfig(environment: Environment = process.env): ApiConfig {
  const env = new EnvReader(environment);
  const port = env.integer('PORT', 3000, 0, 65535);
  const timeZone = env.optional('AIMS_TIMEZONE') ?? 'UTC';
  if (!isValidTimeZone(timeZone)) env.problems.push(`AIMS_TIMEZONE '${timeZone}' is not a valid IANA time zone (e.g. Europe/Berlin)`);
  const adminToken = env.optional('AIMS_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) env.problems.push('AIMS_ADMIN_TOKEN must be at least 16 characters');
  const config: ApiConfig = {
    databaseUrl: databaseUrl(env),
    temporal: temporal(env),
    port,
    publicUrl: publicUrl(env, port),
    adminToken,
    timeZone,
    regimes: regimes(env),
    mail: {
      smtpUrl: env.url('SMTP_URL', ['smtp', 'smtps'], env.optional('SMTP_URL')),
      from: env.optional('MAIL_FROM') ?? DEFAULT_MAIL_FROM,
    },
    forms: forms(env),
    reconcile: {
      onStart: env.flag('AIMS_RECONCILE_ON_START') ?? true,
      retryMs: env.integer('AIMS_RECONCILE_RETRY_MS', DEFAULT_RECONCILE_RETRY_MS, 100, 86_400_000),
      // At most 6 hours: a run within a day of its opening keeps the period's due (libs/domain cyclePeriod).
      scheduleJitterMs:
        env.integer('AIMS_SCHEDULE_JITTER_MINUTES', DEFAULT_SCHEDULE_JITTER_MINUTES, 0, MAX_SCHEDULE_JITTER_MINUTES) * 60_000,
    },
    // A missing directory is no reason to refuse to start: /app then says to build the app.
    webDir: path.resolve(env.optional('AIMS_WEB_DIR') ?? defaultWebDir()),
    healthIntervalMs: env.integer('AIMS_HEALTH_INTERVAL_MS', DEFAULT_HEALTH_INTERVAL_MS, 100, 3_600_000),
    import: {
      scheduleConcurrency: env.integer('AIMS_IMPORT_SCHEDULE_CONCURRENCY', DEFAULT_IMPORT_SCHEDULE_CONCURRENCY, 1, 200),
    },
  };
  env.check();
  return config;
}

function workerThroughput(env: EnvReader): WorkerThroughput {
  const d = DEFAULT_WORKER_THROUGHPUT;
  const maxConcurrentActivities = env.integer('AIMS_WORKER_MAX_CONCURRENT_ACTIVITIES', d.maxConcurrentActivities, 1, 10_000);
  // The SDK needs two workflow task slots while it caches workflows (the sticky queue's poller and the normal one's).
  const maxConcurrentWorkflowTasks = env.integer('AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', d.maxConcurrentWorkflowTasks, 2, 10_000);
  const workflowPollers = env.integer('AIMS_WORKER_WORKFLOW_POLLERS', Math.min(d.workflowPollers, maxConcurrentWorkflowTasks), 2, 1_000);
  const activityPollers = env.integer('AIMS_WORKER_ACTIVITY_POLLERS', Math.min(d.activityPollers, maxConcurrentActivities), 1, 1_000);
  if (workflowPollers > maxConcurrentWorkflowTasks)
    env.problems.push(
      `AIMS_WORKER_WORKFLOW_POLLERS ${workflowPollers} must be at most AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${maxConcurrentWorkflowTasks})`,
    );
  if (activityPollers > maxConcurrentActivities)
    env.problems.push(
      `AIMS_WORKER_ACTIVITY_POLLERS ${activityPollers} must be at most AIMS_WORKER_MAX_CONCURRENT_ACTIVITIES (${maxConcurrentActivities})`,
    );
  return {
    maxConcurrentActivities,
    maxConcurrentWorkflowTasks,
    workflowPollers,
    activityPollers,
    databasePoolSize: env.integer('AIMS_WORKER_DATABASE_POOL_SIZE', d.databasePoolSize, 1, 1_000),
    smtpConnections: env.integer('AIMS_WORKER_SMTP_CONNECTIONS', d.smtpConnections, 0, 1_000),
  };
}

export function loadWorkerConfig(environment: Environment = process.env): WorkerConfig {
  const env = new EnvReader(environment);
  const config: WorkerConfig = {
    databaseUrl: databaseUrl(env),
    temporal: temporal(env),
    smtpUrl: env.url('SMTP_URL', ['smtp', 'smtps'], env.required('SMTP_URL', 'smtp://localhost:1025')) ?? '',
    mailFrom: env.optional('MAIL_FROM') ?? DEFAULT_MAIL_FROM,
    // The worker links to the app the API serves: the same PORT default as the API's.
    publicUrl: publicUrl(env, env.integer('PORT', 3000, 0, 65535)),
    throughput: workerThroughput(env),
    memory: workerMemory(env),
  };
  // The SDK silently lowers the workflow task slots to the cache bound: a small cache lowers the
  // default slots (and pollers) with it; slots set above it are refused with the reason.
  const { maxCachedWorkflows } = config.memory;
  const { throughput } = config;
  if (maxCachedWorkflows > 0 && env.optional('AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS') === undefined) {
    throughput.maxConcurrentWorkflowTasks = Math.min(throughput.maxConcurrentWorkflowTasks, maxCachedWorkflows);
    throughput.workflowPollers = Math.min(throughput.workflowPollers, throughput.maxConcurrentWorkflowTasks);
  }
  if (maxCachedWorkflows > 0 && throughput.maxConcurrentWorkflowTasks > maxCachedWorkflows)
    env.problems.push(
      `AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ${config.throughput.maxConcurrentWorkflowTasks} must be at most AIMS_WORKER_MAX_CACHED_WORKFLOWS (${maxCachedWorkflows})`,
    );
  env.check();
  return config;
}

function workerMemory(env: EnvReader): WorkerMemoryConfig {
  const maxCachedWorkflows = env.integer('AIMS_WORKER_MAX_CACHED_WORKFLOWS', DEFAULT_MAX_CACHED_WORKFLOWS, 0, 1_000_000);
  // The SDK takes 0 (no cache) or 2 and more: its workflow task slots (at least 2) may not outnumber the cache.
  if (maxCachedWorkflows === 1) env.problems.push(`AIMS_WORKER_MAX_CACHED_WORKFLOWS '1' must be 0 (no cache) or 2 or more`);
  const statusIntervalMs = env.integer('AIMS_WORKER_STATUS_INTERVAL_MS', DEFAULT_WORKER_STATUS_INTERVAL_MS, 0, 86_400_000);
  if (statusIntervalMs > 0 && statusIntervalMs < 100)
    env.problems.push(`AIMS_WORKER_STATUS_INTERVAL_MS '${statusIntervalMs}' must be 0 (never) or from 100 to 86400000`);
  return { maxCachedWorkflows, statusIntervalMs };
}

export function loadMigrateConfig(environment: Environment = process.env): MigrateConfig {
  const env = new EnvReader(environment);
  const config: MigrateConfig = { databaseUrl: databaseUrl(env) };
  env.check();
  return config;
}

/** The options `Connection.lazy` (API) and `NativeConnection.connect` (worker) both take. */
export function temporalConnectionOptions(config: TemporalConfig): Pick<TemporalConfig, 'address' | 'tls' | 'apiKey'> {
  return { address: config.address, tls: config.tls, ...(config.apiKey ? { apiKey: config.apiKey } : {}) };
}
