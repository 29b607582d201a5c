/** Regimes given as data (AIMS_REGIMES_FILE): parsed, checked, merged over the built-in ones. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadApiConfig as loadConfig } from '../../../libs/config';
import { planIncidentReports } from '../../../libs/contracts';
import { HOUR_MS, parseRegimeCatalog, REGIMES, regulatoryLadder, validateLadder } from '../../../libs/domain';

const dora = {
  'dora-art19': {
    name: 'DORA art. 19 (major ICT-related incident)',
    authority: 'competent authority',
    variants: {
      major: {
        label: 'major incident',
        reports: [
          { key: 'initial', label: 'Initial notification', dueAfterHours: 4 },
          { key: 'final', label: 'Final report', dueAfterHours: 720 },
        ],
      },
    },
  },
};

describe('parseRegimeCatalog', () => {
  it('adds a regime beside the built-in ones, deadlines from hours, defaults filled in', () => {
    const parsed = parseRegimeCatalog(dora);
    if (!('catalog' in parsed)) throw new Error(parsed.problems.join('; '));
    expect(Object.keys(parsed.catalog).sort()).toEqual([...Object.keys(REGIMES), 'dora-art19'].sort());
    expect(parsed.catalog['dora-art19']).toEqual({
      id: 'dora-art19',
      name: 'DORA art. 19 (major ICT-related incident)',
      authority: 'competent authority',
      escalateTo: ['governance_lead', 'top_management'],
      defaultVariant: 'major',
      variants: {
        major: {
          label: 'major incident',
          reports: [
            { key: 'initial', label: 'Initial notification', dueAfterMs: 4 * HOUR_MS },
            { key: 'final', label: 'Final report', dueAfterMs: 720 * HOUR_MS },
          ],
        },
      },
    });
  });

  it('an incident naming the new regime gets its clocks with no code change', () => {
    const parsed = parseRegimeCatalog(dora);
    if (!('catalog' in parsed)) throw new Error('expected a catalog');
    const detected = new Date('2026-11-20T10:00:00Z');
    const plan = planIncidentReports('inc-9', detected, [{ id: 'dora-art19' }], parsed.catalog);
    if (!('reports' in plan)) throw new Error('expected reports');
    expect(plan.reports.filter((r) => r.kind === 'regulatory-report').map((r) => [r.taskId, r.dueAt])).toEqual([
      ['regulatory-report:inc-9:dora-art19:initial', '2026-11-20T14:00:00.000Z'],
      ['regulatory-report:inc-9:dora-art19:final', '2026-12-20T10:00:00.000Z'],
    ]);
  });

  it('names every problem at once', () => {
    const parsed = parseRegimeCatalog({
      'Bad Id': { name: '', variants: {} },
      ok: {
        name: 'n',
        authority: 'a',
        escalateTo: ['ceo'],
        defaultVariant: 'nope',
        variants: {
          v: {
            reports: [
              { key: 'r', label: '', dueAfterHours: 0 },
              { key: 'r', label: 'x', dueAfterHours: 1 },
            ],
          },
        },
      },
    });
    expect('problems' in parsed && parsed.problems).toEqual([
      'regime Bad Id: the id must be lower-case letters, digits and dashes',
      'regime Bad Id: name is required',
      'regime Bad Id: authority is required',
      'regime Bad Id: variants must name at least one variant',
      'regime ok: escalateTo may hold only owner, manager, governance_lead, top_management',
      'regime ok variant v report 0: label is required',
      'regime ok variant v report 0: dueAfterHours must be between 1 and 8784',
      'regime ok variant v report 1: key must be unique, lower-case letters, digits and dashes',
      'regime ok: defaultVariant nope is not one of its variants',
    ]);
    expect(parseRegimeCatalog([])).toEqual({ problems: ['the regimes file must hold a JSON object of regimes by id'] });
  });

  it('a regime that names the responder (owner) again, or a level twice, tells each level once at the deadline', () => {
    const regime = (escalateTo: string[]) => ({
      x: { name: 'n', authority: 'a', escalateTo, variants: { v: { reports: [{ key: 'r', label: 'R', dueAfterHours: 24 }] } } },
    });
    for (const escalateTo of [['owner', 'governance_lead'], ['governance_lead', 'governance_lead'], []]) {
      expect('catalog' in parseRegimeCatalog(regime(escalateTo))).toBe(true);
    }
    const ladder = regulatoryLadder(24 * HOUR_MS, ['owner', 'governance_lead', 'governance_lead']);
    expect(ladder.find((step) => step.action === 'breach')!.levels).toEqual(['owner', 'governance_lead']);
    expect(validateLadder(ladder)).toEqual([]);
  });
});

describe('AIMS_REGIMES_FILE in the API configuration', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-regimes-'));
  const env = (file?: string) => ({ DATABASE_URL: 'postgres://x@localhost/aims', ...(file ? { AIMS_REGIMES_FILE: file } : {}) });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('without it, the built-in regimes', () => {
    expect(loadConfig(env()).regimes).toBe(REGIMES);
  });

  it('a good file adds its regimes', () => {
    const file = path.join(dir, 'good.json');
    fs.writeFileSync(file, JSON.stringify(dora));
    expect(Object.keys(loadConfig(env(file)).regimes)).toContain('dora-art19');
  });

  it('a bad or missing file stops the start with the reasons', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ x: { variants: {} } }));
    expect(() => loadConfig(env(bad))).toThrow(/AIMS_REGIMES_FILE .*bad\.json: regime x: name is required/);
    expect(() => loadConfig(env(path.join(dir, 'missing.json')))).toThrow(/AIMS_REGIMES_FILE .*missing\.json cannot be read as JSON/);
  });
});
