/**
 * Retrying a Temporal call that was refused for a passing reason: the namespace's rate limit
 * (gRPC RESOURCE_EXHAUSTED, status 8: Temporal Cloud allows 10 schedule requests per second
 * per namespace by default), the service briefly unreachable (UNAVAILABLE 14), a call cut off
 * by its deadline (DEADLINE_EXCEEDED 4) or aborted by a conflict (ABORTED 10). The client
 * already retries some of these a few times itself; this keeps a bulk operation going through
 * a longer spell, with exponential backoff and full jitter, and gives up after `attempts`.
 */
export const TRANSIENT_GRPC_STATUS = { DEADLINE_EXCEEDED: 4, RESOURCE_EXHAUSTED: 8, ABORTED: 10, UNAVAILABLE: 14 } as const;
const TRANSIENT = new Set<number>(Object.values(TRANSIENT_GRPC_STATUS));

function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let cur = err, i = 0; cur && i < 8; i++, cur = (cur as { cause?: unknown }).cause) out.push(cur);
  return out;
}

/** The gRPC status of the error or of one of its causes (a Temporal ServiceError wraps the gRPC error). */
export function grpcStatusOf(err: unknown): number | undefined {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown })?.code;
    if (typeof code === 'number' && e && typeof e === 'object' && 'metadata' in e) return code;
  }
  return undefined;
}

export function isTransientTemporalError(err: unknown): boolean {
  const code = grpcStatusOf(err);
  if (code !== undefined) return TRANSIENT.has(code);
  // The connection itself failing (no gRPC status at all).
  return causes(err).some((e) =>
    /Failed to connect to Temporal|connect ECONNREFUSED|No connection established/i.test(String((e as Error)?.message)),
  );
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first wait's ceiling; each next one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** For tests: how to wait, and where the jitter comes from. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told of each retry (for logs). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const DEFAULT_TEMPORAL_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Runs `fn`, again after a backoff while it fails with a transient Temporal error; any other error, or the last one, is thrown. */
export async function withTemporalRetry<T>(fn: () => Promise<T>, opts: RetryOptions = DEFAULT_TEMPORAL_RETRY): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= opts.attempts || !isTransientTemporalError(err)) throw err;
      const delay = Math.round(random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1)));
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
