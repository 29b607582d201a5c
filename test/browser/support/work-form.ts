/**
 * Filling a kind of work's form (GET /forms/:kind, data) the way a person does: each required
 * field by its label and control, whatever the form holds, so a changed form needs no new test.
 */
import type { Page } from 'playwright-core';
import { fieldName } from './app';

/** A field of a form as GET /forms/:kind describes it (the contract's FormField). */
export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'select' | 'multiselect' | 'boolean' | 'number' | 'date' | 'urls';
  required: boolean;
  options?: Array<{ value: string; label: string }>;
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface FormDefinition {
  kind: string;
  version: number;
  title: string;
  fields: FormField[];
}

/** Fills every required field of `form` on the page; resolves with the answers as the API should store them. */
export async function fillRequiredFields(page: Page, form: FormDefinition): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  for (const f of form.fields.filter((x) => x.required)) {
    const name = fieldName(f.label);
    const first = f.options?.[0];
    switch (f.type) {
      case 'select':
        await page.getByRole('combobox', { name }).selectOption(first!.value);
        answers[f.name] = first!.value;
        break;
      case 'multiselect':
        await page.getByRole('group', { name }).getByRole('checkbox', { name: first!.label, exact: true }).check();
        answers[f.name] = [first!.value];
        break;
      case 'boolean':
        await page.getByRole('radiogroup', { name }).getByRole('radio', { name: 'Yes', exact: true }).check();
        answers[f.name] = true;
        break;
      case 'number': {
        const n = f.min ?? Math.min(1, f.max ?? 1);
        await page.getByRole('spinbutton', { name }).fill(String(n));
        answers[f.name] = n;
        break;
      }
      case 'date': {
        const today = new Date().toISOString().slice(0, 10);
        await page.getByLabel(name).fill(today);
        answers[f.name] = today;
        break;
      }
      case 'urls': {
        const url = `https://wiki.example.test/reviews/${f.name}`;
        await page.getByRole('textbox', { name }).fill(url);
        answers[f.name] = [url];
        break;
      }
      default: {
        const text = `${f.label}: looked at for this quarter, nothing outside its bounds.`.slice(0, f.maxLength ?? 10_000);
        await page.getByRole('textbox', { name }).fill(text);
        answers[f.name] = text;
      }
    }
  }
  return answers;
}
