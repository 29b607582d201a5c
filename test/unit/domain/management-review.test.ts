/** The management review's rules: what a decision must hold (9.3.3), and where a first review's "since" lies. */
import { managementReviewMeetingTaskId, parseManagementReviewMeetingTaskId } from '../../../libs/contracts';
import { decisionProblems, MAX_REVIEW_DECISIONS, previousPeriodOpening, zonedTimeToInstant } from '../../../libs/domain';

const NOW = new Date('2026-11-15T10:00:00Z');
const later = '2027-01-31T17:00:00Z';
const fields = (decisions: unknown) => decisionProblems(decisions, NOW).map((p) => p.field);

describe('decisionProblems', () => {
  it('accepts decisions with and without an action', () => {
    expect(
      decisionProblems(
        [
          { text: 'Monitor drift', type: 'improvement', action: { title: 'Roll out', ownerId: 'p-1', dueAt: later } },
          { text: 'Keep the policy', type: 'aims-change' },
          { text: 'One more auditor', type: 'resources', action: null },
        ],
        NOW,
      ),
    ).toEqual([]);
  });

  it('names each field that is wrong', () => {
    expect(fields(undefined)).toEqual(['decisions']);
    expect(fields([])).toEqual(['decisions']);
    expect(fields(Array.from({ length: MAX_REVIEW_DECISIONS + 1 }, () => ({ text: 'x', type: 'improvement' })))).toEqual(['decisions']);
    expect(fields([null])).toEqual(['decisions[0]']);
    expect(fields([{ text: ' ', type: 'budget' }])).toEqual(['decisions[0].text', 'decisions[0].type']);
    expect(
      fields([
        { text: 'x', type: 'improvement' },
        { text: 'y', type: 'resources', action: { title: '', ownerId: '', dueAt: 'soon' } },
      ]),
    ).toEqual(['decisions[1].action.title', 'decisions[1].action.ownerId', 'decisions[1].action.dueAt']);
  });

  it('refuses an action due now or earlier, accepts one a millisecond later', () => {
    const at = (ms: number) => [
      { text: 'x', type: 'improvement', action: { title: 't', ownerId: 'p', dueAt: new Date(NOW.getTime() + ms).toISOString() } },
    ];
    expect(fields(at(0))).toEqual(['decisions[0].action.dueAt']);
    expect(fields(at(-1))).toEqual(['decisions[0].action.dueAt']);
    expect(fields(at(1))).toEqual([]);
  });
});

describe('previousPeriodOpening', () => {
  it('is as many calendar months back as the period is long, at local midnight', () => {
    const tz = 'Europe/Amsterdam';
    const nov = (y: number) => zonedTimeToInstant(y, 11, 1, 0, 0, tz);
    expect(previousPeriodOpening(nov(2026), nov(2027), tz)).toEqual(nov(2025));
    // A six-monthly review opened in July (summer time) looks back to January (winter time).
    const jul = zonedTimeToInstant(2026, 7, 1, 0, 0, tz);
    const jan = zonedTimeToInstant(2026, 1, 1, 0, 0, tz);
    expect(previousPeriodOpening(jul, zonedTimeToInstant(2027, 1, 1, 0, 0, tz), tz)).toEqual(jan);
    // A quarterly one in Sydney.
    const syd = 'Australia/Sydney';
    expect(previousPeriodOpening(zonedTimeToInstant(2026, 4, 1, 0, 0, syd), zonedTimeToInstant(2026, 7, 1, 0, 0, syd), syd)).toEqual(
      zonedTimeToInstant(2026, 1, 1, 0, 0, syd),
    );
  });
});

describe('meeting task ids', () => {
  it('read back to their review', () => {
    expect(parseManagementReviewMeetingTaskId(managementReviewMeetingTaskId('2026'))).toBe('management-review:2026');
    expect(parseManagementReviewMeetingTaskId(managementReviewMeetingTaskId('2026-07'))).toBe('management-review:2026-07');
    expect(parseManagementReviewMeetingTaskId('management-review-action:2026:1')).toBeUndefined();
    expect(parseManagementReviewMeetingTaskId('management-review:2026')).toBeUndefined();
  });
});
