import { nextQuarterStart, quarterOf, quarterPeriod, yearOf } from '../../../libs/domain';

describe('calendar quarters', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-Q1'],
    ['2026-03-31T23:59:59.999Z', '2026-Q1'],
    ['2026-04-01T00:00:00Z', '2026-Q2'],
    ['2026-06-30T12:00:00Z', '2026-Q2'],
    ['2026-07-01T00:00:00Z', '2026-Q3'],
    ['2026-09-30T23:59:59Z', '2026-Q3'],
    ['2026-10-01T00:00:00Z', '2026-Q4'],
    ['2026-12-31T23:59:59Z', '2026-Q4'],
    ['2028-02-29T10:00:00Z', '2028-Q1'],
  ])('%s is in %s (UTC)', (at, key) => {
    expect(quarterOf(new Date(at), 'UTC').key).toBe(key);
  });

  it('Q4 ends when next year begins', () => {
    const q = quarterPeriod(2026, 4, 'UTC');
    expect(q.startsAt.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(q.endsAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads the quarter on the organisation wall clock, not UTC', () => {
    // 31 Dec 23:30 UTC is already 1 Jan in Berlin.
    expect(quarterOf(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin').key).toBe('2027-Q1');
    // 1 Jan 03:00 UTC is still 31 Dec in New York.
    expect(quarterOf(new Date('2027-01-01T03:00:00Z'), 'America/New_York').key).toBe('2026-Q4');
  });

  it('a quarter opens at local midnight: Berlin Q2 starts 22:00 UTC (CEST), Q1 23:00 UTC (CET)', () => {
    expect(quarterPeriod(2026, 2, 'Europe/Berlin').startsAt.toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(quarterPeriod(2026, 1, 'Europe/Berlin').startsAt.toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(quarterPeriod(2026, 4, 'Australia/Sydney').startsAt.toISOString()).toBe('2026-09-30T14:00:00.000Z');
  });

  it('nextQuarterStart is strictly after the instant', () => {
    expect(nextQuarterStart(new Date('2026-11-23T08:00:00Z'), 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextQuarterStart(new Date('2026-10-01T00:00:00Z'), 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextQuarterStart(new Date('2026-09-30T23:59:59Z'), 'UTC').toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });

  it('years', () => {
    expect(yearOf(new Date('2028-02-29T00:00:00Z'), 'UTC').key).toBe('2028');
  });
});
