/**
 * Outside tools the embedded stack and the tests need, built or fetched once
 * into a cache directory so a fresh machine works without Docker:
 *  - the Temporal CLI (dev server), built with `go install`;
 *  - the Temporal time-skipping test server (Java), fetched with Maven, plus a
 *    wrapper script the TypeScript SDK can start as an "existing-path" binary.
 * Both return null when the needed toolchain is missing; callers then let the
 * Temporal SDK download its own binaries (needs open network).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';
/** JVM flags that keep the test server's start-up well inside the SDK's 5 s window. */
export const TEST_SERVER_JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

export type Logger = (message: string) => void;
const defaultLog: Logger = (m) => process.stderr.write(`[tools] ${m}\n`);

/** `$AIMS_CACHE_DIR` or `~/.cache/aims-orchestrator`. */
export function cacheDir(): string {
  return process.env.AIMS_CACHE_DIR || path.join(os.homedir(), '.cache', 'aims-orchestrator');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of `cmd` on PATH (plus `extra` candidates), or null. */
export function which(cmd: string, extra: string[] = []): string | null {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, cmd);
    if (isExecutable(candidate)) return candidate;
  }
  for (const candidate of extra) if (isExecutable(candidate)) return candidate;
  return null;
}

/**
 * Run `fn` while holding an exclusive lock (a directory, created atomically).
 * A lock whose owner pid is dead is taken over.
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, log: Logger = defaultLog, timeoutMs = 40 * 60_000): Promise<T> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const ownerFile = path.join(lockPath, 'owner');
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockPath);
      fs.writeFileSync(ownerFile, `${process.pid}\n`);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(ownerFile, 'utf8').trim());
      } catch {
        /* owner not written yet */
      }
      let stale = false;
      if (Number.isFinite(owner) && owner > 0) {
        try {
          process.kill(owner, 0);
        } catch (e) {
          stale = (e as NodeJS.ErrnoException).code === 'ESRCH';
        }
      } else {
        // No owner file: stale if the directory is old (owner died between mkdir and write).
        try {
          stale = Date.now() - fs.statSync(lockPath).mtimeMs > 30_000;
        } catch {
          continue;
        }
      }
      if (stale) {
        fs.rmSync(lockPath, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log(`waiting for another process (pid ${owner}) holding ${lockPath} ...`);
        announced = true;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for lock ${lockPath}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { recursive: true, force: true });
  }
}

/** Run a command, streaming its output through `log`; rejects on a non-zero exit. */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; log: Logger; heartbeat?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk
        .toString('utf8')
        // eslint-disable-next-line no-control-regex -- strips ANSI colours
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split(/\r?\n/)) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        // `go: downloading x` lines are many; show them compactly.
        opts.log(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const t0 = Date.now();
    const beat = opts.heartbeat
      ? setInterval(() => opts.log(`${opts.heartbeat} (${Math.round((Date.now() - t0) / 1000)} s so far)`), 30_000)
      : undefined;
    child.on('error', (err) => {
      if (beat) clearInterval(beat);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      if (beat) clearInterval(beat);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (code ${code}, signal ${signal}):\n${tail.join('\n')}`));
    });
  });
}

export function findGo(): string | null {
  return which('go', ['/usr/local/go/bin/go', path.join(os.homedir(), 'go', 'bin', 'go'), '/usr/lib/go/bin/go']);
}

/**
 * Path of a `temporal` CLI binary: `$TEMPORAL_CLI`, else `<cache>/bin/temporal`,
 * else built with `go install` into the cache (a few minutes the first time).
 * Returns null when there is no Go toolchain (callers fall back to the SDK's download).
 */
export async function ensureTemporalCli(log: Logger = defaultLog): Promise<string | null> {
  if (process.env.TEMPORAL_CLI) {
    if (!isExecutable(process.env.TEMPORAL_CLI)) throw new Error(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} is not an executable file`);
    return process.env.TEMPORAL_CLI;
  }
  const target = cachedBinary('temporal');
  if (isExecutable(target)) return target;
  const go = findGo();
  if (!go) {
    log('no Go toolchain found (go on PATH or /usr/local/go/bin/go); the Temporal SDK will download its own CLI');
    return null;
  }
  return goInstall(go, { binary: 'temporal', spec: `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`, what: 'the Temporal CLI' }, log);
}

/** Where a tool built into the cache lives: `<cache>/bin/<binary>`. */
const cachedBinary = (binary: string): string => path.join(cacheDir(), 'bin', binary);

/**
 * Builds a Go command into `<cache>/bin/<binary>` with `go install`, once: under a lock, into a
 * temporary directory first, so a build cut short never leaves a half-written binary behind.
 */
async function goInstall(go: string, tool: { binary: string; spec: string; what: string }, log: Logger): Promise<string> {
  const target = cachedBinary(tool.binary);
  const binDir = path.dirname(target);
  return withLock(
    path.join(cacheDir(), 'locks', tool.binary),
    async () => {
      if (isExecutable(target)) return target; // built by whoever held the lock
      const tmpBin = path.join(cacheDir(), `bin.tmp-${process.pid}`);
      fs.rmSync(tmpBin, { recursive: true, force: true });
      fs.mkdirSync(tmpBin, { recursive: true });
      fs.mkdirSync(binDir, { recursive: true });
      log(`building ${tool.what}: go install ${tool.spec} (first time only) ...`);
      const t0 = Date.now();
      let downloads = 0;
      await run(go, ['install', tool.spec], {
        env: { ...process.env, GOBIN: tmpBin },
        log: (line) => {
          if (line.startsWith('go: downloading')) {
            downloads++;
            if (downloads % 25 === 1) log(`go: downloading modules (${downloads} so far) ...`);
          } else {
            log(line);
          }
        },
        heartbeat: `still building ${tool.what}`,
      });
      fs.renameSync(path.join(tmpBin, tool.binary), target);
      fs.rmSync(tmpBin, { recursive: true, force: true });
      log(`${tool.what} ready at ${target} (built in ${Math.round((Date.now() - t0) / 1000)} s)`);
      return target;
    },
    log,
  );
}

export const VEGETA_MODULE = 'github.com/tsenart/vegeta/v12';
export const VEGETA_VERSION = 'v12.13.0';

/**
 * Path of the `vegeta` load generator (the status bench's): `<cache>/bin/vegeta`, else built
 * with `go install` (seconds). Vegeta sends at a constant rate whatever the answers take
 * (open loop), which a p99 at a given rate needs. Throws without a Go toolchain.
 */
export async function ensureVegeta(log: Logger = defaultLog): Promise<string> {
  const target = cachedBinary('vegeta');
  if (isExecutable(target)) return target;
  const go = findGo();
  if (!go) throw new Error('the status bench needs Go (go on PATH or /usr/local/go/bin/go) to build its load generator, vegeta');
  return goInstall(go, { binary: 'vegeta', spec: `${VEGETA_MODULE}@${VEGETA_VERSION}`, what: 'vegeta' }, log);
}

const TEST_SERVER_POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.aims-orchestrator</groupId>
  <artifactId>temporal-test-server-deps</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;

function wrapperScript(dir: string, java: string): string {
  const jars = path.join(dir, 'jars');
  const jsa = path.join(dir, 'test-server.jsa');
  return [
    '#!/bin/sh',
    '# Temporal time-skipping test server (Java), generated by tools/stack/tools.ts.',
    '# Uses a class-data-sharing archive, when present, to start in well under a second.',
    `JSA='${jsa}'`,
    'CDS=""',
    'if [ -f "$JSA" ]; then CDS="-XX:SharedArchiveFile=$JSA"; fi',
    `exec '${java}' ${TEST_SERVER_JVM_FLAGS.join(' ')} $CDS -cp '${jars}/*' io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
}

/**
 * Start the test server once with -XX:ArchiveClassesAtExit so later starts map the
 * loaded classes from a CDS archive (about 2x faster start). Best effort.
 */
async function buildCdsArchive(dir: string, java: string, log: Logger): Promise<void> {
  const jsa = path.join(dir, 'test-server.jsa');
  if (fs.existsSync(jsa)) return;
  const tmp = `${jsa}.tmp-${process.pid}`;
  const port = await new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
    srv.on('error', reject);
  });
  const child = spawn(
    java,
    [
      ...TEST_SERVER_JVM_FLAGS,
      `-XX:ArchiveClassesAtExit=${tmp}`,
      '-Xlog:cds=off',
      '-Xlog:cds+dynamic=off',
      '-cp',
      `${path.join(dir, 'jars')}/*`,
      'io.temporal.testserver.TestServer',
      String(port),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  let up = false;
  while (!up && Date.now() < deadline && child.exitCode === null) {
    up = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port }, () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
  if (up && fs.existsSync(tmp) && fs.statSync(tmp).size > 0) {
    fs.renameSync(tmp, jsa);
    log(`test server class-data archive written (${jsa})`);
  } else {
    fs.rmSync(tmp, { force: true });
    log('could not write a class-data archive for the test server (it still works, a little slower)');
  }
}

/**
 * Path of an executable wrapper `<cache>/test-server/temporal-test-server` that
 * starts the Java time-skipping test server (args: <port> ...). Fetches the jars
 * with Maven the first time. Returns null when java or (for a first fetch) mvn is missing.
 */
export async function ensureTimeSkippingServer(log: Logger = defaultLog): Promise<string | null> {
  const dir = path.join(cacheDir(), 'test-server');
  const jarsDir = path.join(dir, 'jars');
  const wrapper = path.join(dir, 'temporal-test-server');
  const marker = path.join(jarsDir, `temporal-test-server-${TEST_SERVER_VERSION}.jar`);
  const java = which('java', process.env.JAVA_HOME ? [path.join(process.env.JAVA_HOME, 'bin', 'java')] : []);
  if (!java) {
    log('no java found; the Temporal SDK will download its own test server');
    return null;
  }
  const expected = wrapperScript(dir, java);
  const ready = () => fs.existsSync(marker) && isExecutable(wrapper) && fs.readFileSync(wrapper, 'utf8') === expected;
  if (ready()) return wrapper;
  if (!fs.existsSync(marker) && !which('mvn')) {
    log('no mvn found; the Temporal SDK will download its own test server');
    return null;
  }
  return withLock(
    path.join(cacheDir(), 'locks', 'test-server'),
    async () => {
      if (ready()) return wrapper;
      fs.mkdirSync(dir, { recursive: true });
      if (!fs.existsSync(marker)) {
        const mvn = which('mvn');
        if (!mvn) return null;
        fs.writeFileSync(path.join(dir, 'pom.xml'), TEST_SERVER_POM);
        log(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} with Maven (first time only) ...`);
        const t0 = Date.now();
        const tmpJars = path.join(dir, `jars.tmp-${process.pid}`);
        fs.rmSync(tmpJars, { recursive: true, force: true });
        await run(mvn, ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${tmpJars}`], {
          cwd: dir,
          log,
          heartbeat: 'still fetching the test server',
        });
        fs.rmSync(jarsDir, { recursive: true, force: true });
        fs.renameSync(tmpJars, jarsDir);
        log(`test server jars ready in ${jarsDir} (${Math.round((Date.now() - t0) / 1000)} s)`);
      }
      await buildCdsArchive(dir, java, log).catch((err) => log(`class-data archive skipped: ${String(err)}`));
      fs.writeFileSync(wrapper + '.tmp', expected, { mode: 0o755 });
      fs.renameSync(wrapper + '.tmp', wrapper);
      return wrapper;
    },
    log,
  );
}

export const SCHEMATHESIS_VERSION = '4.32.5';

function findPython(): string | null {
  return which('python3') ?? which('python');
}

/**
 * Path of a `schemathesis` (`st`) executable in a virtualenv in the cache
 * (`<cache>/schemathesis-<version>/bin/schemathesis`), pip-installed the first time
 * from PyPI at the pinned version (binary wheels only). `$SCHEMATHESIS` overrides.
 * Returns null when there is no python3.
 */
export async function ensureSchemathesis(log: Logger = defaultLog): Promise<string | null> {
  if (process.env.SCHEMATHESIS) {
    if (!isExecutable(process.env.SCHEMATHESIS)) throw new Error(`SCHEMATHESIS=${process.env.SCHEMATHESIS} is not an executable file`);
    return process.env.SCHEMATHESIS;
  }
  const venv = path.join(cacheDir(), `schemathesis-${SCHEMATHESIS_VERSION}`);
  const bin = path.join(venv, 'bin', 'schemathesis');
  const marker = path.join(venv, '.installed');
  const ready = () => isExecutable(bin) && fs.existsSync(marker);
  if (ready()) return bin;
  const python = findPython();
  if (!python) {
    log('no python3 found; cannot install schemathesis');
    return null;
  }
  return withLock(
    path.join(cacheDir(), 'locks', 'schemathesis'),
    async () => {
      if (ready()) return bin;
      fs.rmSync(venv, { recursive: true, force: true });
      log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv} (first time only) ...`);
      const t0 = Date.now();
      await run(python, ['-m', 'venv', venv], { log });
      const pip = path.join(venv, 'bin', 'pip');
      await run(
        pip,
        ['install', '--quiet', '--disable-pip-version-check', '--only-binary=:all:', `schemathesis==${SCHEMATHESIS_VERSION}`],
        {
          log,
          heartbeat: 'still installing schemathesis',
        },
      );
      fs.writeFileSync(marker, `${SCHEMATHESIS_VERSION}\n`);
      log(`schemathesis ready at ${bin} (installed in ${Math.round((Date.now() - t0) / 1000)} s)`);
      return bin;
    },
    log,
  );
}
