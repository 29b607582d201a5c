import { CLOCK_STATES, ClockState, clockSummary, DUE_SOON_MS, HOUR_MS, readClock, worstClockState } from '../../../libs/domain';

const detected = Date.parse('2026-11-20T09:00:00Z');
const dueAt = new Date(detected + 72 * HOUR_MS).toISOString();
const due = Date.parse(dueAt);
const at = (ms: number) => new Date(due + ms);
const iso = (ms: number) => new Date(due + ms).toISOString();

describe('readClock', () => {
  it('is on track while more than 24 hours are left', () => {
    expect(readClock({ dueAt }, new Date(detected))).toEqual({ state: 'on-track', breached: false, timeLeftMs: 72 * HOUR_MS, lateByMs: 0 });
    expect(readClock({ dueAt }, at(-DUE_SOON_MS - 1))).toEqual({
      state: 'on-track',
      breached: false,
      timeLeftMs: DUE_SOON_MS + 1,
      lateByMs: 0,
    });
  });

  it('is due soon from exactly 24 hours before the deadline, and just under', () => {
    expect(DUE_SOON_MS).toBe(24 * HOUR_MS);
    expect(readClock({ dueAt }, at(-24 * HOUR_MS))).toEqual({ state: 'due-soon', breached: false, timeLeftMs: 24 * HOUR_MS, lateByMs: 0 });
    expect(readClock({ dueAt }, at(-24 * HOUR_MS + 1))).toEqual({
      state: 'due-soon',
      breached: false,
      timeLeftMs: 24 * HOUR_MS - 1,
      lateByMs: 0,
    });
    expect(readClock({ dueAt }, at(-1))).toEqual({ state: 'due-soon', breached: false, timeLeftMs: 1, lateByMs: 0 });
  });

  it('is breached at the deadline instant, not a millisecond later', () => {
    const r = readClock({ dueAt }, at(0));
    expect(r.state).toBe('breached');
    expect(r.breached).toBe(true);
    expect(r.timeLeftMs).toBe(0);
    // At the very instant it is -0 (the negation of 0): equal to 0, and 0 once serialised.
    expect(r.lateByMs === 0).toBe(true);
    expect(JSON.stringify(r.lateByMs)).toBe('0');
  });

  it('once past the deadline, time left is negative and lateness grows', () => {
    expect(readClock({ dueAt }, at(5 * HOUR_MS))).toEqual({
      state: 'breached',
      breached: true,
      timeLeftMs: -5 * HOUR_MS,
      lateByMs: 5 * HOUR_MS,
    });
  });

  it('a report submitted exactly at the deadline is in on time', () => {
    expect(readClock({ dueAt, submittedAt: dueAt }, at(10 * HOUR_MS))).toEqual({
      state: 'in-on-time',
      breached: false,
      timeLeftMs: null,
      lateByMs: 0,
    });
  });

  it('a report submitted before the deadline stays on time whatever the time now', () => {
    expect(readClock({ dueAt, submittedAt: iso(-HOUR_MS) }, at(30 * 24 * HOUR_MS))).toEqual({
      state: 'in-on-time',
      breached: false,
      timeLeftMs: null,
      lateByMs: 0,
    });
  });

  it('a report submitted after the deadline is in late, by how much', () => {
    expect(readClock({ dueAt, submittedAt: iso(1) }, at(0))).toEqual({ state: 'in-late', breached: true, timeLeftMs: null, lateByMs: 1 });
    expect(readClock({ dueAt, submittedAt: iso(2 * HOUR_MS) }, new Date(detected))).toEqual({
      state: 'in-late',
      breached: true,
      timeLeftMs: null,
      lateByMs: 2 * HOUR_MS,
    });
  });
});

describe('worstClockState', () => {
  const worstFirst: ClockState[] = ['breached', 'due-soon', 'on-track', 'in-late', 'in-on-time'];

  it('knows every state', () => {
    expect([...worstFirst].sort()).toEqual([...CLOCK_STATES].sort());
  });

  it('is undefined without clocks', () => {
    expect(worstClockState([])).toBeUndefined();
  });

  it('orders breached > due-soon > on-track > in-late > in-on-time, whatever the order of the clocks', () => {
    worstFirst.forEach((worse, i) => {
      for (const better of worstFirst.slice(i + 1)) {
        expect(worstClockState([worse, better])).toBe(worse);
        expect(worstClockState([better, worse])).toBe(worse);
      }
    });
    expect(worstClockState(['in-on-time', 'on-track', 'in-late', 'due-soon', 'on-track'])).toBe('due-soon');
    expect(worstClockState([...worstFirst].reverse())).toBe('breached');
    expect(worstClockState(['in-on-time', 'in-on-time'])).toBe('in-on-time');
  });
});

describe('clockSummary', () => {
  it('gives the earliest deadline still outstanding, ignoring reports already in', () => {
    const s = clockSummary([
      { dueAt: iso(30 * 24 * HOUR_MS) },
      { dueAt: iso(-48 * HOUR_MS), submittedAt: iso(-50 * HOUR_MS) }, // earliest, but in
      { dueAt: '2026-11-23T09:00:00Z' }, // the draft's deadline, not in ms form
      { dueAt: iso(5 * 24 * HOUR_MS) },
    ]);
    expect(s).toEqual({ nextDeadlineAt: '2026-11-23T09:00:00.000Z', anyInLate: false });
  });

  it('an outstanding deadline already past still counts as the next', () => {
    expect(clockSummary([{ dueAt: iso(HOUR_MS) }, { dueAt: iso(-HOUR_MS) }]).nextDeadlineAt).toBe(iso(-HOUR_MS));
  });

  it('says whether any report went in late; exactly at the deadline is not late', () => {
    expect(clockSummary([{ dueAt, submittedAt: dueAt }, { dueAt: iso(HOUR_MS) }]).anyInLate).toBe(false);
    expect(clockSummary([{ dueAt, submittedAt: iso(1) }, { dueAt: iso(HOUR_MS) }]).anyInLate).toBe(true);
  });

  it('has no next deadline once every report is in', () => {
    expect(
      clockSummary([
        { dueAt, submittedAt: iso(-HOUR_MS) },
        { dueAt: iso(HOUR_MS), submittedAt: iso(2 * HOUR_MS) },
      ]),
    ).toEqual({ nextDeadlineAt: null, anyInLate: true });
    expect(clockSummary([])).toEqual({ nextDeadlineAt: null, anyInLate: false });
  });
});
