/** Review periods: calendar quarters and years, read in the organisation's time zone. */
import { zonedParts, zonedTimeToInstant } from './time';

export interface Period {
  /** Stable key used in workflow ids and reports, e.g. "2026-Q4" or "2026". */
  key: string;
  startsAt: Date;
  endsAt: Date;
}

export function quarterOf(instant: Date, timeZone: string): Period {
  const { year, month } = zonedParts(instant, timeZone);
  const quarter = Math.floor((month - 1) / 3) + 1;
  return quarterPeriod(year, quarter, timeZone);
}

export function quarterPeriod(year: number, quarter: number, timeZone: string): Period {
  const firstMonth = (quarter - 1) * 3 + 1;
  const startsAt = zonedTimeToInstant(year, firstMonth, 1, 0, 0, timeZone);
  const endsAt =
    quarter === 4 ? zonedTimeToInstant(year + 1, 1, 1, 0, 0, timeZone) : zonedTimeToInstant(year, firstMonth + 3, 1, 0, 0, timeZone);
  return { key: `${year}-Q${quarter}`, startsAt, endsAt };
}

/** The first quarter start strictly after `instant`. */
export function nextQuarterStart(instant: Date, timeZone: string): Date {
  return quarterOf(instant, timeZone).endsAt;
}

export function yearOf(instant: Date, timeZone: string): Period {
  const { year } = zonedParts(instant, timeZone);
  return {
    key: String(year),
    startsAt: zonedTimeToInstant(year, 1, 1, 0, 0, timeZone),
    endsAt: zonedTimeToInstant(year + 1, 1, 1, 0, 0, timeZone),
  };
}
