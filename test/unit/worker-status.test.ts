/**
 * The worker's status line (apps/worker/status.ts): its figures from the SDK's status and the
 * process' memory, the line, its parse back (the worker-memory bench reads the line), and the
 * periodic report: every interval while running, never once stopped, nothing at interval 0.
 */
import { formatWorkerStatus, parseWorkerStatus, reportWorkerStatus, STATUS_PREFIX, workerStatusFigures } from '../../apps/worker/status';

const MB = 1024 * 1024;
const counts = { numCachedWorkflows: 312, numInFlightWorkflowActivations: 2, numInFlightActivities: 5 };
const memory = { rss: 301.24 * MB, heapUsed: 61 * MB, heapTotal: 80.55 * MB, external: 4.2 * MB };

describe('the status line', () => {
  it('names the cached workflows against their bound, what is in flight, and the memory in MB with one decimal', () => {
    const figures = workerStatusFigures(counts, memory, 500);
    expect(figures).toEqual({
      cachedWorkflows: 312,
      maxCachedWorkflows: 500,
      inFlightActivations: 2,
      inFlightActivities: 5,
      rssMb: 301.2,
      heapUsedMb: 61,
      heapTotalMb: 80.6,
      externalMb: 4.2,
    });
    expect(formatWorkerStatus(figures)).toBe(
      '[worker] status cachedWorkflows=312 maxCachedWorkflows=500 inFlightActivations=2 inFlightActivities=5 ' +
        'rssMb=301.2 heapUsedMb=61 heapTotalMb=80.6 externalMb=4.2',
    );
  });

  it('parses back to the same figures, also with a prefix before it (a log collector, the stack echo)', () => {
    const figures = workerStatusFigures(counts, memory, 500);
    expect(parseWorkerStatus(formatWorkerStatus(figures))).toEqual(figures);
    expect(parseWorkerStatus(`[worker] ${formatWorkerStatus(figures)}`)).toEqual(figures);
  });

  it('any other line, or a status line missing a figure, is no status', () => {
    expect(parseWorkerStatus('[worker] polling task queue "aims" in namespace "default"')).toBeUndefined();
    expect(parseWorkerStatus(`${STATUS_PREFIX} cachedWorkflows=3 rssMb=100.0`)).toBeUndefined();
  });
});

describe('the periodic report', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('logs the current status every interval until stopped, on a timer that keeps no process alive', () => {
    const lines: string[] = [];
    let cached = 0;
    const worker = { getStatus: () => ({ ...counts, numCachedWorkflows: cached }) };
    const unref = jest.spyOn(global, 'setInterval');
    const stop = reportWorkerStatus(worker, { intervalMs: 1000, maxCachedWorkflows: 500, log: (l) => lines.push(l), memory: () => memory });
    expect((unref.mock.results[0].value as NodeJS.Timeout).hasRef()).toBe(false);
    jest.advanceTimersByTime(999);
    expect(lines).toEqual([]);
    jest.advanceTimersByTime(1);
    cached = 7;
    jest.advanceTimersByTime(1000);
    expect(lines.map((l) => parseWorkerStatus(l)?.cachedWorkflows)).toEqual([0, 7]);
    stop();
    jest.advanceTimersByTime(5000);
    expect(lines).toHaveLength(2);
    unref.mockRestore();
  });

  it('an interval of 0 logs nothing', () => {
    const lines: string[] = [];
    reportWorkerStatus({ getStatus: () => counts }, { intervalMs: 0, maxCachedWorkflows: 500, log: (l) => lines.push(l) });
    jest.advanceTimersByTime(3_600_000);
    expect(lines).toEqual([]);
  });
});
