/** libs/config: one reading of the environment for the API, the worker and migrations. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ConfigurationError,
  DEFAULT_WORKER_THROUGHPUT,
  loadApiConfig,
  loadMigrateConfig,
  loadWorkerConfig,
  temporalConnectionOptions,
} from '../../libs/config';

const ROOT = path.resolve(__dirname, '..', '..');
const base = { DATABASE_URL: 'postgres://aims:aims@localhost:5432/aims', SMTP_URL: 'smtp://localhost:1025' };

describe('the Temporal settings are the same for the API and the worker', () => {
  const both = (env: Record<string, string>) => [
    loadApiConfig({ ...base, ...env }).temporal,
    loadWorkerConfig({ ...base, ...env }).temporal,
  ];

  it.each(['yes', 'true', '1', 'on', 'YES'])('TEMPORAL_TLS=%s turns TLS on for both', (value) => {
    for (const t of both({ TEMPORAL_TLS: value })) expect(t.tls).toBe(true);
  });

  it('defaults: the local dev server, plain gRPC, namespace default, task queue aims', () => {
    for (const t of both({})) {
      expect(temporalConnectionOptions(t)).toEqual({ address: 'localhost:7233', tls: false });
      expect([t.namespace, t.taskQueue]).toEqual(['default', 'aims']);
    }
  });

  it('an API key implies TLS unless TEMPORAL_TLS=false says otherwise', () => {
    for (const t of both({ TEMPORAL_API_KEY: 'key-1' })) expect(temporalConnectionOptions(t)).toMatchObject({ tls: true, apiKey: 'key-1' });
    for (const t of both({ TEMPORAL_API_KEY: 'key-1', TEMPORAL_TLS: 'false' })) expect(t.tls).toBe(false);
  });

  it('a client certificate and key give mTLS to both clients', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-config-'));
    fs.writeFileSync(path.join(dir, 'client.pem'), 'CERT');
    fs.writeFileSync(path.join(dir, 'client.key'), 'KEY');
    try {
      for (const t of both({ TEMPORAL_TLS_CERT: path.join(dir, 'client.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'client.key') })) {
        expect(t.tls).toEqual({ clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a bad value stops start-up, naming the variable and what it accepts', () => {
  it('every problem at once', () => {
    const env = {
      DATABASE_URL: 'http://localhost/aims',
      PORT: 'abc',
      AIMS_TIMEZONE: 'Mars/Olympus',
      TEMPORAL_TLS: 'maybe',
      TEMPORAL_ADDRESS: 'localhost',
      AIMS_RECONCILE_RETRY_MS: '5',
      AIMS_RECONCILE_ON_START: 'sometimes',
      AIMS_ADMIN_TOKEN: 'short',
    };
    let message = '';
    try {
      loadApiConfig(env);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('DATABASE_URL must be a URL starting with postgres:// or postgresql://');
    expect(message).toContain("PORT 'abc' must be an integer from 0 to 65535");
    expect(message).toContain("AIMS_TIMEZONE 'Mars/Olympus' is not a valid IANA time zone");
    expect(message).toContain("TEMPORAL_TLS 'maybe' must be one of true, 1, yes, on, false, 0, no, off");
    expect(message).toContain("TEMPORAL_ADDRESS 'localhost' must be host:port");
    expect(message).toContain("AIMS_RECONCILE_RETRY_MS '5' must be an integer from 100 to 86400000");
    expect(message).toContain("AIMS_RECONCILE_ON_START 'sometimes' must be one of");
    expect(message).toContain('AIMS_ADMIN_TOKEN must be at least 16 characters');
  });

  it('required variables: DATABASE_URL everywhere, SMTP_URL for the worker', () => {
    expect(() => loadMigrateConfig({})).toThrow(/DATABASE_URL is required/);
    expect(() => loadWorkerConfig({ DATABASE_URL: base.DATABASE_URL })).toThrow(/SMTP_URL is required/);
    expect(() => loadWorkerConfig({ ...base, SMTP_URL: 'mail.example.com' })).toThrow(
      /SMTP_URL must be a URL starting with smtp:\/\/ or smtps:\/\//,
    );
    expect(loadApiConfig({ DATABASE_URL: base.DATABASE_URL }).port).toBe(3000);
  });

  it('half an mTLS pair, or certificates with TLS off, are refused', () => {
    expect(() => loadWorkerConfig({ ...base, TEMPORAL_TLS_CERT: __filename })).toThrow(
      /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/,
    );
    expect(() => loadWorkerConfig({ ...base, TEMPORAL_TLS_CA: __filename, TEMPORAL_TLS: 'off' })).toThrow(/certificates need TLS/);
    expect(() => loadWorkerConfig({ ...base, TEMPORAL_TLS_CA: '/nonexistent/ca.pem' })).toThrow(
      /TEMPORAL_TLS_CA \/nonexistent\/ca.pem cannot be read/,
    );
  });

  it("the worker's memory bounds: a workflow cache of 250 and a status line a minute by default; 0 turns either off", () => {
    expect(loadWorkerConfig(base).memory).toEqual({ maxCachedWorkflows: 250, statusIntervalMs: 60_000 });
    expect(loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CACHED_WORKFLOWS: '2000', AIMS_WORKER_STATUS_INTERVAL_MS: '5000' }).memory).toEqual({
      maxCachedWorkflows: 2000,
      statusIntervalMs: 5000,
    });
    expect(loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CACHED_WORKFLOWS: '0', AIMS_WORKER_STATUS_INTERVAL_MS: '0' }).memory).toEqual({
      maxCachedWorkflows: 0,
      statusIntervalMs: 0,
    });
  });

  it("the worker's memory bounds refuse what the SDK would silently change, and every bad value at once", () => {
    expect(() => loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(
      /AIMS_WORKER_MAX_CACHED_WORKFLOWS '1' must be 0 \(no cache\) or 2 or more/,
    );
    expect(() =>
      loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CACHED_WORKFLOWS: '20', AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40' }),
    ).toThrow(/AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS 40 must be at most AIMS_WORKER_MAX_CACHED_WORKFLOWS \(20\)/);
    // A small cache lowers the default slots and pollers with it.
    expect(loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CACHED_WORKFLOWS: '2' }).throughput).toMatchObject({
      maxConcurrentWorkflowTasks: 2,
      workflowPollers: 2,
    });
    expect(loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CACHED_WORKFLOWS: '0' }).memory.maxCachedWorkflows).toBe(0);
    expect(() => loadWorkerConfig({ ...base, AIMS_WORKER_STATUS_INTERVAL_MS: '10' })).toThrow(
      /AIMS_WORKER_STATUS_INTERVAL_MS '10' must be 0 \(never\) or from 100 to 86400000/,
    );
    let problems: string[] = [];
    try {
      loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CACHED_WORKFLOWS: 'many', AIMS_WORKER_STATUS_INTERVAL_MS: '-5' });
    } catch (err) {
      problems = (err as ConfigurationError).problems;
    }
    expect(problems).toEqual([
      "AIMS_WORKER_MAX_CACHED_WORKFLOWS 'many' must be an integer from 0 to 1000000",
      "AIMS_WORKER_STATUS_INTERVAL_MS '-5' must be an integer from 0 to 86400000",
    ]);
  });

  it('the start-up reconcile settings', () => {
    expect(loadApiConfig(base).reconcile).toEqual({ onStart: true, retryMs: 60_000, scheduleJitterMs: 15 * 60_000 });
    expect(
      loadApiConfig({ ...base, AIMS_RECONCILE_ON_START: 'false', AIMS_RECONCILE_RETRY_MS: '250', AIMS_SCHEDULE_JITTER_MINUTES: '0' })
        .reconcile,
    ).toEqual({ onStart: false, retryMs: 250, scheduleJitterMs: 0 });
    expect(loadApiConfig({ ...base, AIMS_SCHEDULE_JITTER_MINUTES: '360' }).reconcile.scheduleJitterMs).toBe(6 * 3_600_000);
    expect(() => loadApiConfig({ ...base, AIMS_SCHEDULE_JITTER_MINUTES: '361' })).toThrow(
      /AIMS_SCHEDULE_JITTER_MINUTES '361' must be an integer from 0 to 360/,
    );
  });

  it("the worker's throughput: the SDK's slots and pollers, 10 database and 5 pooled SMTP connections by default", () => {
    expect(loadWorkerConfig(base).throughput).toEqual(DEFAULT_WORKER_THROUGHPUT);
    const tuned = loadWorkerConfig({
      ...base,
      AIMS_WORKER_MAX_CONCURRENT_ACTIVITIES: '50',
      AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
      AIMS_WORKER_WORKFLOW_POLLERS: '4',
      AIMS_WORKER_ACTIVITY_POLLERS: '20',
      AIMS_WORKER_DATABASE_POOL_SIZE: '30',
      AIMS_WORKER_SMTP_CONNECTIONS: '0',
    }).throughput;
    expect(tuned).toEqual({
      maxConcurrentActivities: 50,
      maxConcurrentWorkflowTasks: 8,
      workflowPollers: 4,
      activityPollers: 20,
      databasePoolSize: 30,
      smtpConnections: 0,
    });
    // Fewer slots than the default pollers: the pollers follow the slots down.
    expect(loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '4' }).throughput.workflowPollers).toBe(4);
    expect(() => loadWorkerConfig({ ...base, AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '4', AIMS_WORKER_WORKFLOW_POLLERS: '6' })).toThrow(
      /AIMS_WORKER_WORKFLOW_POLLERS 6 must be at most AIMS_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS \(4\)/,
    );
    expect(() => loadWorkerConfig({ ...base, AIMS_WORKER_DATABASE_POOL_SIZE: '0' })).toThrow(/AIMS_WORKER_DATABASE_POOL_SIZE '0'/);
  });

  it('the public URL: localhost on the API port by default, http(s) only, without a trailing slash', () => {
    expect(loadApiConfig(base).publicUrl).toBe('http://localhost:3000');
    expect(loadApiConfig({ ...base, PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadApiConfig({ ...base, AIMS_PUBLIC_URL: 'https://aims.example.com/' }).publicUrl).toBe('https://aims.example.com');
    expect(loadApiConfig({ ...base, AIMS_PUBLIC_URL: 'https://example.com/aims//' }).publicUrl).toBe('https://example.com/aims');
    expect(() => loadApiConfig({ ...base, AIMS_PUBLIC_URL: 'ftp://example.com' })).toThrow(
      /AIMS_PUBLIC_URL must be a URL starting with http:\/\/ or https:\/\//,
    );
    expect(() => loadApiConfig({ ...base, AIMS_PUBLIC_URL: 'aims.example.com' })).toThrow(/AIMS_PUBLIC_URL must be a URL/);
  });
});

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(rel);
    return /\.(ts|js)$/.test(e.name) ? [rel] : [];
  });
}

describe('the environment is read in one place', () => {
  it('outside the dev launcher (tools/) and the tests, only libs/config reads process.env', () => {
    const readers = ['apps', 'libs', 'activities', 'workflows', 'bench']
      .flatMap(sources)
      .filter((f) => !f.startsWith(path.join('libs', 'config')) && fs.readFileSync(path.join(ROOT, f), 'utf8').includes('process.env'));
    expect(readers).toEqual([]);
  });

  it("every variable the product or its tools read is in the README's configuration table", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    const read = new Set<string>();
    for (const f of [...sources('libs/config'), ...sources('tools'), path.join('test', 'support', 'test-env.ts')]) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/(?:optional|required|integer|flag|file)\('([A-Z][A-Z0-9_]+)'/g)) read.add(m[1]);
      for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]);
      for (const m of text.matchAll(/fromEnv\('([A-Z][A-Z0-9_]+)'\)/g)) read.add(m[1]);
    }
    // Not ours to document: the shell's own variables.
    for (const v of ['PATH', 'HOME', 'JAVA_HOME', 'CI']) read.delete(v);
    expect([...read].filter((v) => !documented.has(v)).sort()).toEqual([]);
    expect(read.size).toBeGreaterThan(15);
  });
});
