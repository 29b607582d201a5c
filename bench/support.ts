/** What the read-model benchmarks share: a throwaway embedded PostgreSQL, medians, and the ratio table. */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { DataSource } from 'typeorm';
import { runMigrations } from '../apps/migrate/main';
import { createDataSource } from '../libs/persistence';
import { getFreePort, startPostgres } from '../tools/stack';

export const SIZES = [1_000, 10_000, 100_000];
const RUNS = 30;

/** A migrated database for the length of `fn`, removed after. */
export async function withBenchDatabase(fn: (db: DataSource) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aims-bench-'));
  const pg = await startPostgres({ dir: join(dir, 'postgres'), port: await getFreePort(), fast: true });
  const db = createDataSource(pg.url, { poolSize: 2 });
  try {
    await runMigrations(pg.url, () => undefined);
    await db.initialize();
    await fn(db);
  } finally {
    if (db.isInitialized) await db.destroy();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function median(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm the plan cache and buffers
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Seeds each size, times every query, and prints medians and their ratio to the smallest size. */
export async function benchQueries(seed: (size: number) => Promise<void>, queries: Record<string, () => Promise<unknown>>): Promise<void> {
  const results: Record<string, number[]> = {};
  for (const size of SIZES) {
    await seed(size);
    for (const [name, q] of Object.entries(queries)) (results[name] ??= []).push(await median(q));
  }
  const header = ['query', ...SIZES.map((s) => `${s / 1000}k ms`), ...SIZES.slice(1).map((s) => `${s / 1000}k/1k`)];
  console.log(header.join(' | '));
  for (const [name, ms] of Object.entries(results)) {
    console.log([name, ...ms.map((m) => m.toFixed(2)), ...ms.slice(1).map((m) => `${(m / ms[0]).toFixed(2)}x`)].join(' | '));
  }
}

export function runBench(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
