/**
 * GET /health's checks run in the background: probes answer the last result, so however many
 * probes come, PostgreSQL and Temporal see about one call per interval; a Temporal that stops
 * answering (an error, or no answer at all) reads down within one interval plus the deadline.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { HEALTH_CHECK_TIMEOUT_MS, HealthService } from '../../../apps/api/health/health.service';

const INTERVAL_MS = 1_000;

/** Fakes of the two dependencies that count their calls and answer as told. */
function dependencies() {
  const deps = {
    temporalCalls: 0,
    databaseCalls: 0,
    temporal: 'up' as 'up' | 'error' | 'silent',
    database: 'up' as 'up' | 'error',
  };
  const client = {
    connection: {
      withDeadline: <T>(deadline: number, fn: () => Promise<T>): Promise<T> => {
        const answer = fn();
        // As gRPC does: a call still unanswered at its deadline fails.
        return new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('DEADLINE_EXCEEDED')), deadline - Date.now());
          answer.then(resolve, reject).finally(() => clearTimeout(timer));
        });
      },
      workflowService: {
        getSystemInfo: (): Promise<unknown> => {
          deps.temporalCalls++;
          if (deps.temporal === 'error')
            return Promise.reject(Object.assign(new Error('14 UNAVAILABLE'), { details: 'No connection established' }));
          if (deps.temporal === 'silent') return new Promise(() => undefined);
          return Promise.resolve({});
        },
      },
    },
  } as unknown as Client;
  const db = {
    query: (): Promise<unknown> => {
      deps.databaseCalls++;
      return deps.database === 'up' ? Promise.resolve([{ '?column?': 1 }]) : Promise.reject(new Error('connection refused'));
    },
  } as unknown as DataSource;
  return { deps, service: new HealthService(db, client, { healthIntervalMs: INTERVAL_MS }) };
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-30T09:00:00Z') });
});

afterEach(() => {
  jest.useRealTimers();
});

it('answers many probes from about one check per interval, saying when it checked', async () => {
  const { deps, service } = dependencies();
  service.onApplicationBootstrap();
  const first = await service.check();
  expect(first).toEqual({ status: 'ok', checks: { database: 'up', temporal: 'up' }, checkedAt: '2026-11-30T09:00:00.000Z' });

  // 10 seconds of 100 probes a second (1,000 probes): 10 intervals.
  for (let tick = 0; tick < 100; tick++) {
    for (let i = 0; i < 10; i++) expect((await service.check()).status).toBe('ok');
    await jest.advanceTimersByTimeAsync(100);
  }
  expect(deps.temporalCalls).toBeGreaterThanOrEqual(10);
  expect(deps.temporalCalls).toBeLessThanOrEqual(11);
  expect(deps.databaseCalls).toBe(deps.temporalCalls);
  // The answer is the last check's, and says how old it is.
  const { checkedAt } = await service.check();
  expect(Date.now() - Date.parse(checkedAt)).toBeLessThanOrEqual(INTERVAL_MS);
  service.onApplicationShutdown();
});

it('a probe before the first check has finished waits for it, and starts it when nothing has', async () => {
  const { deps, service } = dependencies();
  const probes = [service.check(), service.check(), service.check()];
  const reports = await Promise.all(probes);
  expect(deps.temporalCalls).toBe(1);
  for (const r of reports) expect(r.checks).toEqual({ database: 'up', temporal: 'up' });
  service.onApplicationShutdown();
});

it('a Temporal that fails reads down within one interval plus the deadline, and up again once it answers', async () => {
  const { deps, service } = dependencies();
  service.onApplicationBootstrap();
  expect((await service.check()).status).toBe('ok');
  deps.temporal = 'error';
  await jest.advanceTimersByTimeAsync(INTERVAL_MS);
  expect(await service.check()).toEqual({
    status: 'error',
    checks: { database: 'up', temporal: 'down' },
    errors: { temporal: 'No connection established' },
    checkedAt: new Date(Date.now()).toISOString(),
  });
  deps.temporal = 'up';
  await jest.advanceTimersByTimeAsync(INTERVAL_MS);
  expect((await service.check()).status).toBe('ok');
  service.onApplicationShutdown();
});

it('a Temporal that stops answering at all reads down once its deadline has passed', async () => {
  const { deps, service } = dependencies();
  service.onApplicationBootstrap();
  expect((await service.check()).status).toBe('ok');
  deps.temporal = 'silent';
  // The next check starts an interval later; until its deadline passes, the last result stands.
  await jest.advanceTimersByTimeAsync(INTERVAL_MS + HEALTH_CHECK_TIMEOUT_MS - 10);
  expect((await service.check()).status).toBe('ok');
  await jest.advanceTimersByTimeAsync(20);
  const report = await service.check();
  expect(report.checks).toEqual({ database: 'up', temporal: 'down' });
  expect(report.errors?.temporal).toContain('DEADLINE_EXCEEDED');
  service.onApplicationShutdown();
});

it('a database that fails reads down too; after shutdown no more checks run', async () => {
  const { deps, service } = dependencies();
  service.onApplicationBootstrap();
  await service.check();
  deps.database = 'error';
  await jest.advanceTimersByTimeAsync(INTERVAL_MS);
  expect(await service.check()).toMatchObject({
    status: 'error',
    checks: { database: 'down', temporal: 'up' },
    errors: { database: 'connection refused' },
  });
  service.onApplicationShutdown();
  const calls = deps.temporalCalls;
  await jest.advanceTimersByTimeAsync(10 * INTERVAL_MS);
  expect(deps.temporalCalls).toBe(calls);
  expect(jest.getTimerCount()).toBe(0);
});
