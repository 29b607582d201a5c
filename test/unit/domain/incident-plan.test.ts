import {
  IncidentInput,
  IncidentPlanResult,
  IncidentReportPlan,
  initialIncidentStatus,
  planIncidentReports,
  RegimeChoice,
} from '../../../libs/contracts';
import { DAY_MS, DEFAULT_LADDER, HOUR_MS, INCIDENT_REPORT_LADDER, Regime, REGIMES, regulatoryLadder } from '../../../libs/domain';

const incidentId = '7a0e1c2d-0000-4000-8000-0000000000a1';
const detected = new Date('2026-11-20T09:00:00Z');
const after = (ms: number) => new Date(detected.getTime() + ms).toISOString();

function planned(choices: RegimeChoice[], catalog?: Record<string, Regime>) {
  const r: IncidentPlanResult = planIncidentReports(incidentId, detected, choices, catalog);
  if ('problems' in r) throw new Error(`unexpected problems: ${JSON.stringify(r.problems)}`);
  return r;
}
const regulatory = (reports: IncidentReportPlan[]) => reports.filter((r) => r.kind === 'regulatory-report');
const breachStep = (r: IncidentReportPlan) => r.ladder.find((s) => s.action === 'breach');

describe('planIncidentReports: the internal reports', () => {
  it('without regimes: a draft due 72 hours after detection, then the final report 30 days after it', () => {
    const { reports, regimes } = planned([]);
    expect(regimes).toEqual([]);
    expect(reports).toHaveLength(2);
    const [draft, final] = reports;
    expect(draft).toEqual({
      key: 'draft',
      kind: 'incident-report',
      label: expect.any(String),
      taskId: `incident-report:${incidentId}:draft`,
      dueAt: '2026-11-23T09:00:00.000Z',
      ladder: INCIDENT_REPORT_LADDER,
    });
    expect(draft.dueAt).toBe(after(72 * HOUR_MS));
    expect(draft).not.toHaveProperty('after');
    expect(draft).not.toHaveProperty('regime');
    expect(final).toEqual({
      key: 'final',
      kind: 'incident-report',
      label: expect.any(String),
      taskId: `incident-report:${incidentId}:final`,
      dueAt: after(30 * DAY_MS),
      ladder: DEFAULT_LADDER,
      after: 'draft',
    });
    expect(final.dueAt).toBe('2026-12-20T09:00:00.000Z');
  });

  it('the draft report breaches at its 72-hour deadline', () => {
    const [draft] = planned([]).reports;
    expect(breachStep(draft)).toMatchObject({ offsetMs: 0, levels: ['owner', 'governance_lead', 'top_management'] });
  });

  it('regulatory reports come after the internal ones', () => {
    const { reports } = planned([{ id: 'gdpr-art33' }]);
    expect(reports.map((r) => r.key)).toEqual(['draft', 'final', 'gdpr-art33:notification']);
  });
});

describe('planIncidentReports: regimes', () => {
  const art73 = REGIMES['eu-ai-act-art73'];

  it.each([
    [undefined, 'standard', 15],
    ['standard', 'standard', 15],
    ['death', 'death', 10],
    ['widespread', 'widespread', 2],
  ])('EU AI Act art. 73, variant %s: one report %s days after detection', (variant, resolved, days) => {
    const choice: RegimeChoice = variant === undefined ? { id: 'eu-ai-act-art73' } : { id: 'eu-ai-act-art73', variant };
    const { reports, regimes } = planned([choice]);
    expect(regimes).toEqual([{ id: 'eu-ai-act-art73', variant: resolved }]);
    const reg = regulatory(reports);
    expect(reg).toHaveLength(1);
    expect(reg[0]).toEqual({
      key: 'eu-ai-act-art73:report',
      kind: 'regulatory-report',
      label: expect.stringContaining(art73.name),
      taskId: `regulatory-report:${incidentId}:eu-ai-act-art73:report`,
      dueAt: after(days * DAY_MS),
      ladder: regulatoryLadder(days * DAY_MS, art73.escalateTo),
      regime: { id: 'eu-ai-act-art73', variant: resolved, name: art73.name, authority: art73.authority },
    });
    expect(reg[0]).not.toHaveProperty('after');
  });

  it('GDPR art. 33: a notification 72 hours after detection', () => {
    const { reports, regimes } = planned([{ id: 'gdpr-art33' }]);
    expect(regimes).toEqual([{ id: 'gdpr-art33', variant: 'standard' }]);
    expect(regulatory(reports).map((r) => [r.key, r.taskId, r.dueAt])).toEqual([
      ['gdpr-art33:notification', `regulatory-report:${incidentId}:gdpr-art33:notification`, after(72 * HOUR_MS)],
    ]);
  });

  it('NIS2 art. 23: early warning at 24 h, notification at 72 h, final report one month after the notification', () => {
    const { reports, regimes } = planned([{ id: 'nis2-art23' }]);
    expect(regimes).toEqual([{ id: 'nis2-art23', variant: 'standard' }]);
    expect(regulatory(reports).map((r) => [r.key, r.taskId, r.dueAt])).toEqual([
      ['nis2-art23:early-warning', `regulatory-report:${incidentId}:nis2-art23:early-warning`, after(24 * HOUR_MS)],
      ['nis2-art23:notification', `regulatory-report:${incidentId}:nis2-art23:notification`, after(72 * HOUR_MS)],
      // Provisional, while the notification is not in: one calendar month after its deadline.
      ['nis2-art23:final-report', `regulatory-report:${incidentId}:nis2-art23:final-report`, '2026-12-23T09:00:00.000Z'],
    ]);
    const final = regulatory(reports).find((r) => r.key === 'nis2-art23:final-report')!;
    expect(final).toMatchObject({ after: 'nis2-art23:notification', dueAfterSubmission: { months: 1 } });
    for (const r of regulatory(reports))
      expect(r.regime).toEqual({
        id: 'nis2-art23',
        variant: 'standard',
        name: REGIMES['nis2-art23'].name,
        authority: REGIMES['nis2-art23'].authority,
      });
  });

  it('several regimes together: every report once, in the order asked, with distinct task ids', () => {
    const { reports, regimes } = planned([{ id: 'nis2-art23' }, { id: 'eu-ai-act-art73', variant: 'death' }, { id: 'gdpr-art33' }]);
    expect(regimes).toEqual([
      { id: 'nis2-art23', variant: 'standard' },
      { id: 'eu-ai-act-art73', variant: 'death' },
      { id: 'gdpr-art33', variant: 'standard' },
    ]);
    expect(reports.map((r) => r.key)).toEqual([
      'draft',
      'final',
      'nis2-art23:early-warning',
      'nis2-art23:notification',
      'nis2-art23:final-report',
      'eu-ai-act-art73:report',
      'gdpr-art33:notification',
    ]);
    expect(new Set(reports.map((r) => r.taskId)).size).toBe(reports.length);
    expect(new Set(reports.map((r) => r.key)).size).toBe(reports.length);
  });

  it("each regulatory ladder is sized to its own window, breaches at the deadline and escalates to the regime's levels", () => {
    const { reports } = planned([{ id: 'nis2-art23' }, { id: 'eu-ai-act-art73', variant: 'widespread' }, { id: 'gdpr-art33' }]);
    for (const r of regulatory(reports)) {
      const regime = REGIMES[r.regime!.id];
      // A report counted after another one's submission: its window starts at that one's deadline.
      const start = r.after ? Date.parse(reports.find((x) => x.key === r.after)!.dueAt) : detected.getTime();
      const window = Date.parse(r.dueAt) - start;
      expect(r.ladder).toEqual(regulatoryLadder(window, regime.escalateTo));
      expect(breachStep(r)).toMatchObject({ offsetMs: 0, levels: ['owner', ...regime.escalateTo] });
      // Nothing fires before detection.
      for (const step of r.ladder) expect(Date.parse(r.dueAt) + step.offsetMs).toBeGreaterThanOrEqual(detected.getTime());
    }
  });
});

describe('planIncidentReports: problems', () => {
  it('an unknown regime is a problem with its id, at its index', () => {
    expect(planIncidentReports(incidentId, detected, [{ id: 'gdpr-art33' }, { id: 'ccpa' }])).toEqual({
      problems: [{ index: 1, field: 'id', message: expect.stringContaining('unknown regime ccpa') }],
    });
  });

  it('an unknown variant of a known regime is a problem with its variant', () => {
    expect(planIncidentReports(incidentId, detected, [{ id: 'gdpr-art33', variant: 'death' }])).toEqual({
      problems: [{ index: 0, field: 'variant', message: expect.stringContaining('no variant death') }],
    });
  });

  it('a regime listed twice is a problem, even with different variants', () => {
    expect(planIncidentReports(incidentId, detected, [{ id: 'eu-ai-act-art73' }, { id: 'eu-ai-act-art73', variant: 'death' }])).toEqual({
      problems: [{ index: 1, field: 'id', message: expect.stringContaining('listed twice') }],
    });
  });

  it('collects every problem and plans nothing', () => {
    const r = planIncidentReports(incidentId, detected, [
      { id: 'ccpa' },
      { id: 'gdpr-art33', variant: 'x' },
      { id: 'nis2-art23' },
      { id: 'ccpa' },
    ]);
    expect(r).not.toHaveProperty('reports');
    expect('problems' in r && r.problems.map((p) => [p.index, p.field])).toEqual([
      [0, 'id'],
      [1, 'variant'],
      [3, 'id'],
    ]);
  });

  // An id or variant naming a property every object inherits is a problem, never a crash.
  it.each([
    [{ id: 'constructor' }, 'id'],
    [{ id: '__proto__' }, 'id'],
    [{ id: 'gdpr-art33', variant: 'toString' }, 'variant'],
  ])('an id or variant naming an inherited property is a problem, not a crash: %j', (choice: RegimeChoice, field: string) => {
    const result = planIncidentReports(incidentId, detected, [choice]);
    expect('problems' in result && result.problems.map((p) => p.field)).toEqual([field]);
  });
});

describe('planIncidentReports: adding a regime is data', () => {
  const dora: Regime = {
    id: 'dora-art19',
    name: 'DORA art. 19 (major ICT-related incident)',
    authority: 'competent authority',
    escalateTo: ['top_management'],
    defaultVariant: 'major',
    variants: {
      major: {
        label: 'major ICT-related incident',
        reports: [
          { key: 'initial', label: 'Initial notification', dueAfterMs: 4 * HOUR_MS },
          { key: 'intermediate', label: 'Intermediate report', dueAfterMs: 72 * HOUR_MS },
        ],
      },
      recurring: { label: 'recurring incidents', reports: [{ key: 'initial', label: 'Initial notification', dueAfterMs: 24 * HOUR_MS }] },
    },
  };
  const catalog = { ...REGIMES, [dora.id]: dora };

  it('a regime passed in the catalog plans its reports with no code change', () => {
    const { reports, regimes } = planned([{ id: 'dora-art19' }, { id: 'gdpr-art33' }], catalog);
    expect(regimes).toEqual([
      { id: 'dora-art19', variant: 'major' },
      { id: 'gdpr-art33', variant: 'standard' },
    ]);
    const reg = regulatory(reports);
    expect(reg.map((r) => [r.key, r.taskId, r.dueAt])).toEqual([
      ['dora-art19:initial', `regulatory-report:${incidentId}:dora-art19:initial`, after(4 * HOUR_MS)],
      ['dora-art19:intermediate', `regulatory-report:${incidentId}:dora-art19:intermediate`, after(72 * HOUR_MS)],
      ['gdpr-art33:notification', `regulatory-report:${incidentId}:gdpr-art33:notification`, after(72 * HOUR_MS)],
    ]);
    expect(reg[0].label).toBe(`Initial notification, ${dora.name}`);
    expect(reg[0].regime).toEqual({ id: 'dora-art19', variant: 'major', name: dora.name, authority: dora.authority });
    expect(reg[0].ladder).toEqual(regulatoryLadder(4 * HOUR_MS, ['top_management']));
    expect(breachStep(reg[0])).toMatchObject({ offsetMs: 0, levels: ['owner', 'top_management'] });
  });

  it('its variants and its problems work the same way', () => {
    expect(regulatory(planned([{ id: 'dora-art19', variant: 'recurring' }], catalog).reports).map((r) => [r.key, r.dueAt])).toEqual([
      ['dora-art19:initial', after(24 * HOUR_MS)],
    ]);
    expect(planIncidentReports(incidentId, detected, [{ id: 'dora-art19', variant: 'minor' }], catalog)).toEqual({
      problems: [{ index: 0, field: 'variant', message: expect.stringContaining('no variant minor') }],
    });
  });

  it('a catalog is all there is: the built-in regimes are unknown to a catalog without them', () => {
    expect(planIncidentReports(incidentId, detected, [{ id: 'gdpr-art33' }], { [dora.id]: dora })).toEqual({
      problems: [{ index: 0, field: 'id', message: expect.stringContaining('unknown regime gdpr-art33; known: dora-art19') }],
    });
    // ...and the default catalog does not know the new one.
    expect(planIncidentReports(incidentId, detected, [{ id: 'dora-art19' }])).toEqual({
      problems: [expect.objectContaining({ index: 0, field: 'id' })],
    });
  });
});

describe('initialIncidentStatus', () => {
  const { reports, regimes } = planned([{ id: 'nis2-art23' }, { id: 'gdpr-art33' }]);
  const input: IncidentInput = {
    incidentId,
    system: { id: 'sys-1', name: 'Support chatbot' },
    title: 'Chatbot disclosed customer data',
    description: 'Another customer’s order history was shown.',
    severity: 'high',
    detectedAt: detected.toISOString(),
    responderId: 'person-responder',
    openedBy: 'person-lead',
    regimes,
    reports,
  };
  const openedAt = '2026-11-20T09:05:00.000Z';
  const status = initialIncidentStatus(input, openedAt);

  it('reports that wait for none are open; one that comes after another is waiting', () => {
    expect(status.reports.map((r) => [r.key, r.state])).toEqual([
      ['draft', 'open'],
      ['final', 'waiting'],
      ['nis2-art23:early-warning', 'open'],
      ['nis2-art23:notification', 'open'],
      ['nis2-art23:final-report', 'waiting'],
      ['gdpr-art33:notification', 'open'],
    ]);
    expect(status.reports.find((r) => r.key === 'final')?.after).toBe('draft');
  });

  it('keeps each report as planned, without its ladder', () => {
    status.reports.forEach((r, i) => {
      expect(r).not.toHaveProperty('ladder');
      const { ladder: _ladder, ...plan } = reports[i];
      expect(r).toEqual({ ...plan, state: r.state });
    });
    // The plan itself is untouched.
    expect(reports.every((r) => Array.isArray(r.ladder))).toBe(true);
  });

  it('starts open at version 0 with nothing acknowledged, contained or closed', () => {
    expect(status).toMatchObject({
      incidentId,
      system: input.system,
      title: input.title,
      description: input.description,
      severity: 'high',
      detectedAt: input.detectedAt,
      openedAt,
      openedBy: 'person-lead',
      responderId: 'person-responder',
      regimes,
      state: 'open',
      severityChanges: [],
      version: 0,
    });
    for (const field of ['acknowledgedAt', 'containment', 'closedAt', 'closingSummary']) expect(status).not.toHaveProperty(field);
    expect(status.system).not.toBe(input.system);
    expect(status.regimes).not.toBe(input.regimes);
  });
});
