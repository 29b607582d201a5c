import type { CalendarSpecDescription, ScheduleDescription } from '@temporalio/client';
import { cadenceId, desiredCadences, InventoryEntry, nextRunTimes } from '../../../libs/domain';
import {
  CADENCE_SCHEDULE_POLICIES,
  cadenceView,
  fromCalendarDescription,
  isCurrent,
  scheduleOptionsFor,
  scheduleUpdateFor,
  toCalendarSpec,
} from '../../../apps/api/cadences/schedule-spec';
import { CADENCE_ID_PATTERN, parseCadencePathId } from '../../../apps/api/cadences/cadences.service';
import { decodeCursor, encodeCursor } from '../../../apps/api/cadences/cadence-list';

const SYSTEM = '3f6c2a1e-0000-4000-8000-000000000001';
const entry = (over: Partial<InventoryEntry> = {}): InventoryEntry => ({
  id: SYSTEM,
  name: 'Credit scoring',
  riskTier: 'high',
  lifecycleStage: 'operation_and_monitoring',
  goLiveDate: '2025-03-17',
  createdAt: new Date('2025-01-02T10:00:00Z'),
  ...over,
});

/** What the server gives back for a calendar spec the client compiled: each value as a range. */
function described(spec: ReturnType<typeof toCalendarSpec>): CalendarSpecDescription {
  const one = <T>(v: T) => [{ start: v, end: v, step: 1 }];
  const many = <T>(v: T | T[]) => (Array.isArray(v) ? v.map((x) => ({ start: x, end: x, step: 1 })) : one(v));
  return {
    second: one(0),
    minute: one(spec.minute as number),
    hour: one(spec.hour as number),
    dayOfMonth: one(spec.dayOfMonth as number),
    month: many(spec.month as any),
    year: [],
    dayOfWeek: [],
    comment: spec.comment,
  } as CalendarSpecDescription;
}

function describeOf(
  spec: ReturnType<typeof desiredCadences>[number],
  taskQueue: string,
  over: Partial<ScheduleDescription> = {},
  jitterMs = 0,
): ScheduleDescription {
  const opts = scheduleOptionsFor(spec, taskQueue, jitterMs);
  return {
    scheduleId: spec.id,
    spec: {
      calendars: [described(opts.spec.calendars![0])],
      timezone: opts.spec.timezone,
      startAt: opts.spec.startAt,
      // The server describes no jitter as none at all.
      ...(opts.spec.jitter !== undefined ? { jitter: Number(opts.spec.jitter) } : {}),
    },
    action: { ...opts.action, workflowType: 'cadenceCycle' } as any,
    policies: {
      overlap: CADENCE_SCHEDULE_POLICIES.overlap,
      catchupWindow: CADENCE_SCHEDULE_POLICIES.catchupWindowMs,
      pauseOnFailure: false,
    },
    memo: { systemId: spec.systemId, kind: spec.kind },
    searchAttributes: {},
    typedSearchAttributes: undefined as any,
    state: { paused: false },
    info: {
      recentActions: [],
      nextActionTimes: nextRunTimes(spec.calendar, new Date('2026-02-10T00:00:00Z'), 3),
      numActionsTaken: 0,
      numActionsMissedCatchupWindow: 0,
      numActionsSkippedOverlap: 0,
      createdAt: new Date(),
      lastUpdatedAt: undefined,
      runningActions: [],
    },
    raw: {},
    ...over,
  } as ScheduleDescription;
}

describe('CalendarRule -> Temporal calendar spec', () => {
  it('names the months and pins day, hour, minute and second', () => {
    expect(toCalendarSpec({ months: [10, 1, 7, 4], dayOfMonth: 1, hour: 0, minute: 0, timeZone: 'UTC' }, 'Quarterly')).toEqual({
      month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'],
      dayOfMonth: 1,
      hour: 0,
      minute: 0,
      second: 0,
      comment: 'Quarterly',
    });
  });

  it('refuses a month outside 1-12', () => {
    expect(() => toCalendarSpec({ months: [13], dayOfMonth: 1, hour: 0, minute: 0, timeZone: 'UTC' })).toThrow(RangeError);
  });

  it('reads a described calendar back into the same rule', () => {
    const rule = { months: [1, 4, 7, 10], dayOfMonth: 1, hour: 0, minute: 0, timeZone: 'Europe/Berlin' };
    expect(fromCalendarDescription(described(toCalendarSpec(rule)), 'Europe/Berlin')).toEqual(rule);
  });

  it('expands ranges with steps (a server may compact them)', () => {
    const cal = {
      second: [{ start: 0, end: 0, step: 1 }],
      minute: [{ start: 30, end: 30, step: 0 }],
      hour: [{ start: 6, end: 6, step: 1 }],
      dayOfMonth: [{ start: 15, end: 15, step: 1 }],
      month: [{ start: 'JANUARY', end: 'OCTOBER', step: 3 }],
      year: [],
      dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
    } as unknown as CalendarSpecDescription;
    expect(fromCalendarDescription(cal, 'UTC')).toEqual({ months: [1, 4, 7, 10], dayOfMonth: 15, hour: 6, minute: 30, timeZone: 'UTC' });
  });

  it('does not read calendars a cadence would not write', () => {
    const base = described(toCalendarSpec({ months: [3], dayOfMonth: 17, hour: 0, minute: 0, timeZone: 'UTC' }));
    expect(fromCalendarDescription({ ...base, hour: [{ start: 0, end: 23, step: 1 }] }, 'UTC')).toBeUndefined();
    expect(fromCalendarDescription({ ...base, year: [{ start: 2030, end: 2030, step: 1 }] }, 'UTC')).toBeUndefined();
    expect(fromCalendarDescription({ ...base, dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }] }, 'UTC')).toBeUndefined();
    expect(fromCalendarDescription({ ...base, second: [{ start: 30, end: 30, step: 1 }] }, 'UTC')).toBeUndefined();
  });
});

describe('Schedule options of a cadence', () => {
  const [review, aiia] = desiredCadences(entry(), 'Europe/Berlin');

  it('starts cadenceCycle with the cadence id as workflow id, in the org zone, with the chosen policies', () => {
    const o = scheduleOptionsFor(review, 'aims', 0);
    expect(o.scheduleId).toBe(cadenceId('high-risk-review', SYSTEM));
    expect(o.spec.timezone).toBe('Europe/Berlin');
    expect(o.spec.calendars).toHaveLength(1);
    expect(o.action).toEqual({
      type: 'startWorkflow',
      workflowType: 'cadenceCycle',
      workflowId: review.id,
      taskQueue: 'aims',
      args: [{ cadenceId: review.id, kind: 'high-risk-review', systemId: SYSTEM, timeZone: 'Europe/Berlin' }],
    });
    expect(o.policies).toEqual({ overlap: 'BUFFER_ONE', catchupWindow: 30 * 24 * 3600 * 1000, pauseOnFailure: false });
    expect(o.memo).toEqual({ systemId: SYSTEM, kind: 'high-risk-review' });
  });

  it('the yearly AIIA fires on the go-live anniversary', () => {
    expect(toCalendarSpec(aiia.calendar)).toMatchObject({ month: ['MARCH'], dayOfMonth: 17, hour: 0, minute: 0 });
  });

  it('the yearly AIIA Schedule starts the day after go-live, so its first run is the first anniversary', () => {
    expect(scheduleOptionsFor(aiia, 'aims', 0).spec.startAt?.toISOString()).toBe('2025-03-17T23:00:00.000Z'); // 18 March 00:00 CET
    expect(scheduleOptionsFor(review, 'aims', 0).spec.startAt).toBeUndefined();
    expect(isCurrent(describeOf(aiia, 'aims'), aiia, 'aims', 0)).toBe(true);
    // A Schedule made before the rule (no startAt), or after a go-live date changed, is stale: the reconcile updates it.
    const old = describeOf(aiia, 'aims');
    expect(isCurrent({ ...old, spec: { ...old.spec, startAt: undefined } }, aiia, 'aims', 0)).toBe(false);
    const [, moved] = desiredCadences(entry({ goLiveDate: '2025-03-17', createdAt: new Date('2024-01-01T00:00:00Z') }), 'Europe/Berlin');
    expect(isCurrent(describeOf(aiia, 'aims'), moved, 'aims', 0)).toBe(true);
    const [, notLive] = desiredCadences(entry({ goLiveDate: null, lifecycleStage: 'inception' }), 'Europe/Berlin');
    expect(scheduleOptionsFor(notLive, 'aims', 0).spec.startAt).toBeUndefined();
  });

  it('the jitter spreads the runs: 0 to the configured minutes after the calendar time; a Schedule without it is stale', () => {
    const jitterMs = 15 * 60_000;
    expect(scheduleOptionsFor(review, 'aims', jitterMs).spec.jitter).toBe(jitterMs);
    expect(scheduleOptionsFor(aiia, 'aims', jitterMs).spec.jitter).toBe(jitterMs);
    expect('jitter' in scheduleOptionsFor(review, 'aims', 0).spec).toBe(false);
    expect(scheduleUpdateFor(review, 'aims', { state: { paused: false } }, jitterMs).spec.jitter).toBe(jitterMs);
    // Made before the jitter (none described): the reconcile updates it; with it, it is current.
    expect(isCurrent(describeOf(review, 'aims'), review, 'aims', jitterMs)).toBe(false);
    expect(isCurrent(describeOf(review, 'aims', {}, jitterMs), review, 'aims', jitterMs)).toBe(true);
    expect(isCurrent(describeOf(review, 'aims', {}, 5 * 60_000), review, 'aims', jitterMs)).toBe(false);
    // Jitter switched off: a jittered Schedule is stale too.
    expect(isCurrent(describeOf(review, 'aims', {}, jitterMs), review, 'aims', 0)).toBe(false);
  });

  it('an update keeps the paused state and note', () => {
    const u = scheduleUpdateFor(review, 'aims', { state: { paused: true, note: 'frozen' } }, 0);
    expect(u.state).toEqual({ paused: true, note: 'frozen', remainingActions: undefined });
    expect(u.spec.timezone).toBe('Europe/Berlin');
  });

  it('a Schedule that matches its spec is current; any drift makes it stale', () => {
    expect(isCurrent(describeOf(review, 'aims'), review, 'aims', 0)).toBe(true);
    expect(isCurrent(describeOf(review, 'aims'), review, 'other-queue', 0)).toBe(false);
    const [utcReview] = desiredCadences(entry(), 'UTC');
    expect(isCurrent(describeOf(review, 'aims'), utcReview, 'aims', 0)).toBe(false);
    const [renamed] = desiredCadences(entry({ name: 'Credit scoring v2' }), 'Europe/Berlin');
    expect(isCurrent(describeOf(review, 'aims'), renamed, 'aims', 0)).toBe(false);
    const skip = describeOf(review, 'aims', { policies: { overlap: 'SKIP', catchupWindow: 60_000, pauseOnFailure: false } });
    expect(isCurrent(skip, review, 'aims', 0)).toBe(false);
  });

  it('the API view shows the rule, description and Temporal next run times as ISO', () => {
    const v = cadenceView(describeOf(review, 'aims'));
    expect(v).toMatchObject({
      id: review.id,
      kind: 'high-risk-review',
      systemId: SYSTEM,
      description: 'Quarterly high-risk review of Credit scoring',
      calendar: { months: [1, 4, 7, 10], dayOfMonth: 1, hour: 0, minute: 0, timeZone: 'Europe/Berlin' },
      paused: false,
      recentRuns: [],
    });
    expect(v.nextRunTimes[0]).toBe('2026-03-31T22:00:00.000Z'); // 1 April 00:00 CEST
  });
});

describe('cadence ids in paths', () => {
  it('accepts <kind>:<uuid> and org:<kind>', () => {
    expect(parseCadencePathId(`aiia:${SYSTEM}`)).toEqual({ scope: 'system', kind: 'aiia', systemId: SYSTEM });
    expect(parseCadencePathId('org:inventory-recertification')).toEqual({ scope: 'org', kind: 'inventory-recertification' });
  });
  it('the OpenAPI pattern accepts what the parser accepts', () => {
    const pattern = new RegExp(CADENCE_ID_PATTERN);
    for (const id of [`aiia:${SYSTEM}`, `high-risk-review:${SYSTEM}`, 'org:internal-audit', 'org:policy-review'])
      expect(pattern.test(id)).toBe(true);
    for (const id of ['org:', 'org:nope', `org:${SYSTEM}`, 'aiia:x']) expect(pattern.test(id)).toBe(false);
  });
  it.each(['aiia', 'aiia:', `nope:${SYSTEM}`, 'aiia:not-a-uuid', `aiia:${SYSTEM}:x`, '', 'org:', 'org:nope', 'org:internal-audit:x'])(
    'refuses %p with a 400 on id',
    (id) => {
      try {
        parseCadencePathId(id);
        throw new Error('accepted');
      } catch (err: any) {
        expect(err.getStatus?.()).toBe(400);
        expect(err.getResponse().errors[0].field).toBe('id');
      }
    },
  );
});

describe('GET /cadences cursors', () => {
  it('a cursor the list gave reads back as its page token; anything else is a 400 on cursor', () => {
    const token = Buffer.from([1, 2, 3, 250, 0, 7]);
    expect(decodeCursor(encodeCursor(token)).equals(token)).toBe(true);
    for (const bad of ['_1WsVah', 'a', encodeCursor(token).slice(0, -1) + 'A', `${encodeCursor(token)}=`]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
