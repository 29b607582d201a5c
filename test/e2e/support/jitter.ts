/** The cadence Schedules' jitter as the test stack runs them (the default AIMS_SCHEDULE_JITTER_MINUTES). */
import { DEFAULT_SCHEDULE_JITTER_MINUTES } from '../../../libs/config';

export const SCHEDULE_JITTER_MS = DEFAULT_SCHEDULE_JITTER_MINUTES * 60_000;

/**
 * Each run time Temporal reports (its next action times, the API's nextRunTimes) is its calendar
 * time plus the Schedule's jitter: from 0 to less than the jitter after it, never before.
 */
export function expectJittered(actual: Array<Date | string>, nominal: Array<Date | string>): void {
  const ms = (t: Date | string) => new Date(t).getTime();
  expect(actual.length).toBe(nominal.length);
  const off = actual.map((a, i) => {
    const d = ms(a) - ms(nominal[i]);
    return d >= 0 && d < SCHEDULE_JITTER_MS
      ? 'within'
      : `${new Date(a).toISOString()} is ${d} ms from ${new Date(nominal[i]).toISOString()}`;
  });
  expect(off).toEqual(actual.map(() => 'within'));
}
