/** apps/api/common/temporal-retry: a call refused for a passing reason (RESOURCE_EXHAUSTED, ...) is retried with backoff; others are not. */
import { grpcStatusOf, isTransientTemporalError, withTemporalRetry } from '../../../apps/api/common/temporal-retry';

const grpc = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: {} });
/** As the Temporal client raises it: a ServiceError whose cause is the gRPC error. */
const serviceError = (code: number, details: string) =>
  Object.assign(new Error(`ServiceError: ${details}`), { cause: grpc(code, details) });

describe('withTemporalRetry', () => {
  const options = (waits: number[]) => ({
    attempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 300,
    random: () => 1,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  });

  it('retries RESOURCE_EXHAUSTED (status 8) with growing waits, capped, until it succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const out = await withTemporalRetry(async () => {
      calls++;
      if (calls < 4) throw serviceError(8, 'namespace rate limit exceeded');
      return 'created';
    }, options(waits));
    expect(out).toBe('created');
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 300]);
  });

  it('gives up after its attempts with the last error', async () => {
    const waits: number[] = [];
    let calls = 0;
    await expect(
      withTemporalRetry(async () => {
        calls++;
        throw serviceError(14, 'unavailable');
      }, options(waits)),
    ).rejects.toThrow('unavailable');
    expect(calls).toBe(5);
    expect(waits).toHaveLength(4);
  });

  it('does not retry a refusal for good (INVALID_ARGUMENT) or an error of another kind', async () => {
    for (const err of [serviceError(3, 'bad spec'), new Error('boom')]) {
      let calls = 0;
      await expect(
        withTemporalRetry(async () => {
          calls++;
          throw err;
        }, options([])),
      ).rejects.toBe(err);
      expect(calls).toBe(1);
    }
  });

  it('reads the status through the cause', () => {
    expect(grpcStatusOf(serviceError(8, 'x'))).toBe(8);
    expect(isTransientTemporalError(serviceError(8, 'x'))).toBe(true);
    expect(isTransientTemporalError(serviceError(9, 'x'))).toBe(false);
    expect(isTransientTemporalError(new Error('Failed to connect to Temporal server'))).toBe(true);
  });
});
