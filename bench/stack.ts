/**
 * What the stack benchmarks share: the embedded stack on free ports in a throwaway data dir,
 * a process's resident memory, and the one line each figure ends with.
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppsFrom, getFreePorts, Stack, startStack } from '../tools/stack';

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

/** The final line of a figure, the format `npm run bench` promises: `<bench> <figure>: <value> (goal <goal>)`. */
export function printFigure(bench: string, figure: string, value: string, goal: string): void {
  console.log(`${bench} ${figure}: ${value} (goal ${goal})`);
}

/** A ratio with two decimals. */
export function ratio(value: number, baseline: number): string {
  return (value / baseline).toFixed(2);
}
