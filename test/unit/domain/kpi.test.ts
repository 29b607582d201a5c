import { HOUR_MS, hoursOrNull, MINUTE_MS, percentOrNull } from '../../../libs/domain';

describe('percentOrNull', () => {
  it('is a percentage with one decimal', () => {
    expect(percentOrNull(1, 3)).toBe(33.3);
    expect(percentOrNull(2, 3)).toBe(66.7);
    expect(percentOrNull(0, 5)).toBe(0);
    expect(percentOrNull(5, 5)).toBe(100);
    expect(percentOrNull(3, 2)).toBe(150);
  });

  it('is null when there is nothing to measure', () => {
    expect(percentOrNull(0, 0)).toBeNull();
    expect(percentOrNull(3, 0)).toBeNull();
    expect(percentOrNull(1, -1)).toBeNull();
  });
});

describe('hoursOrNull', () => {
  it('is a duration in hours with one decimal (a mean the database computed)', () => {
    expect(hoursOrNull(1.5 * HOUR_MS)).toBe(1.5);
    expect(hoursOrNull(90 * MINUTE_MS)).toBe(1.5);
    expect(hoursOrNull(20 * MINUTE_MS)).toBe(0.3);
    expect(hoursOrNull((4 * HOUR_MS) / 3)).toBe(1.3);
    expect(hoursOrNull(0)).toBe(0);
  });

  it('is null when nothing was measured', () => {
    expect(hoursOrNull(null)).toBeNull();
    expect(hoursOrNull(Number.NaN)).toBeNull();
  });
});
