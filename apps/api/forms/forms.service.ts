import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ApiConfig } from '../../../libs/config';
import { FormDefinition, FormSubmission, validateAnswers } from '../../../libs/domain';
import { API_CONFIG } from '../config/api-config.module';
import { FieldError, ValidationFailedException } from '../common/validation';

/**
 * The forms work is submitted with (the built-in catalog with AIMS_FORMS_FILE over it), and the
 * one check of a submission's answers against its kind's current form, for every route that
 * takes answers (tasks, incident reports, audit findings).
 */
@Injectable()
export class FormsService {
  private readonly forms: Record<string, FormDefinition>;

  constructor(@Inject(API_CONFIG) config: Pick<ApiConfig, 'forms'>) {
    this.forms = config.forms;
  }

  list(): FormDefinition[] {
    return Object.values(this.forms).sort((a, b) => a.kind.localeCompare(b.kind));
  }

  /** The current form of a kind of work, if it has one. */
  formOf(kind: string | undefined): FormDefinition | undefined {
    return kind !== undefined && Object.prototype.hasOwnProperty.call(this.forms, kind) ? this.forms[kind] : undefined;
  }

  get(kind: string): FormDefinition {
    const form = this.formOf(kind);
    if (!form) throw new NotFoundException(`no form for ${kind}; the forms are ${Object.keys(this.forms).sort().join(', ')}`);
    return form;
  }

  /**
   * Every problem of the answers given for work of `formKind` (fields named `<prefix>.<name>`):
   * work with a form needs answers that fit its current version; work without one takes none.
   * Returns the submission to store (undefined: a summary-only one) and the problems.
   */
  check(formKind: string | undefined, answers: unknown, prefix = 'answers'): { submission?: FormSubmission; problems: FieldError[] } {
    const form = this.formOf(formKind);
    // null is no answers, as absent.
    if (answers === null) answers = undefined;
    if (!form) {
      if (answers === undefined) return { problems: [] };
      const what = formKind ?? 'this work';
      return { problems: [{ field: prefix, messages: [`${what} has no form: submit it without ${prefix}`] }] };
    }
    const problems: FieldError[] = [];
    if (answers === undefined)
      problems.push({
        field: prefix,
        messages: [
          `${prefix} is required: this work is submitted with the ${form.kind} form (version ${form.version}, GET /forms/${form.kind})`,
        ],
      });
    for (const p of validateAnswers(form, answers ?? {}, prefix)) problems.push({ field: p.field, messages: [p.message] });
    if (problems.length) return { problems };
    return { submission: { form: { kind: form.kind, version: form.version }, answers: answers as Record<string, unknown> }, problems };
  }

  /** `check`, refused with one 400 naming every problem. */
  submission(formKind: string | undefined, answers: unknown, prefix = 'answers'): FormSubmission | undefined {
    const { submission, problems } = this.check(formKind, answers, prefix);
    if (problems.length) throw new ValidationFailedException(problems);
    return submission;
  }
}
