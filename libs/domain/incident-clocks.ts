/**
 * The clocks of an incident: the internal 72-hour draft report, the final report and every
 * regulatory report, each with a deadline counted from detection. Pure: what a clock shows
 * at a given instant.
 */
import { HOUR_MS } from './time';

/** Where a clock stands: its report is in (on time or late), or still due (on track, due soon, breached). */
export const CLOCK_STATES = ['on-track', 'due-soon', 'breached', 'in-on-time', 'in-late'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

/** A clock is "due soon" this long before its deadline. */
export const DUE_SOON_MS = 24 * HOUR_MS;

export interface ClockInput {
  dueAt: string;
  /** When its report was submitted, if it was. */
  submittedAt?: string;
}

export interface ClockReading {
  state: ClockState;
  breached: boolean;
  /** Until the deadline (negative once past); null once the report is in. */
  timeLeftMs: number | null;
  /** How late the report was or is (0 when on time). */
  lateByMs: number;
}

export function readClock(clock: ClockInput, now: Date): ClockReading {
  const due = Date.parse(clock.dueAt);
  if (clock.submittedAt) {
    const late = Math.max(0, Date.parse(clock.submittedAt) - due);
    return { state: late > 0 ? 'in-late' : 'in-on-time', breached: late > 0, timeLeftMs: null, lateByMs: late };
  }
  const left = due - now.getTime();
  if (left <= 0) return { state: 'breached', breached: true, timeLeftMs: left, lateByMs: now.getTime() - due };
  return { state: left <= DUE_SOON_MS ? 'due-soon' : 'on-track', breached: false, timeLeftMs: left, lateByMs: 0 };
}

/** The worst state among an incident's clocks: breached > due-soon > on-track > in-late > in-on-time. */
const SEVERITY: Record<ClockState, number> = { breached: 4, 'due-soon': 3, 'on-track': 2, 'in-late': 1, 'in-on-time': 0 };

export function worstClockState(states: ClockState[]): ClockState | undefined {
  return states.reduce<ClockState | undefined>((worst, s) => (worst === undefined || SEVERITY[s] > SEVERITY[worst] ? s : worst), undefined);
}

/**
 * What the read model stores to filter and count without reading every snapshot: the earliest
 * deadline still outstanding, and whether any report went in late.
 */
export function clockSummary(clocks: ClockInput[]): { nextDeadlineAt: string | null; anyInLate: boolean } {
  const outstanding = clocks.filter((c) => !c.submittedAt).map((c) => Date.parse(c.dueAt));
  const anyInLate = clocks.some((c) => c.submittedAt !== undefined && Date.parse(c.submittedAt) > Date.parse(c.dueAt));
  return { nextDeadlineAt: outstanding.length ? new Date(Math.min(...outstanding)).toISOString() : null, anyInLate };
}
