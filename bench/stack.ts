/**
 * What the stack benchmarks share: the embedded stack on free ports in a throwaway data dir,
 * a process's resident memory, and the one line each figure ends with.
 */
import 'reflect-metadata';
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppsFrom, getFreePorts, REPO_ROOT, Stack, startStack } from '../tools/stack';

export interface BenchStackOptions {
  /** Start the worker and the API too (default false: PostgreSQL, Temporal and the inbox only). */
  apps?: boolean;
  /** 'dist' runs the compiled apps, as production does (run `npm run build` first). */
  appsFrom?: AppsFrom;
  /** Environment of the worker and the API (their libs/config variables). */
  env?: Record<string, string>;
  /** How long the apps may take to answer /health (default tools/stack's, 90 s). */
  healthTimeoutMs?: number;
}

/** The embedded stack (fsync on, as `npm start` runs it) for the length of `fn`, then removed. */
export async function withBenchStack<T>(opts: BenchStackOptions, fn: (stack: Stack) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aims-bench-stack-'));
  const [postgres, temporal, temporalUi, smtp, inboxWeb, api] = await getFreePorts(6);
  const stack = await startStack({
    dataDir,
    ports: { postgres, temporal, temporalUi, smtp, inboxWeb, api },
    headless: true,
    apps: opts.apps ?? false,
    appsFrom: opts.appsFrom,
    env: opts.env,
    ...(opts.healthTimeoutMs ? { healthTimeoutMs: opts.healthTimeoutMs } : {}),
    useProcessEnv: false,
    echo: false,
    log: (m) => process.stderr.write(`[stack] ${m}\n`),
  });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** The machine's CPU time so far, all cores (Linux /proc/stat; undefined elsewhere): busy and total ticks. */
export function machineCpuTicks(): { busy: number; total: number } | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = fields.map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: total - ticks[3] - ticks[4], total }; // idle and iowait are not busy
  } catch {
    return undefined;
  }
}

/** A process's CPU time so far, user and system (ms; Linux /proc/<pid>/stat, in clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The newest modification time under `dir` (ts and js sources, package files), skipping what is no source of the apps' build. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && p !== join(REPO_ROOT, 'apps', 'web')) newest = Math.max(newest, newestSource(p));
    } else if (/\.(ts|js|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** `npm run build` unless dist/ holds the apps and the workflow bundle, all newer than every source they are built from. */
export function ensureDistBuild(progress: (line: string) => void): void {
  const outputs = [join('dist', 'apps', 'worker', 'main.js'), join('dist', 'workflow-bundle.js'), join('dist', 'apps', 'api', 'main.js')];
  const built = Math.min(...outputs.map((o) => (existsSync(join(REPO_ROOT, o)) ? statSync(join(REPO_ROOT, o)).mtimeMs : 0)));
  const sources = Math.max(
    ...['apps', 'workflows', 'activities', 'libs'].map((d) => newestSource(join(REPO_ROOT, d))),
    ...['package.json', 'package-lock.json', 'tsconfig.build.json'].map((f) => statSync(join(REPO_ROOT, f)).mtimeMs),
  );
  if (built > sources) {
    progress('dist/ is up to date with the sources');
    return;
  }
  const t0 = Date.now();
  progress(built ? 'dist/ is older than the sources: npm run build' : 'no build in dist/: npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal})`);
  progress(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The final line of a figure, the format `npm run bench` promises: `<bench> <figure>: <value> (goal <goal>)`. */
export function printFigure(bench: string, figure: string, value: string, goal: string): void {
  console.log(`${bench} ${figure}: ${value} (goal ${goal})`);
}

/** A ratio with two decimals. */
export function ratio(value: number, baseline: number): string {
  return (value / baseline).toFixed(2);
}
