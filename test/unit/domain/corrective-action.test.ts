import { ageBucket, correctiveActionPlan, DAY_MS, DEFAULT_PLAN_DAYS, NONCONFORMITY_AGE_BUCKETS } from '../../../libs/domain';
import { correctiveStepTaskId, parseCorrectiveStepTaskId } from '../../../libs/contracts';

describe('correctiveActionPlan', () => {
  it('a minor nonconformity: 7 days containment, 30 root cause, 60 action, 90 wait, 14 check', () => {
    expect(correctiveActionPlan('minor')).toEqual({
      containmentMs: 7 * DAY_MS,
      rootCauseMs: 30 * DAY_MS,
      actionMs: 60 * DAY_MS,
      verificationWaitMs: 90 * DAY_MS,
      effectivenessCheckMs: 14 * DAY_MS,
    });
  });

  it('a major nonconformity moves faster but waits as long before verification', () => {
    expect(correctiveActionPlan('major')).toEqual({
      containmentMs: 2 * DAY_MS,
      rootCauseMs: 14 * DAY_MS,
      actionMs: 30 * DAY_MS,
      verificationWaitMs: 90 * DAY_MS,
      effectivenessCheckMs: 14 * DAY_MS,
    });
    expect(correctiveActionPlan('major', {})).toEqual(correctiveActionPlan('major'));
  });

  it('overrides replace only the days they name', () => {
    expect(correctiveActionPlan('major', { rootCause: 21, verificationWait: 180 })).toEqual({
      containmentMs: 2 * DAY_MS,
      rootCauseMs: 21 * DAY_MS,
      actionMs: 30 * DAY_MS,
      verificationWaitMs: 180 * DAY_MS,
      effectivenessCheckMs: 14 * DAY_MS,
    });
    expect(correctiveActionPlan('minor', { containment: 1, rootCause: 2, action: 3, verificationWait: 4, effectivenessCheck: 5 })).toEqual({
      containmentMs: 1 * DAY_MS,
      rootCauseMs: 2 * DAY_MS,
      actionMs: 3 * DAY_MS,
      verificationWaitMs: 4 * DAY_MS,
      effectivenessCheckMs: 5 * DAY_MS,
    });
  });

  it('an override left undefined (an optional field of a request) keeps the default', () => {
    expect(correctiveActionPlan('minor', { containment: undefined, action: undefined, effectivenessCheck: 10 })).toEqual({
      ...correctiveActionPlan('minor'),
      effectivenessCheckMs: 10 * DAY_MS,
    });
  });

  it('does not change the defaults', () => {
    const before = JSON.parse(JSON.stringify(DEFAULT_PLAN_DAYS));
    correctiveActionPlan('minor', { containment: 1 });
    correctiveActionPlan('major', { action: 400 });
    expect(DEFAULT_PLAN_DAYS).toEqual(before);
  });
});

describe('ageBucket', () => {
  it.each([
    [0, '0-30 days'],
    [30, '0-30 days'],
    [31, '31-90 days'],
    [90, '31-90 days'],
    [91, '91-180 days'],
    [180, '91-180 days'],
    [181, 'over 180 days'],
    [5000, 'over 180 days'],
  ])('%d days: %s', (days, label) => {
    expect(ageBucket(days)).toBe(label);
  });

  it('a fraction of a day past a bound falls in the next bucket', () => {
    expect(ageBucket(30.5)).toBe('31-90 days');
  });

  it('labels are the buckets management reads, in order', () => {
    expect(NONCONFORMITY_AGE_BUCKETS.map((b) => b.label)).toEqual(['0-30 days', '31-90 days', '91-180 days', 'over 180 days']);
  });
});

describe('corrective-action step task ids', () => {
  it('name their nonconformity and step; the action and its check carry the loop, the others never do', () => {
    const nc = '7d7c0c3e-0b7a-4b0e-9f39-1d7f3c2f0a11';
    for (const step of ['containment', 'root-cause', 'action', 'effectiveness-check'] as const) {
      const id = correctiveStepTaskId(nc, step, 2);
      expect(parseCorrectiveStepTaskId(id)).toEqual({ nonconformityId: nc, step });
    }
    for (const bad of [
      `corrective-action-step:${nc}:containment-1`,
      `corrective-action-step:${nc}:action`,
      `corrective-action-step:${nc}:check-1`,
      `aiia:${nc}:action-1`,
    ]) {
      expect(parseCorrectiveStepTaskId(bad)).toBeUndefined();
    }
  });
});
