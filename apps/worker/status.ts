/**
 * The worker's periodic report of its workflow cache and memory: one log line every
 * AIMS_WORKER_STATUS_INTERVAL_MS, so an operator (and the worker-memory bench) sees how many
 * workflows it holds against its bound and what that costs, without a metrics stack.
 *
 *   [worker] status cachedWorkflows=312 maxCachedWorkflows=500 inFlightActivations=0 inFlightActivities=0 rssMb=301.2 heapUsedMb=61.0 heapTotalMb=80.5 externalMb=4.2
 *
 * rssMb is the whole process (the workflow thread, the SDK's native core); the heap figures are the
 * main thread's V8 heap (the activities, the connections), not the workflow thread's.
 */
import type { WorkerStatus } from '@temporalio/worker';

export const STATUS_PREFIX = '[worker] status';

export interface WorkerStatusFigures {
  cachedWorkflows: number;
  maxCachedWorkflows: number;
  inFlightActivations: number;
  inFlightActivities: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

type Counts = Pick<WorkerStatus, 'numCachedWorkflows' | 'numInFlightWorkflowActivations' | 'numInFlightActivities'>;
type Memory = Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'heapTotal' | 'external'>;

const MB = 1024 * 1024;
const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

export function workerStatusFigures(status: Counts, memory: Memory, maxCachedWorkflows: number): WorkerStatusFigures {
  return {
    cachedWorkflows: status.numCachedWorkflows,
    maxCachedWorkflows,
    inFlightActivations: status.numInFlightWorkflowActivations,
    inFlightActivities: status.numInFlightActivities,
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
    heapTotalMb: mb(memory.heapTotal),
    externalMb: mb(memory.external),
  };
}

export function formatWorkerStatus(figures: WorkerStatusFigures): string {
  const fields = Object.entries(figures).map(([name, value]) => `${name}=${Number.isInteger(value) ? value : value.toFixed(1)}`);
  return `${STATUS_PREFIX} ${fields.join(' ')}`;
}

/** The figures of a status line (`formatWorkerStatus`'s), wherever it sits in a log line; undefined for any other line. */
export function parseWorkerStatus(line: string): WorkerStatusFigures | undefined {
  const at = line.indexOf(`${STATUS_PREFIX} `);
  if (at < 0) return undefined;
  const values = new Map<string, number>();
  for (const m of line.slice(at + STATUS_PREFIX.length).matchAll(/ (\w+)=(\d+(?:\.\d+)?)/g)) values.set(m[1], Number(m[2]));
  const keys: (keyof WorkerStatusFigures)[] = [
    'cachedWorkflows',
    'maxCachedWorkflows',
    'inFlightActivations',
    'inFlightActivities',
    'rssMb',
    'heapUsedMb',
    'heapTotalMb',
    'externalMb',
  ];
  if (!keys.every((k) => values.has(k))) return undefined;
  return Object.fromEntries(keys.map((k) => [k, values.get(k)!])) as unknown as WorkerStatusFigures;
}

/**
 * Logs the worker's status every `intervalMs` (0: never) until the returned function is called.
 * The timer is unref'd: it never keeps a stopping process alive.
 */
export function reportWorkerStatus(
  worker: { getStatus(): Counts },
  opts: { intervalMs: number; maxCachedWorkflows: number; log: (line: string) => void; memory?: () => Memory },
): () => void {
  if (opts.intervalMs <= 0) return () => undefined;
  const memory = opts.memory ?? (() => process.memoryUsage());
  const timer = setInterval(() => {
    opts.log(formatWorkerStatus(workerStatusFigures(worker.getStatus(), memory(), opts.maxCachedWorkflows)));
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
