import { DAY_MS, HOUR_MS, nextOccurrence, REGIMES, regulatoryLadder, resolveRegime } from '../../../libs/domain';

const detected = new Date('2026-11-20T09:00:00Z');
const hoursAfter = (iso: string) => (Date.parse(iso) - detected.getTime()) / HOUR_MS;

describe('regulatory regimes as data', () => {
  it('EU AI Act art. 73: 15 days, 10 where a person died, 2 for a widespread infringement', () => {
    const due = (variant?: string) => {
      const r = resolveRegime('eu-ai-act-art73', variant, detected);
      if ('error' in r) throw new Error(r.error);
      return r.reports.map((x) => [x.key, hoursAfter(x.dueAt) / 24]);
    };
    expect(due()).toEqual([['report', 15]]);
    expect(due('death')).toEqual([['report', 10]]);
    expect(due('widespread')).toEqual([['report', 2]]);
  });

  it('GDPR art. 33: the supervisory authority within 72 hours', () => {
    const r = resolveRegime('gdpr-art33', undefined, detected);
    expect('reports' in r && r.reports.map((x) => [x.key, hoursAfter(x.dueAt)])).toEqual([['notification', 72]]);
  });

  it('NIS2 art. 23: early warning at 24 h, notification at 72 h, final report a month after the notification', () => {
    const r = resolveRegime('nis2-art23', undefined, detected);
    expect('reports' in r && r.reports.map((x) => [x.key, hoursAfter(x.dueAt)])).toEqual([
      ['early-warning', 24],
      ['notification', 72],
      ['final-report', 72 + 30 * 24],
    ]);
  });

  it('unknown regimes and variants are refused with what is known', () => {
    expect(resolveRegime('ccpa', undefined, detected)).toEqual({
      error: expect.stringContaining('unknown regime ccpa; known: eu-ai-act-art73'),
    });
    expect(resolveRegime('gdpr-art33', 'death', detected)).toEqual({ error: expect.stringContaining('no variant death; known: standard') });
  });

  it('a new regime is an entry, not code', () => {
    const custom = {
      ...REGIMES,
      'dora-art19': {
        ...REGIMES['gdpr-art33'],
        id: 'dora-art19',
        variants: {
          standard: { label: 'major ICT incident', reports: [{ key: 'initial', label: 'Initial notification', dueAfterMs: 4 * HOUR_MS }] },
        },
      },
    };
    const r = resolveRegime('dora-art19', undefined, detected, custom);
    expect('reports' in r && r.reports.map((x) => hoursAfter(x.dueAt))).toEqual([4]);
  });

  it('a regulatory ladder reminds at half and five sixths of the window, breaches at the deadline, then repeats', () => {
    const window = 15 * DAY_MS;
    const due = new Date(detected.getTime() + window);
    const ladder = regulatoryLadder(window, ['governance_lead', 'top_management']);
    const fired = new Set<string>();
    const seen: Array<[string, number, string[]]> = [];
    for (let i = 0; i < 5; i++) {
      const next = nextOccurrence(ladder, due, fired)!;
      fired.add(next.key);
      seen.push([next.key, (next.at.getTime() - detected.getTime()) / HOUR_MS, next.step.levels]);
    }
    expect(seen).toEqual([
      ['remind-half-window', 180, ['owner']],
      ['remind-last-sixth', 300, ['owner']],
      ['breach-deadline', 360, ['owner', 'governance_lead', 'top_management']],
      ['remind-after-breach', 372, ['owner']],
      ['remind-after-breach#1', 384, ['owner']],
    ]);
  });
});
