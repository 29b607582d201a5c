import { isoDateIn, isValidTimeZone, zonedParts, zonedTimeToInstant } from '../../../libs/domain';

describe('time-zone arithmetic', () => {
  it('maps local wall-clock times to instants across DST', () => {
    // Winter and summer in Berlin.
    expect(zonedTimeToInstant(2026, 1, 15, 9, 0, 'Europe/Berlin').toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(zonedTimeToInstant(2026, 7, 15, 9, 0, 'Europe/Berlin').toISOString()).toBe('2026-07-15T07:00:00.000Z');
  });

  it('a wall time in the spring-forward gap resolves to just after the gap', () => {
    // 29 March 2026 02:30 does not exist in Berlin (02:00 -> 03:00 CEST).
    const t = zonedTimeToInstant(2026, 3, 29, 2, 30, 'Europe/Berlin');
    expect(t.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedParts(t, 'Europe/Berlin').hour).toBe(3);
  });

  it('an ambiguous fall-back wall time resolves to its first occurrence', () => {
    // 25 October 2026 02:30 happens twice in Berlin.
    const t = zonedTimeToInstant(2026, 10, 25, 2, 30, 'Europe/Berlin').toISOString();
    expect(t).toBe('2026-10-25T00:30:00.000Z'); // the first of the two
  });

  it('handles zones with half-hour offsets and the southern hemisphere', () => {
    expect(zonedTimeToInstant(2026, 1, 1, 0, 0, 'Asia/Kolkata').toISOString()).toBe('2025-12-31T18:30:00.000Z');
    expect(zonedTimeToInstant(2026, 1, 1, 0, 0, 'Australia/Sydney').toISOString()).toBe('2025-12-31T13:00:00.000Z');
  });

  it('reads dates in a zone', () => {
    expect(isoDateIn(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('2027-01-01');
    expect(isoDateIn(new Date('2026-12-31T23:30:00Z'), 'UTC')).toBe('2026-12-31');
  });

  it('knows valid zones', () => {
    expect(isValidTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
