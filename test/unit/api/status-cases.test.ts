/** The incident and nonconformity reports management reads, shaped from read-model aggregates. */
import { incidentReport, nonconformityReport } from '../../../apps/api/status/cases';
import { HOUR_MS } from '../../../libs/domain';

const now = new Date('2026-11-23T12:00:00Z');

describe('incidentReport', () => {
  it('counts open incidents by clock state, reports within 72 hours and mean hours from detection', () => {
    const r = incidentReport(
      {
        open: 5,
        openBreached: 2,
        openDueSoon: 1,
        openOnTrack: 1,
        openReportsIn: 1,
        draftsOnTime: 3,
        draftsLate: 1,
        meanToAcknowledgeMs: 1.25 * HOUR_MS,
        meanToContainMs: 30 * HOUR_MS,
        meanToCloseMs: null,
        acknowledged: 4,
        contained: 2,
        closed: 0,
        openBySeverity: [{ severity: 'high', count: 5 }],
      },
      now,
    );
    expect(r).toEqual({
      asOf: '2026-11-23T12:00:00.000Z',
      open: {
        total: 5,
        byClockState: { breached: 2, 'due-soon': 1, 'on-track': 1, 'reports-in': 1 },
        bySeverity: [{ severity: 'high', count: 5 }],
      },
      reportsWithin72h: { percent: 75, onTime: 3, late: 1 },
      meanHoursFromDetection: {
        toAcknowledge: { hours: 1.3, incidents: 4 },
        toContain: { hours: 30, incidents: 2 },
        toClose: { hours: null, incidents: 0 },
      },
    });
  });

  it('has no percentage before any draft was due', () => {
    const zero = { open: 0, openBreached: 0, openDueSoon: 0, openOnTrack: 0, openReportsIn: 0, draftsOnTime: 0, draftsLate: 0 };
    const r = incidentReport(
      {
        ...zero,
        meanToAcknowledgeMs: null,
        meanToContainMs: null,
        meanToCloseMs: null,
        acknowledged: 0,
        contained: 0,
        closed: 0,
        openBySeverity: [],
      },
      now,
    );
    expect(r.reportsWithin72h).toEqual({ percent: null, onTime: 0, late: 0 });
  });
});

describe('nonconformityReport', () => {
  it('buckets open nonconformities by age (every bucket listed), and counts by step and grade', () => {
    const r = nonconformityReport(
      [
        { step: 'action', grade: 'major', ageDays: 0, count: 2 },
        { step: 'action', grade: 'minor', ageDays: 30, count: 1 },
        { step: 'verification-wait', grade: 'minor', ageDays: 31, count: 1 },
        { step: 'effectiveness-check', grade: 'minor', ageDays: 200, count: 3 },
      ],
      4,
      now,
    );
    expect(r).toEqual({
      asOf: '2026-11-23T12:00:00.000Z',
      open: 7,
      closed: 4,
      byAge: [
        { bucket: '0-30 days', count: 3 },
        { bucket: '31-90 days', count: 1 },
        { bucket: '91-180 days', count: 0 },
        { bucket: 'over 180 days', count: 3 },
      ],
      byStep: [
        { step: 'action', count: 3 },
        { step: 'effectiveness-check', count: 3 },
        { step: 'verification-wait', count: 1 },
      ],
      byGrade: [
        { grade: 'minor', count: 5 },
        { grade: 'major', count: 2 },
      ],
      oldestOpenAgeDays: 200,
    });
  });

  it('with nothing open, every age bucket reads 0', () => {
    const r = nonconformityReport([], 0, now);
    expect(r.byAge.map((b) => b.count)).toEqual([0, 0, 0, 0]);
    expect(r.oldestOpenAgeDays).toBeNull();
  });
});
