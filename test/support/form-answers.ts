/**
 * Valid answers to a kind's built-in form, built from the catalog (libs/domain FORMS), so tests
 * submit what the form asks without repeating its fields: every required field answered with
 * the first value its type allows, optional ones left out; `over` on top.
 */
import { FormField, FORMS } from '../../libs/domain';

function answerTo(field: FormField): unknown {
  switch (field.type) {
    case 'text':
    case 'textarea':
      return `${field.label} (looked at)`.slice(0, field.maxLength ?? 500);
    case 'select':
      return field.options![0].value;
    case 'multiselect':
      return field.options!.slice(0, Math.max(1, field.min ?? 1)).map((o) => o.value);
    case 'boolean':
      return false;
    case 'number':
      return field.min ?? 0;
    case 'date':
      return '2026-11-30';
    case 'urls':
      return Array.from({ length: Math.max(1, field.min ?? 1) }, (_, i) => `https://evidence.example.com/${field.name}/${i}`);
  }
}

export function validAnswers(formKind: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const form = FORMS[formKind];
  if (!form) throw new Error(`no built-in form for ${formKind}`);
  return { ...Object.fromEntries(form.fields.filter((f) => f.required).map((f) => [f.name, answerTo(f)])), ...over };
}
