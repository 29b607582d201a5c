/**
 * Structured submissions: a form is data (a kind of work, a version, its fields), and one pure
 * validator checks a submission's answers against it. The API checks every submission with it
 * before anything is sent to a workflow; the workflows check only a submission's shape
 * (`submissionShapeProblems`), as they cannot see a forms file. The built-in forms and the
 * parser of AIMS_FORMS_FILE are in form-catalog.ts.
 */
import { isHttpUrl } from './policies';

export const FORM_FIELD_TYPES = ['text', 'textarea', 'select', 'multiselect', 'boolean', 'number', 'date', 'urls'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export interface FormOption {
  value: string;
  label: string;
}

/**
 * One question of a form. `min`/`max` bound a number's value, and the number of choices of a
 * multiselect or of links of a urls field; `maxLength` the characters of a text or textarea.
 */
export interface FormField {
  /** The key of its answer: `answers.<name>`. */
  name: string;
  label: string;
  help?: string;
  type: FormFieldType;
  required: boolean;
  /** The choices of a select or multiselect. */
  options?: FormOption[];
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface FormDefinition {
  /** The kind of work it is submitted with (FORM_KINDS in form-catalog.ts). */
  kind: string;
  /** Recorded with every submission; a changed form has a higher one. */
  version: number;
  title: string;
  description?: string;
  fields: FormField[];
}

export type FormAnswers = Record<string, unknown>;

/** What a submission stores: which form (and which version of it) the answers were given to. */
export interface FormSubmission {
  form: { kind: string; version: number };
  answers: FormAnswers;
}

/** One refused answer, named as the API's validation errors name fields. */
export interface AnswerProblem {
  field: string;
  message: string;
}

/** The limits a field has when its form gives none. */
export const DEFAULT_MAX_LENGTH: Record<'text' | 'textarea', number> = { text: 500, textarea: 10_000 };
/** The most links of a urls field when its form gives no `max`, and the longest link. */
export const DEFAULT_MAX_URLS = 20;
export const MAX_URL_LENGTH = 2000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function own(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** A JSON object (not an array, not null). No prototype check: a workflow's payloads come from another realm's JSON. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A calendar date `YYYY-MM-DD` that exists (no 30 February). */
export function isCalendarDate(v: unknown): v is string {
  const m = typeof v === 'string' ? ISO_DATE.exec(v) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Not given: absent, null, a blank text or an empty list. */
function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why one given answer does not fit its field (undefined when it fits). */
function answerProblem(field: FormField, v: unknown, at: string): string | undefined {
  switch (field.type) {
    case 'text':
    case 'textarea': {
      if (typeof v !== 'string') return `${at} must be a text`;
      const max = field.maxLength ?? DEFAULT_MAX_LENGTH[field.type];
      if (v.trim().length > max) return `${at} must be at most ${plural(max, 'character')}`;
      return undefined;
    }
    case 'select': {
      const values = (field.options ?? []).map((o) => o.value);
      return typeof v === 'string' && values.includes(v) ? undefined : `${at} must be one of ${values.join(', ')}`;
    }
    case 'multiselect': {
      const values = (field.options ?? []).map((o) => o.value);
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && values.includes(x)))
        return `${at} must be a list of values among ${values.join(', ')}`;
      if (new Set(v).size !== v.length) return `${at} must not name a value twice`;
      return countProblem(field, v.length, at, 'choice');
    }
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `${at} must be true or false`;
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${at} must be a number`;
      if (field.min !== undefined && v < field.min) return `${at} must be at least ${field.min}`;
      if (field.max !== undefined && v > field.max) return `${at} must be at most ${field.max}`;
      return undefined;
    }
    case 'date':
      return isCalendarDate(v) ? undefined : `${at} must be a calendar date YYYY-MM-DD`;
    case 'urls': {
      if (!Array.isArray(v)) return `${at} must be a list of http(s) URLs`;
      const bad = v.findIndex((u) => !isHttpUrl(u));
      if (bad >= 0) return `${at} must hold only http(s) URLs of at most ${MAX_URL_LENGTH} characters (item ${bad} is not one)`;
      if (new Set(v).size !== v.length) return `${at} must not name a URL twice`;
      return countProblem({ ...field, max: field.max ?? DEFAULT_MAX_URLS }, v.length, at, 'URL');
    }
  }
}

function countProblem(field: FormField, n: number, at: string, what: string): string | undefined {
  if (field.min !== undefined && n < field.min) return `${at} needs at least ${plural(field.min, what)}`;
  if (field.max !== undefined && n > field.max) return `${at} takes at most ${plural(field.max, what)}`;
  return undefined;
}

/**
 * Every problem of `answers` against `form`, at once: a required field not answered, an answer
 * of the wrong type, not among the options, out of min/max, longer than maxLength, a link that
 * is not http(s), and any answer to a field the form does not have. Empty: the answers fit.
 * Fields are named `<prefix>.<field name>` (`answers.dataDrift`).
 */
export function validateAnswers(form: FormDefinition, answers: unknown, prefix = 'answers'): AnswerProblem[] {
  if (!isPlainObject(answers))
    return [{ field: prefix, message: `${prefix} must be an object of the answers to the ${form.kind} form's fields` }];
  const problems: AnswerProblem[] = [];
  const names = new Set(form.fields.map((f) => f.name));
  for (const field of form.fields) {
    const at = `${prefix}.${field.name}`;
    const v = own(answers, field.name) ? answers[field.name] : undefined;
    if (isBlank(v)) {
      if (field.required) problems.push({ field: at, message: `${at} is required (${field.label})` });
      continue;
    }
    const problem = answerProblem(field, v, at);
    if (problem) problems.push({ field: at, message: problem });
  }
  for (const key of Object.keys(answers)) {
    if (!names.has(key)) {
      const at = `${prefix}.${key}`;
      problems.push({
        field: at,
        message: `${at} is not a field of the ${form.kind} form (version ${form.version}); its fields: ${[...names].join(', ')}`,
      });
    }
  }
  return problems;
}

/**
 * Why a submission as a workflow receives it is malformed (empty when it is well formed):
 * `{ form: { kind, version }, answers: {...} }`, the kind `formKind` when given. The answers
 * themselves were checked against the form by the API.
 */
export function submissionShapeProblems(submission: unknown, formKind?: string): string[] {
  if (!isPlainObject(submission)) return ['the submission must be an object { form: { kind, version }, answers }'];
  const out: string[] = [];
  const form = submission.form;
  if (!isPlainObject(form) || typeof form.kind !== 'string' || !form.kind) out.push('submission.form.kind must name the form');
  else if (formKind !== undefined && form.kind !== formKind)
    out.push(`submission.form.kind is ${JSON.stringify(form.kind)}, but this work is submitted with the ${formKind} form`);
  if (!isPlainObject(form) || !Number.isInteger(form.version) || (form.version as number) < 1)
    out.push('submission.form.version must be a positive integer');
  if (!isPlainObject(submission.answers)) out.push('submission.answers must be an object');
  return out;
}
