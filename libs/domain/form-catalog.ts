/**
 * The forms work is submitted with, as data: adding or changing a form is an entry here or in
 * AIMS_FORMS_FILE (parsed by `parseFormCatalog`), never code. Each has a version, recorded with
 * every submission; a changed form gets a higher one.
 *
 * A form's kind is the kind of work it is submitted with: a task kind (libs/domain TASK_KINDS),
 * a corrective action's step (10.2, all `corrective-action-step` tasks) or an audit finding.
 * Kinds without a form keep their summary-only submission.
 */
import { EFFECTIVENESS_OUTCOMES } from './corrective-action';
import { DEFAULT_MAX_LENGTH, FORM_FIELD_TYPES, FormDefinition, FormField, FormFieldType, FormOption, isPlainObject } from './forms';

/**
 * The kinds of work that may have a form. Work done another way has none: an inventory
 * recertification (its confirmations), a management review's meeting (its decisions), the audit
 * plan and the audits (the plan and the findings, each finding with the `audit-finding` form),
 * the audit report (its acknowledgement) and a policy review (its own route, with the new version).
 */
export const FORM_KINDS = [
  'high-risk-review',
  'aiia',
  'incident-report',
  'regulatory-report',
  'management-review-action',
  // The steps of a corrective action (ISO/IEC 42001 10.2), each a `corrective-action-step` task.
  'containment',
  'root-cause',
  'corrective-action',
  'effectiveness-check',
  // One finding of an internal audit (9.2), recorded with POST /audit-programmes/:id/audits/:n/findings.
  'audit-finding',
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** The form kind of each step of a corrective action (the step's name in its task id). */
export const CORRECTIVE_STEP_FORM_KINDS = {
  containment: 'containment',
  'root-cause': 'root-cause',
  action: 'corrective-action',
  'effectiveness-check': 'effectiveness-check',
} as const satisfies Record<string, FormKind>;

const option = (value: string, label: string): FormOption => ({ value, label });
const textarea = (name: string, label: string, required: boolean, help?: string): FormField => ({
  name,
  label,
  ...(help ? { help } : {}),
  type: 'textarea',
  required,
  maxLength: DEFAULT_MAX_LENGTH.textarea,
});
const select = (name: string, label: string, options: FormOption[], required: boolean, help?: string): FormField => ({
  name,
  label,
  ...(help ? { help } : {}),
  type: 'select',
  required,
  options,
});

export const FORMS: Record<string, FormDefinition> = {
  'high-risk-review': {
    kind: 'high-risk-review',
    version: 1,
    title: 'Quarterly review of a high-risk AI system',
    description:
      'Shows that performance against its thresholds, changes in the context of use or in regulation, new threats and data drift were looked at this quarter, and what the review concluded.',
    fields: [
      select(
        'performance',
        'Performance against the thresholds',
        [option('within-thresholds', 'Within the thresholds'), option('threshold-breached', 'A threshold was breached')],
        true,
      ),
      textarea('performanceFinding', 'What the metrics showed', true, 'The metrics looked at and their values against the thresholds'),
      select(
        'contextOfUse',
        'Changes in the context of use or in regulation',
        [option('no-change', 'No change'), option('changed', 'Something changed')],
        true,
      ),
      textarea('contextFinding', 'What changed, or what was checked', true, 'Users, purpose, deployment, laws and guidance that apply'),
      select(
        'newThreats',
        'New threats',
        [option('none-identified', 'None identified'), option('identified', 'New threats identified')],
        true,
      ),
      textarea('threatsFinding', 'Threats looked at', true, 'Security, misuse and abuse, supplier and model changes'),
      select(
        'dataDrift',
        'Data drift or degradation',
        [
          option('no-drift', 'No drift'),
          option('within-tolerance', 'Drift within tolerance'),
          option('beyond-tolerance', 'Drift beyond tolerance'),
        ],
        true,
      ),
      textarea('driftFinding', 'What the drift monitoring showed', true, 'Input and output distributions, data quality, degradation'),
      select(
        'conclusion',
        'Overall conclusion',
        [
          option('fit-for-use', 'Fit for continued use'),
          option('fit-with-actions', 'Fit for use, with actions'),
          option('not-fit', 'Not fit for use: suspend or withdraw'),
        ],
        true,
      ),
      textarea('actions', 'Actions decided', false, 'Each with its owner and date'),
      {
        name: 'monitoringReports',
        label: 'Monitoring reports looked at',
        type: 'urls',
        required: false,
        max: 20,
        help: 'Links to the dashboards or reports',
      },
    ],
  },
  aiia: {
    kind: 'aiia',
    version: 1,
    title: 'AI system impact assessment (ISO/IEC 42005)',
    description:
      'Who the system affects, its impacts on individuals, groups and society, their severity and likelihood, the mitigations, and how people are told about automated decisions.',
    fields: [
      textarea('intendedUse', 'Intended purpose and context of use assessed', true),
      {
        name: 'affectedGroups',
        label: 'Who is affected',
        help: 'Individuals and groups, directly or indirectly, vulnerable ones included',
        type: 'multiselect',
        required: true,
        options: [
          option('users', 'Users of the system'),
          option('subjects', 'People decisions are about (customers, applicants)'),
          option('employees', 'Employees'),
          option('minors', 'Children and minors'),
          option('vulnerable', 'Other vulnerable groups'),
          option('third-parties', 'Third parties'),
          option('public', 'The general public'),
        ],
        min: 1,
      },
      textarea('affectedGroupsDetail', 'More about who is affected', false),
      textarea('impactsOnIndividuals', 'Impacts on individuals', true, 'Rights, safety, wellbeing, access to services: harms and benefits'),
      textarea('impactsOnGroups', 'Impacts on groups', true, 'Fairness, discrimination, exclusion of groups of people'),
      textarea('societalImpacts', 'Societal impacts', true, 'Environment, labour, democracy and public trust'),
      select(
        'severity',
        'Severity of the worst plausible harm',
        [
          option('negligible', 'Negligible'),
          option('limited', 'Limited'),
          option('significant', 'Significant'),
          option('severe', 'Severe'),
        ],
        true,
      ),
      select(
        'likelihood',
        'Likelihood of that harm',
        [
          option('rare', 'Rare'),
          option('unlikely', 'Unlikely'),
          option('possible', 'Possible'),
          option('likely', 'Likely'),
          option('almost-certain', 'Almost certain'),
        ],
        true,
      ),
      select(
        'reversibility',
        'Can the harm be undone',
        [option('reversible', 'Reversible'), option('hard-to-reverse', 'Hard to reverse'), option('irreversible', 'Irreversible')],
        false,
      ),
      textarea('mitigations', 'Mitigations', true, 'Measures that prevent or reduce each harm, with their owners'),
      select(
        'residualRisk',
        'Residual risk after the mitigations',
        [
          option('acceptable', 'Acceptable'),
          option('acceptable-with-monitoring', 'Acceptable with monitoring'),
          option('not-acceptable', 'Not acceptable'),
        ],
        true,
      ),
      textarea(
        'transparency',
        'Transparency on automated decisions',
        true,
        'How affected people learn that an AI system is involved, get an explanation and can contest a decision',
      ),
      { name: 'humanOversight', label: 'A person can review and override automated decisions', type: 'boolean', required: true },
      { name: 'reassessBy', label: 'Reassess by', help: 'If sooner than the next yearly assessment', type: 'date', required: false },
      { name: 'references', label: 'Supporting documents', type: 'urls', required: false, max: 20 },
    ],
  },
  'effectiveness-check': {
    kind: 'effectiveness-check',
    version: 1,
    title: 'Corrective action effectiveness check (ISO/IEC 42001 10.2)',
    description: 'Whether the corrective action removed the cause: not effective reopens it (a new action, then a new check).',
    fields: [
      select('outcome', 'Outcome', [option('effective', 'Effective'), option('not_effective', 'Not effective')], true),
      textarea('criteria', 'What shows the action worked', true, 'The criteria the action was checked against'),
      textarea('evidence', 'What was checked', true, 'Records, samples, tests, interviews'),
      { name: 'recurred', label: 'The nonconformity, or a similar one, recurred since the action', type: 'boolean', required: true },
      { name: 'observedDays', label: 'Days observed since the action', type: 'number', required: false, min: 0, max: 3650 },
    ],
  },
  'incident-report': {
    kind: 'incident-report',
    version: 1,
    title: 'AI incident report',
    description: 'The internal report of an AI incident: the draft within 72 hours of detection, then the final report.',
    fields: [
      textarea('whatHappened', 'What happened', true, 'The incident as known now, with times'),
      select(
        'detectedBy',
        'How it was detected',
        [
          option('monitoring', 'Monitoring or alerting'),
          option('user-report', 'A user or affected person reported it'),
          option('staff-report', 'Staff reported it'),
          option('audit', 'An audit or review'),
          option('third-party', 'A supplier or other third party'),
          option('other', 'Other'),
        ],
        true,
      ),
      {
        name: 'harms',
        label: 'Harm caused or risked',
        type: 'multiselect',
        required: true,
        min: 1,
        options: [
          option('health-safety', 'Health or safety'),
          option('fundamental-rights', 'Fundamental rights'),
          option('personal-data', 'Personal data'),
          option('property', 'Property or financial loss'),
          option('critical-infrastructure', 'Critical infrastructure'),
          option('environment', 'Environment'),
          option('none', 'None known'),
        ],
      },
      { name: 'affectedPersons', label: 'People affected (estimate)', type: 'number', required: false, min: 0, max: 1_000_000_000 },
      textarea('immediateActions', 'Immediate actions taken', true),
      { name: 'ongoing', label: 'The harm is still going on', type: 'boolean', required: true },
      textarea('rootCause', 'Root cause, as far as known', false, 'The final report says it'),
      textarea('correctiveActions', 'Corrective actions planned', false),
    ],
  },
  'regulatory-report': {
    kind: 'regulatory-report',
    version: 1,
    title: 'Regulatory report, as filed',
    description: 'A report filed with an authority under a regime (EU AI Act art. 73, GDPR art. 33, NIS2 art. 23, ...).',
    fields: [
      { name: 'filedOn', label: 'Filed with the authority on', type: 'date', required: true },
      select(
        'channel',
        'How it was filed',
        [option('portal', 'The authority’s portal'), option('email', 'Email'), option('letter', 'Letter'), option('phone', 'Phone')],
        true,
      ),
      { name: 'authorityReference', label: 'The authority’s reference', type: 'text', required: false, maxLength: 200 },
      textarea('content', 'What the report told the authority', true),
      { name: 'affectedPersons', label: 'People affected, as reported', type: 'number', required: false, min: 0, max: 1_000_000_000 },
      { name: 'crossBorder', label: 'Affects people in more than one country', type: 'boolean', required: false },
      { name: 'filedCopy', label: 'The report as filed', type: 'urls', required: false, max: 5 },
    ],
  },
  'audit-finding': {
    kind: 'audit-finding',
    version: 1,
    title: 'Internal audit finding',
    description: 'How a criterion was audited and the objective evidence behind the finding (ISO 19011).',
    fields: [
      {
        name: 'methods',
        label: 'How it was audited',
        type: 'multiselect',
        required: true,
        min: 1,
        options: [
          option('interview', 'Interview'),
          option('document-review', 'Document review'),
          option('observation', 'Observation'),
          option('record-sampling', 'Sampling of records'),
          option('technical-test', 'Technical test'),
        ],
      },
      textarea('evidence', 'Objective evidence', true, 'What was seen, read or heard'),
      textarea('requirement', 'The requirement audited against', false),
      { name: 'sample', label: 'Sample taken', type: 'text', required: false, maxLength: 500 },
      textarea('recommendation', 'Opportunity for improvement', false),
    ],
  },
};

// ---------------------------------------------------------------------------------------
// AIMS_FORMS_FILE
// ---------------------------------------------------------------------------------------

const FIELD_NAME = /^[a-z][A-Za-z0-9]{0,63}$/;
const OPTION_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const FORM_KEYS = new Set(['kind', 'version', 'title', 'description', 'fields']);
const FIELD_KEYS = new Set(['name', 'label', 'help', 'type', 'required', 'options', 'min', 'max', 'maxLength']);
const MAX_FIELDS = 100;
const MAX_OPTIONS = 100;
const MAX_TEXT_LENGTH = 100_000;

/** Which limits a type takes: min/max on numbers and on the count of choices or links, maxLength on texts. */
const TAKES = {
  minMax: ['number', 'multiselect', 'urls'] as FormFieldType[],
  maxLength: ['text', 'textarea'] as FormFieldType[],
  options: ['select', 'multiselect'] as FormFieldType[],
};

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

function parseField(raw: unknown, at: string, problems: string[]): FormField | undefined {
  if (!isPlainObject(raw)) {
    problems.push(`${at}: must be an object`);
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) if (!FIELD_KEYS.has(key)) problems.push(`${at}: unknown property ${key}`);
  const { name, label, help, type, required, options, min, max, maxLength } = raw;
  if (typeof name !== 'string' || !FIELD_NAME.test(name))
    problems.push(`${at}: name must be a letter then letters or digits (camelCase), at most 64 characters`);
  // A JSON body's "constructor" or "toString" never reaches the API as an answer (the body parser's objects keep them off).
  else if (name in Object.prototype) problems.push(`${at}: name ${name} is reserved; choose another`);
  if (!text(label, 200)) problems.push(`${at}: label is required (at most 200 characters)`);
  if (help !== undefined && !text(help, 1000)) problems.push(`${at}: help must be a text of at most 1000 characters`);
  if (!(FORM_FIELD_TYPES as readonly unknown[]).includes(type)) {
    problems.push(`${at}: type must be one of ${FORM_FIELD_TYPES.join(', ')}`);
    return undefined;
  }
  const t = type as FormFieldType;
  if (required !== undefined && typeof required !== 'boolean') problems.push(`${at}: required must be true or false`);
  if (TAKES.options.includes(t)) {
    if (!Array.isArray(options) || !options.length || options.length > MAX_OPTIONS)
      problems.push(`${at}: a ${t} needs options, 1 to ${MAX_OPTIONS}`);
    else {
      const seen = new Set<string>();
      options.forEach((o: unknown, i) => {
        const ok = isPlainObject(o) && Object.keys(o).every((k) => k === 'value' || k === 'label');
        const value = ok ? o.value : undefined;
        if (!ok || typeof value !== 'string' || !OPTION_VALUE.test(value) || !text(o.label, 200))
          problems.push(`${at} option ${i}: must be { value, label }, the value letters, digits, '.', '_' or '-'`);
        else if (seen.has(value)) problems.push(`${at} option ${i}: value ${value} is given twice`);
        else seen.add(value);
      });
    }
  } else if (options !== undefined) problems.push(`${at}: only a select or multiselect takes options`);
  const number = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  for (const [key, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (v === undefined) continue;
    if (!TAKES.minMax.includes(t)) problems.push(`${at}: ${key} applies to a number, multiselect or urls field only`);
    else if (!number(v)) problems.push(`${at}: ${key} must be a number`);
    else if (t !== 'number' && !(Number.isInteger(v) && (v as number) >= 0)) problems.push(`${at}: ${key} must count items (0 or more)`);
  }
  if (number(min) && number(max) && (min as number) > (max as number)) problems.push(`${at}: min must not exceed max`);
  if (maxLength !== undefined) {
    if (!TAKES.maxLength.includes(t)) problems.push(`${at}: maxLength applies to a text or textarea field only`);
    else if (!Number.isInteger(maxLength) || (maxLength as number) < 1 || (maxLength as number) > MAX_TEXT_LENGTH)
      problems.push(`${at}: maxLength must be an integer from 1 to ${MAX_TEXT_LENGTH}`);
  }
  if (problems.length > before) return undefined;
  return {
    name: name as string,
    label: label as string,
    ...(help !== undefined ? { help: help as string } : {}),
    type: t,
    required: required === true,
    ...(options !== undefined ? { options: (options as FormOption[]).map((o) => ({ value: o.value, label: o.label })) } : {}),
    ...(min !== undefined ? { min: min as number } : {}),
    ...(max !== undefined ? { max: max as number } : {}),
    // A text's limit is shown with the form, given or not.
    ...(t === 'text' || t === 'textarea' ? { maxLength: (maxLength as number | undefined) ?? DEFAULT_MAX_LENGTH[t] } : {}),
  };
}

/** Rules of a kind beyond the field shapes: an effectiveness check's outcome is the one the corrective action reads. */
function kindProblems(kind: string, fields: FormField[], at: string): string[] {
  const outcome = fields.find((f) => f.name === 'outcome');
  if (kind !== 'effectiveness-check' || !outcome) return [];
  const values = (outcome.options ?? []).map((o) => o.value).sort();
  const expected = [...EFFECTIVENESS_OUTCOMES].sort();
  return outcome.type === 'select' && outcome.required && JSON.stringify(values) === JSON.stringify(expected)
    ? []
    : [`${at} field outcome: an effectiveness check's outcome must be a required select of ${EFFECTIVENESS_OUTCOMES.join(', ')}`];
}

/**
 * Reads forms given as data (AIMS_FORMS_FILE: a JSON object of forms by kind, each
 * `{ version, title, description?, fields: [...] }`) and merges them over `base` (the built-in
 * ones): a form for a kind replaces that kind's, and must have a higher version than the one it
 * replaces, so a version always names one form. Returns every problem at once.
 */
export function parseFormCatalog(
  json: unknown,
  base: Record<string, FormDefinition> = FORMS,
): { catalog: Record<string, FormDefinition> } | { problems: string[] } {
  if (!isPlainObject(json)) return { problems: ['the forms file must hold a JSON object of forms by kind of work'] };
  // (A form may repeat its kind inside: the built-in catalog reads back as a file.)
  const problems: string[] = [];
  const catalog: Record<string, FormDefinition> = { ...base };
  for (const [kind, raw] of Object.entries(json)) {
    const at = `form ${kind}`;
    if (!(FORM_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${at}: not a kind of work that takes a form; those are ${FORM_KINDS.join(', ')}`);
      continue;
    }
    if (!isPlainObject(raw)) {
      problems.push(`${at}: must be an object { version, title, description?, fields }`);
      continue;
    }
    for (const key of Object.keys(raw)) if (!FORM_KEYS.has(key)) problems.push(`${at}: unknown property ${key}`);
    const { version, title, description, fields } = raw;
    if (raw.kind !== undefined && raw.kind !== kind) problems.push(`${at}: kind, when given, must be ${kind} (the key it is under)`);
    const replaced = Object.prototype.hasOwnProperty.call(base, kind) ? base[kind] : undefined;
    if (!Number.isInteger(version) || (version as number) < 1) problems.push(`${at}: version must be a positive integer`);
    else if (replaced && (version as number) <= replaced.version)
      problems.push(`${at}: version must be higher than ${replaced.version}, the version of the form it replaces`);
    if (!text(title, 200)) problems.push(`${at}: title is required (at most 200 characters)`);
    if (description !== undefined && !text(description, 2000))
      problems.push(`${at}: description must be a text of at most 2000 characters`);
    if (!Array.isArray(fields) || !fields.length || fields.length > MAX_FIELDS) {
      problems.push(`${at}: fields must list 1 to ${MAX_FIELDS} fields`);
      continue;
    }
    const parsed: FormField[] = [];
    const names = new Set<string>();
    fields.forEach((f: unknown, i) => {
      const name = isPlainObject(f) && typeof f.name === 'string' ? f.name : undefined;
      if (name !== undefined && names.has(name)) problems.push(`${at} field ${i}: name ${name} is used twice`);
      if (name !== undefined) names.add(name);
      const field = parseField(f, `${at} field ${i}`, problems);
      if (field) parsed.push(field);
    });
    problems.push(...kindProblems(kind, parsed, at));
    catalog[kind] = {
      kind,
      version: version as number,
      title: String(title),
      ...(description !== undefined ? { description: String(description) } : {}),
      fields: parsed,
    };
  }
  return problems.length ? { problems } : { catalog };
}
