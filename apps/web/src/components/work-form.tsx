/**
 * A kind of work's form as data (GET /forms/:kind): one control per field, by its type, and the
 * answers as the API takes them (`answers.<name>`); and a stored submission shown read-only.
 */
import { useId } from 'react';
import type { FormDefinition, FormField, Submission } from '../api/types';
import { formatDate } from '../time';
import { ChoiceGroup, errorsFor, NumberInput, Select, TextArea, TextInput } from './fields';
import type { FieldErrors } from './fields';

export type FormValues = Record<string, string | string[]>;

export function initialValues(form: FormDefinition | undefined): FormValues {
  const v: FormValues = {};
  for (const f of form?.fields ?? []) v[f.name] = f.type === 'multiselect' ? [] : '';
  return v;
}

/** Lines of a text area as a list, blank ones dropped. */
export const lines = (s: string): string[] =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** The answers object of a submission: unanswered fields left out (the API says which are required). */
export function toAnswers(form: FormDefinition, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) {
    const v = values[f.name];
    if (f.type === 'multiselect') {
      if (Array.isArray(v) && v.length) out[f.name] = v;
      continue;
    }
    const s = typeof v === 'string' ? v.trim() : '';
    if (!s) continue;
    if (f.type === 'boolean') out[f.name] = s === 'true';
    else if (f.type === 'number') out[f.name] = Number.isFinite(Number(s)) ? Number(s) : s;
    else if (f.type === 'urls') out[f.name] = lines(s);
    else out[f.name] = s;
  }
  return out;
}

const YES_NO = [
  { value: 'true', label: 'Yes' },
  { value: 'false', label: 'No' },
];

function limits(f: FormField): string | undefined {
  if (f.type === 'number' && (f.min !== undefined || f.max !== undefined)) {
    if (f.min !== undefined && f.max !== undefined) return `From ${f.min} to ${f.max}.`;
    return f.min !== undefined ? `At least ${f.min}.` : `At most ${f.max}.`;
  }
  if (f.type === 'urls') return `One http(s) link per line${f.max !== undefined ? `, up to ${f.max}` : ''}.`;
  if (f.type === 'multiselect') {
    if (f.min !== undefined && f.max !== undefined) return `Choose from ${f.min} to ${f.max}.`;
    if (f.min !== undefined) return f.min > 1 ? `Choose at least ${f.min}.` : 'Choose at least one; all that apply.';
    if (f.max !== undefined) return `Choose up to ${f.max}.`;
    return 'Choose all that apply.';
  }
  return undefined;
}

function FieldControl({
  field: f,
  value,
  onChange,
  errors,
}: {
  field: FormField;
  value: string | string[];
  onChange(v: string | string[]): void;
  errors: string[];
}) {
  const hintText = [f.help, limits(f)].filter(Boolean).join(' ') || undefined;
  const common = { label: f.label, hint: hintText, errors, required: f.required };
  const s = typeof value === 'string' ? value : '';
  switch (f.type) {
    case 'textarea':
      return <TextArea {...common} value={s} onChange={onChange} rows={5} maxLength={f.maxLength} />;
    case 'urls':
      return <TextArea {...common} value={s} onChange={onChange} rows={3} />;
    case 'select':
      return <Select {...common} value={s} onChange={onChange} options={f.options ?? []} placeholder="Choose…" />;
    case 'multiselect':
      return (
        <ChoiceGroup
          legend={f.label}
          hint={hintText}
          errors={errors}
          required={f.required}
          options={f.options ?? []}
          multiple
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
        />
      );
    case 'boolean':
      return (
        <ChoiceGroup
          legend={f.label}
          hint={hintText}
          errors={errors}
          required={f.required}
          options={YES_NO}
          multiple={false}
          value={s ? [s] : []}
          onChange={(v) => onChange(v[0] ?? '')}
        />
      );
    case 'number':
      return <NumberInput {...common} value={s} onChange={onChange} min={f.min} max={f.max} />;
    case 'date':
      return <TextInput {...common} type="date" value={s} onChange={onChange} />;
    default:
      return <TextInput {...common} value={s} onChange={onChange} maxLength={f.maxLength} />;
  }
}

/** Every field of the form, its errors from `answers.<name>`. */
export function WorkFormFields({
  form,
  values,
  onChange,
  errors,
}: {
  form: FormDefinition;
  values: FormValues;
  onChange(values: FormValues): void;
  errors?: FieldErrors;
}) {
  return (
    <fieldset className="work-form">
      <legend>{form.title}</legend>
      {form.description && <p className="hint">{form.description}</p>}
      {form.fields.map((f) => (
        <FieldControl
          key={f.name}
          field={f}
          value={values[f.name] ?? (f.type === 'multiselect' ? [] : '')}
          onChange={(v) => onChange({ ...values, [f.name]: v })}
          errors={errorsFor(errors, `answers.${f.name}`)}
        />
      ))}
    </fieldset>
  );
}

function answerText(f: FormField | undefined, v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  const label = (x: unknown) => f?.options?.find((o) => o.value === x)?.label ?? String(x);
  if (Array.isArray(v)) return v.length ? v.map(label).join(', ') : '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (f?.type === 'date' && typeof v === 'string') return formatDate(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return label(v);
}

/** A stored submission, read-only, labelled by the form (the current one; the version it was given to is named). */
export function SubmittedAnswers({ submission, form }: { submission: Submission; form?: FormDefinition }) {
  const id = useId();
  const fields = form?.kind === submission.form.kind ? form.fields : [];
  const names = [...fields.map((f) => f.name), ...Object.keys(submission.answers).filter((k) => !fields.some((f) => f.name === k))];
  return (
    <section aria-labelledby={id} className="answers">
      <h3 id={id}>Answers</h3>
      <p className="hint">
        Given to the form {form?.kind === submission.form.kind ? `“${form.title}”` : submission.form.kind}, version{' '}
        {submission.form.version}
        {form &&
          form.kind === submission.form.kind &&
          form.version !== submission.form.version &&
          ` (the form is now at version ${form.version})`}
        .
      </p>
      <dl className="answer-list">
        {names.map((name) => {
          const f = fields.find((x) => x.name === name);
          const v = submission.answers[name];
          const isUrls = f?.type === 'urls' && Array.isArray(v);
          return (
            <div key={name}>
              <dt>{f?.label ?? name}</dt>
              <dd>
                {isUrls ? (
                  <ul className="evidence">
                    {(v as unknown[]).map((u) => (
                      <li key={String(u)}>
                        {/^https?:\/\//i.test(String(u)) ? (
                          <a href={String(u)} target="_blank" rel="noopener noreferrer">
                            {String(u)}
                          </a>
                        ) : (
                          String(u)
                        )}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="pre">{answerText(f, v)}</span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
