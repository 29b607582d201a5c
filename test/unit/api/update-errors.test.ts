import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { REFUSAL } from '../../../libs/contracts';
import { refusalToHttp } from '../../../apps/api/tasks/update-errors';

const refused = (type: string | undefined, message: string) =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message, nonRetryable: true }));

describe('refused Updates -> HTTP', () => {
  it.each([
    [REFUSAL.notPermitted, 403],
    [REFUSAL.invalidState, 409],
    [REFUSAL.invalidArgument, 400],
  ])('%s -> %d with the validator reason', (type, status) => {
    expect(refusalToHttp(refused(type, 'the approver cannot be the submitter'))).toEqual({
      statusCode: status,
      message: 'the approver cannot be the submitter',
      refusal: type,
    });
  });

  it('an Update failure without a refusal type is a 500', () => {
    expect(refusalToHttp(refused('Error', 'boom'))).toMatchObject({ statusCode: 500 });
    expect(refusalToHttp(new WorkflowUpdateFailedError('failed', undefined))).toMatchObject({ statusCode: 500 });
  });

  it('other errors are not refusals', () => {
    expect(refusalToHttp(new Error('network'))).toBeUndefined();
    expect(refusalToHttp(ApplicationFailure.create({ type: REFUSAL.notPermitted, message: 'x' }))).toBeUndefined();
  });
});
