/** An incident as the API shows it: its snapshot with every clock read at one instant. */
import type { IncidentStatus } from '../../../libs/contracts';
import { readClock, worstClockState } from '../../../libs/domain';
import type { ClockView, IncidentView } from './incidents.dto';

export function toIncidentView(status: IncidentStatus, updatedAt: Date, nonconformityIds: string[], now = new Date()): IncidentView {
  const { reports, ...rest } = status;
  const clocks: ClockView[] = reports.map((r) => {
    const reading = readClock(r, now);
    return { ...r, clockState: reading.state, breached: reading.breached, timeLeftMs: reading.timeLeftMs, lateByMs: reading.lateByMs };
  });
  return {
    ...rest,
    clocks,
    clockState: worstClockState(clocks.map((c) => c.clockState)),
    breached: clocks.some((c) => c.breached),
    nonconformityIds,
    updatedAt: updatedAt.toISOString(),
  };
}
