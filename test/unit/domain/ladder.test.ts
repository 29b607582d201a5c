import {
  DAY_MS,
  DEFAULT_LADDER,
  dueOccurrences,
  HOUR_MS,
  INCIDENT_REPORT_LADDER,
  Ladder,
  nextOccurrence,
  REGIMES,
  regulatoryLadder,
  validateLadder,
} from '../../../libs/domain';

const due = new Date('2026-10-31T00:00:00Z');
const at = (days: number) => new Date(due.getTime() + days * DAY_MS);

describe('the default ladder (AIMS-DOMAIN.md)', () => {
  it('reminds 14, 3, 1 days before and on the due day, then escalates at +3, +7, +14 days', () => {
    const fired = new Set<string>();
    const seen: Array<[string, number, string[]]> = [];
    for (let next = nextOccurrence(DEFAULT_LADDER, due, fired); next; next = nextOccurrence(DEFAULT_LADDER, due, fired)) {
      fired.add(next.key);
      seen.push([next.key, (next.at.getTime() - due.getTime()) / DAY_MS, next.step.levels]);
    }
    expect(seen).toEqual([
      ['remind-14d-before', -14, ['owner']],
      ['remind-3d-before', -3, ['owner']],
      ['remind-1d-before', -1, ['owner']],
      ['remind-due', 0, ['owner']],
      ['escalate-manager', 3, ['manager']],
      ['escalate-governance-lead', 7, ['governance_lead']],
      ['escalate-top-management', 14, ['top_management']],
    ]);
  });

  it('fires the step whose time has come', () => {
    const { fire, skip } = dueOccurrences(DEFAULT_LADDER, due, new Set(), at(-14));
    expect(fire.map((o) => o.key)).toEqual(['remind-14d-before']);
    expect(skip).toEqual([]);
  });

  it('work opened 10 days before due skips the stale 14-day reminder', () => {
    const { fire, skip } = dueOccurrences(DEFAULT_LADDER, due, new Set(), at(-10));
    expect(fire).toEqual([]);
    expect(skip.map((o) => o.key)).toEqual(['remind-14d-before']);
  });

  it('work opened 8 days overdue escalates at once to manager and governance lead, reminders are skipped', () => {
    const { fire, skip } = dueOccurrences(DEFAULT_LADDER, due, new Set(), at(8));
    expect(fire.map((o) => o.key)).toEqual(['escalate-manager', 'escalate-governance-lead']);
    expect(skip.map((o) => o.key)).toEqual(['remind-14d-before', 'remind-3d-before', 'remind-1d-before', 'remind-due']);
  });

  it('after an outage only the latest reminder is sent, and only if it is fresh', () => {
    const fired = new Set(['remind-14d-before']);
    const fresh = dueOccurrences(DEFAULT_LADDER, due, fired, new Date(at(-1).getTime() + 30 * 60_000));
    expect(fresh.fire.map((o) => o.key)).toEqual(['remind-1d-before']);
    expect(fresh.skip.map((o) => o.key)).toEqual(['remind-3d-before']);
    const stale = dueOccurrences(DEFAULT_LADDER, due, fired, new Date(at(-1).getTime() + 2 * HOUR_MS));
    expect(stale.fire).toEqual([]);
  });

  it('never returns an occurrence already fired', () => {
    const all = new Set(DEFAULT_LADDER.map((s) => s.key));
    expect(nextOccurrence(DEFAULT_LADDER, due, all)).toBeUndefined();
  });
});

describe('the incident report ladder', () => {
  const detected = new Date('2026-11-20T09:00:00Z');
  const deadline = new Date(detected.getTime() + 72 * HOUR_MS);

  it('reminds at 24, 48, 60 and 68 hours, breaches at 72 and keeps reminding every 12 hours', () => {
    const fired = new Set<string>();
    const hours: Array<[string, number]> = [];
    for (let i = 0; i < 8; i++) {
      const next = nextOccurrence(INCIDENT_REPORT_LADDER, deadline, fired)!;
      fired.add(next.key);
      hours.push([next.key, (next.at.getTime() - detected.getTime()) / HOUR_MS]);
    }
    expect(hours).toEqual([
      ['remind-24h', 24],
      ['remind-48h', 48],
      ['remind-60h', 60],
      ['remind-68h', 68],
      ['breach-72h', 72],
      ['remind-after-breach', 84],
      ['remind-after-breach#1', 96],
      ['remind-after-breach#2', 108],
    ]);
  });

  it('an incident opened after its 72 hours breaches at once', () => {
    const { fire } = dueOccurrences(INCIDENT_REPORT_LADDER, deadline, new Set(), new Date(deadline.getTime() + 5 * HOUR_MS));
    expect(fire.map((o) => o.key)).toEqual(['breach-72h']);
    expect(fire[0].step.levels).toEqual(['owner', 'governance_lead', 'top_management']);
  });

  it('validates ladders given as data', () => {
    expect(validateLadder(DEFAULT_LADDER)).toEqual([]);
    expect(validateLadder(INCIDENT_REPORT_LADDER)).toEqual([]);
    expect(
      validateLadder([
        { key: 'a', offsetMs: 0, action: 'remind', levels: ['owner'] },
        { key: 'a', offsetMs: 0, action: 'remind', levels: [], repeatEveryMs: 1000 },
      ]),
    ).toEqual(['step 1: duplicate key a', 'step 1: at least one level', 'step 1: repeatEveryMs must be at least an hour']);
  });

  it('every built-in ladder is valid: the default, the incident report, each regime report', () => {
    const builtIn: Array<[string, Ladder]> = [
      ['DEFAULT_LADDER', DEFAULT_LADDER],
      ['INCIDENT_REPORT_LADDER', INCIDENT_REPORT_LADDER],
    ];
    for (const regime of Object.values(REGIMES)) {
      for (const [variant, { reports }] of Object.entries(regime.variants)) {
        for (const r of reports) builtIn.push([`${regime.id} ${variant} ${r.key}`, regulatoryLadder(r.dueAfterMs, regime.escalateTo)]);
      }
    }
    expect(builtIn.filter(([, ladder]) => validateLadder(ladder).length)).toEqual([]);
  });

  it('a regulatory ladder is valid for every window the regimes file allows (1 to 8784 hours)', () => {
    for (const hours of [1, 1.5, 2, 24, 72, 72 + 30 * 24, 8784]) {
      expect([hours, validateLadder(regulatoryLadder(hours * HOUR_MS, ['governance_lead', 'top_management']))]).toEqual([hours, []]);
    }
  });

  it('names unknown actions and levels, a level listed twice and a key that could clash with an occurrence key', () => {
    const data = [
      { key: 'r#1', offsetMs: 0, action: 'nag', levels: ['owner', 'ceo'] },
      { key: 'b', offsetMs: 0, action: 'breach', levels: ['owner', 'owner'] },
    ] as unknown as Ladder;
    expect(validateLadder(data)).toEqual([
      'step 0: key "r#1" may hold only letters, digits, dashes and underscores',
      'step 0: action must be one of remind, escalate, breach',
      'step 0: unknown level "ceo"; levels: owner, manager, governance_lead, top_management',
      'step 1: level owner is listed twice',
    ]);
    expect(validateLadder({} as unknown as Ladder)).toEqual(['a ladder must be a list of steps']);
  });
});
