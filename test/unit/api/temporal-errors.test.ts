/** apps/api/common/temporal-errors: which Temporal client failures are a 503 (not in time) and which a 502 (refused). */
import { HttpException } from '@nestjs/common';
import { temporalHttpException } from '../../../apps/api/common/temporal-errors';

/** A gRPC error as @grpc/grpc-js raises it: a code, details and metadata. */
const grpc = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: {} });

describe('temporalHttpException', () => {
  it.each([
    [14, 'No connection established'],
    [4, 'Deadline exceeded'],
    // withDeadline cuts a slow call off as CANCELLED: the API cancels nothing else.
    [1, 'Call cancelled'],
  ])('gRPC code %i (%s) is a 503: Temporal did not answer in time', (code, details) => {
    const wrapped = Object.assign(new Error('ServiceError'), { name: 'ServiceError', cause: grpc(code, details) });
    expect(temporalHttpException(wrapped)?.getStatus()).toBe(503);
  });

  it('a refusal (FAILED_PRECONDITION) is a 502', () => {
    expect(temporalHttpException(grpc(9, 'schedule is paused'))?.getStatus()).toBe(502);
  });

  it('leaves HTTP errors and other errors alone', () => {
    expect(temporalHttpException(new HttpException('x', 409))).toBeUndefined();
    expect(temporalHttpException(new Error('boom'))).toBeUndefined();
  });
});
