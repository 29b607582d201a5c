/**
 * Form controls with their label, hint and the API's reasons for refusing them: each input is
 * labelled, its hint and error are tied to it (aria-describedby), and a refused one is marked
 * aria-invalid. Forms are `noValidate`: the API's field-level 400 is the one set of rules.
 */
import { useCallback, useId, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, reasonOf } from '../api/client';

export type FieldErrors = Record<string, string[]>;

/** The messages for `field` and anything under it (`evidenceUrls.0`, `answers.impact.value`). */
export function errorsFor(errors: FieldErrors | undefined, field: string): string[] {
  if (!errors) return [];
  return Object.entries(errors)
    .filter(([f]) => f === field || f.startsWith(`${field}.`))
    .flatMap(([, m]) => m);
}

interface ShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  required?: boolean;
  children: (described: { 'aria-describedby'?: string; 'aria-invalid'?: true; 'aria-required'?: true }) => ReactNode;
}

function Shell({ id, label, hint, errors, required, children }: ShellProps) {
  const ids = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${errors?.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required"> (required)</span>}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        ...(ids ? { 'aria-describedby': ids } : {}),
        ...(errors?.length ? { 'aria-invalid': true as const } : {}),
        ...(required ? { 'aria-required': true as const } : {}),
      })}
      <FieldMessages id={`${id}-error`} errors={errors} />
    </div>
  );
}

function FieldMessages({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id}>
      {errors.join('. ')}
    </p>
  );
}

interface Common {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  required?: boolean;
  id?: string;
}

export function TextInput({
  value,
  onChange,
  type = 'text',
  autoComplete,
  maxLength,
  inputMode,
  ...c
}: Common & {
  value: string;
  onChange(v: string): void;
  type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'date' | 'datetime-local';
  autoComplete?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'url' | 'text';
  min?: number;
  max?: number;
}) {
  const auto = useId();
  const id = c.id ?? auto;
  return (
    <Shell id={id} {...c}>
      {(aria) => (
        <input
          id={id}
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete={autoComplete}
          maxLength={maxLength}
          inputMode={inputMode}
          {...aria}
        />
      )}
    </Shell>
  );
}

export function NumberInput({
  value,
  onChange,
  min,
  max,
  ...c
}: Common & { value: string; onChange(v: string): void; min?: number; max?: number }) {
  const auto = useId();
  const id = c.id ?? auto;
  return (
    <Shell id={id} {...c}>
      {(aria) => (
        <input id={id} type="number" step="any" min={min} max={max} value={value} onChange={(e) => onChange(e.target.value)} {...aria} />
      )}
    </Shell>
  );
}

export function TextArea({
  value,
  onChange,
  rows = 4,
  maxLength,
  ...c
}: Common & { value: string; onChange(v: string): void; rows?: number; maxLength?: number }) {
  const auto = useId();
  const id = c.id ?? auto;
  return (
    <Shell id={id} {...c}>
      {(aria) => <textarea id={id} rows={rows} value={value} maxLength={maxLength} onChange={(e) => onChange(e.target.value)} {...aria} />}
    </Shell>
  );
}

export function Select({
  value,
  onChange,
  options,
  placeholder,
  ...c
}: Common & { value: string; onChange(v: string): void; options: { value: string; label: string }[]; placeholder?: string }) {
  const auto = useId();
  const id = c.id ?? auto;
  return (
    <Shell id={id} {...c}>
      {(aria) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...aria}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Shell>
  );
}

/** A group of choices (checkboxes, or radio buttons for one), named by its legend. */
export function ChoiceGroup({
  legend,
  hint,
  errors,
  required,
  options,
  multiple,
  value,
  onChange,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  required?: boolean;
  options: { value: string; label: string }[];
  multiple: boolean;
  value: string[];
  onChange(v: string[]): void;
}) {
  const id = useId();
  const ids = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset
      className={`field choice-group${errors?.length ? ' field-invalid' : ''}`}
      aria-describedby={ids || undefined}
      {...(multiple
        ? {}
        : { role: 'radiogroup', 'aria-required': required || undefined, 'aria-invalid': errors?.length ? true : undefined })}
    >
      <legend>
        {legend}
        {required && <span className="required"> (required)</span>}
      </legend>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input
            type={multiple ? 'checkbox' : 'radio'}
            name={id}
            value={o.value}
            checked={value.includes(o.value)}
            onChange={(e) => onChange(multiple ? (e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value)) : [o.value])}
          />{' '}
          {o.label}
        </label>
      ))}
      <FieldMessages id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

/** A form's submission state: busy while the request runs, the refusal kept with its field errors. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const fieldErrors: FieldErrors | undefined = error instanceof ApiError ? error.fieldErrors : undefined;
  return { busy, error, fieldErrors, run, clear: () => setError(undefined) };
}

/**
 * The refusal as a whole, above or below the form: its message, and any field error no input
 * of this form shows (`shown` lists the fields that have their own input).
 */
export function FormError({ error, shown = [] }: { error: unknown; shown?: string[] }) {
  if (error === undefined) return null;
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  const others = Object.entries(fieldErrors).filter(([f]) => !shown.some((s) => f === s || f.startsWith(`${s}.`)));
  const anyShown = Object.keys(fieldErrors).length > others.length;
  const lead = anyShown
    ? 'Some answers need a change: see the messages next to them.'
    : others.length
      ? 'The server refused this:'
      : reasonOf(error);
  return (
    <div className="notice notice-error" role="alert">
      <p>{lead}</p>
      {others.length > 0 && (
        <ul>
          {others.map(([f, m]) => (
            <li key={f}>
              {f}: {m.join('. ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
