/** Forms as data: the built-in catalog, AIMS_FORMS_FILE parsed and merged over it, and which form a task takes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadApiConfig } from '../../../libs/config';
import { correctiveStepTaskId, formKindOfTask, incidentReportTaskId } from '../../../libs/contracts';
import { FORM_KINDS, FORMS, parseFormCatalog, TASK_KINDS, validateAnswers } from '../../../libs/domain';

const riskForm = {
  'root-cause': {
    version: 1,
    title: 'Root cause analysis',
    fields: [
      { name: 'method', label: 'Method', type: 'select', required: true, options: [{ value: '5-whys', label: 'Five whys' }] },
      { name: 'cause', label: 'Root cause', type: 'textarea', required: true },
      { name: 'ref', label: 'Ticket', type: 'text' },
    ],
  },
};

describe('the built-in forms', () => {
  it('read back through the parser unchanged (the catalog holds its own rules)', () => {
    expect(parseFormCatalog(JSON.parse(JSON.stringify(FORMS)), {})).toEqual({ catalog: FORMS });
  });

  it('one per kind of submitted work named by the issue, each under its own kind, version 1', () => {
    expect(Object.keys(FORMS).sort()).toEqual(
      ['aiia', 'audit-finding', 'effectiveness-check', 'high-risk-review', 'incident-report', 'regulatory-report'].sort(),
    );
    for (const [kind, form] of Object.entries(FORMS)) {
      expect(form.kind).toBe(kind);
      expect(form.version).toBe(1);
      expect(FORM_KINDS).toContain(kind);
    }
  });

  it('the high-risk review shows each area was looked at, with a finding, and a conclusion', () => {
    const required = FORMS['high-risk-review'].fields.filter((f) => f.required).map((f) => f.name);
    // Each area: an answer and what was found.
    expect(required).toEqual([
      'performance',
      'performanceFinding',
      'contextOfUse',
      'contextFinding',
      'newThreats',
      'threatsFinding',
      'dataDrift',
      'driftFinding',
      'conclusion',
    ]);
  });

  it("the effectiveness check's outcome is the corrective action's", () => {
    const outcome = FORMS['effectiveness-check'].fields.find((f) => f.name === 'outcome')!;
    expect(outcome).toMatchObject({ type: 'select', required: true });
    expect(outcome.options!.map((o) => o.value)).toEqual(['effective', 'not_effective']);
  });
});

describe('parseFormCatalog', () => {
  it('adds a form for a kind without one, defaults filled in (required false, a text’s maxLength)', () => {
    const parsed = parseFormCatalog(riskForm);
    if (!('catalog' in parsed)) throw new Error(parsed.problems.join('; '));
    expect(Object.keys(parsed.catalog).sort()).toEqual([...Object.keys(FORMS), 'root-cause'].sort());
    expect(parsed.catalog['root-cause']).toEqual({
      kind: 'root-cause',
      version: 1,
      title: 'Root cause analysis',
      fields: [
        { name: 'method', label: 'Method', type: 'select', required: true, options: [{ value: '5-whys', label: 'Five whys' }] },
        { name: 'cause', label: 'Root cause', type: 'textarea', required: true, maxLength: 10_000 },
        { name: 'ref', label: 'Ticket', type: 'text', required: false, maxLength: 500 },
      ],
    });
    expect(validateAnswers(parsed.catalog['root-cause'], { method: '5-whys', cause: 'A missing check' })).toEqual([]);
  });

  it('replaces a built-in form with a higher version, and refuses one that does not raise it', () => {
    const v2 = {
      aiia: { version: 2, title: 'AIIA, shorter', fields: [{ name: 'impacts', label: 'Impacts', type: 'textarea', required: true }] },
    };
    const parsed = parseFormCatalog(v2);
    if (!('catalog' in parsed)) throw new Error(parsed.problems.join('; '));
    expect(parsed.catalog.aiia.version).toBe(2);
    expect(parsed.catalog.aiia.fields.map((f) => f.name)).toEqual(['impacts']);
    expect(parseFormCatalog({ aiia: { ...v2.aiia, version: 1 } })).toEqual({
      problems: ['form aiia: version must be higher than 1, the version of the form it replaces'],
    });
  });

  it('names every problem at once', () => {
    const parsed = parseFormCatalog({
      'policy-review': { version: 1, title: 'x', fields: [{ name: 'a', label: 'A', type: 'text' }] },
      containment: 'not an object',
      'corrective-action': {
        version: 0,
        title: '',
        colour: 'red',
        fields: [
          { name: 'Bad name', label: 'L', type: 'text' },
          { name: 'kind', label: '', type: 'colour' },
          { name: 'level', label: 'Level', type: 'select', required: 'yes' },
          {
            name: 'pick',
            label: 'Pick',
            type: 'multiselect',
            options: [
              { value: 'a', label: 'A' },
              { value: 'a', label: 'A again' },
            ],
            min: 1.5,
          },
          { name: 'n', label: 'N', type: 'number', min: 5, max: 1, maxLength: 3 },
          { name: 'words', label: 'Words', type: 'textarea', maxLength: 0, options: [], requried: true },
          { name: 'constructor', label: 'C', type: 'boolean' },
          { name: 'words', label: 'Again', type: 'date' },
        ],
      },
      'effectiveness-check': {
        version: 2,
        title: 'Check',
        fields: [{ name: 'outcome', label: 'Outcome', type: 'select', required: true, options: [{ value: 'yes', label: 'Yes' }] }],
      },
      'incident-report': { version: 2, title: 'Report', fields: [] },
    });
    expect('problems' in parsed && parsed.problems).toEqual([
      `form policy-review: not a kind of work that takes a form; those are ${FORM_KINDS.join(', ')}`,
      'form containment: must be an object { version, title, description?, fields }',
      'form corrective-action: unknown property colour',
      'form corrective-action: version must be a positive integer',
      'form corrective-action: title is required (at most 200 characters)',
      'form corrective-action field 0: name must be a letter then letters or digits (camelCase), at most 64 characters',
      'form corrective-action field 1: label is required (at most 200 characters)',
      'form corrective-action field 1: type must be one of text, textarea, select, multiselect, boolean, number, date, urls',
      'form corrective-action field 2: required must be true or false',
      'form corrective-action field 2: a select needs options, 1 to 100',
      'form corrective-action field 3 option 1: value a is given twice',
      'form corrective-action field 3: min must count items (0 or more)',
      'form corrective-action field 4: min must not exceed max',
      'form corrective-action field 4: maxLength applies to a text or textarea field only',
      'form corrective-action field 5: unknown property requried',
      'form corrective-action field 5: only a select or multiselect takes options',
      'form corrective-action field 5: maxLength must be an integer from 1 to 100000',
      'form corrective-action field 6: name constructor is reserved; choose another',
      'form corrective-action field 7: name words is used twice',
      "form effectiveness-check field outcome: an effectiveness check's outcome must be a required select of effective, not_effective",
      'form incident-report: fields must list 1 to 100 fields',
    ]);
    expect(parseFormCatalog([])).toEqual({ problems: ['the forms file must hold a JSON object of forms by kind of work'] });
  });
});

describe('formKindOfTask', () => {
  it('a task takes its kind’s form; a corrective action’s step takes its step’s', () => {
    const nc = '3f6c2a1e-0000-4000-8000-000000000000';
    expect(formKindOfTask(`high-risk-review:${nc}:2026-Q4`, 'high-risk-review')).toBe('high-risk-review');
    expect(formKindOfTask(`aiia:${nc}:go-live`, 'aiia')).toBe('aiia');
    expect(formKindOfTask(incidentReportTaskId(nc, 'draft'), 'incident-report')).toBe('incident-report');
    expect(formKindOfTask(correctiveStepTaskId(nc, 'effectiveness-check', 2), 'corrective-action-step')).toBe('effectiveness-check');
    expect(formKindOfTask(correctiveStepTaskId(nc, 'action'), 'corrective-action-step')).toBe('corrective-action');
    expect(formKindOfTask(correctiveStepTaskId(nc, 'root-cause'), 'corrective-action-step')).toBe('root-cause');
    for (const kind of [
      'inventory-recertification',
      'management-review',
      'audit-plan',
      'internal-audit',
      'audit-report',
      'policy-review',
    ] as const)
      expect(formKindOfTask(`${kind}:x`, kind)).toBeUndefined();
    // Every task kind is either a form kind, a step's, or work done another way.
    expect(TASK_KINDS.filter((k) => (FORM_KINDS as readonly string[]).includes(k))).toEqual([
      'high-risk-review',
      'aiia',
      'incident-report',
      'regulatory-report',
      'management-review-action',
    ]);
  });
});

describe('AIMS_FORMS_FILE in the API configuration', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-forms-'));
  const env = (file?: string) => ({ DATABASE_URL: 'postgres://x@localhost/aims', ...(file ? { AIMS_FORMS_FILE: file } : {}) });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('without it, the built-in forms', () => {
    expect(loadApiConfig(env()).forms).toBe(FORMS);
  });

  it('a good file adds or replaces forms', () => {
    const file = path.join(dir, 'good.json');
    fs.writeFileSync(file, JSON.stringify(riskForm));
    expect(Object.keys(loadApiConfig(env(file)).forms)).toContain('root-cause');
  });

  it('a bad or missing file stops the start with the reasons', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ aiia: { version: 1, title: 'x', fields: [] } }));
    expect(() => loadApiConfig(env(bad))).toThrow(/AIMS_FORMS_FILE .*bad\.json: form aiia: version must be higher than 1/);
    expect(() => loadApiConfig(env(bad))).toThrow(/AIMS_FORMS_FILE .*bad\.json: form aiia: fields must list 1 to 100 fields/);
    expect(() => loadApiConfig(env(path.join(dir, 'missing.json')))).toThrow(/AIMS_FORMS_FILE .*missing\.json cannot be read as JSON/);
  });
});
