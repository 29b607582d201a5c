/** What POST /tasks/:id/submit checks before anything reaches a workflow: the answers against the work's current form, and a check's outcome. */
import { HttpException } from '@nestjs/common';
import { FormsService } from '../../../apps/api/forms/forms.service';
import { checkTaskSubmission } from '../../../apps/api/tasks/task-submission';
import { correctiveStepTaskId } from '../../../libs/contracts';
import { FORMS, parseFormCatalog } from '../../../libs/domain';
import { validAnswers } from '../../support/form-answers';

const forms = new FormsService({ forms: FORMS });
const NC = '3f6c2a1e-0000-4000-8000-000000000000';
const review = `high-risk-review:${NC}:2026-Q4`;
const check = correctiveStepTaskId(NC, 'effectiveness-check', 1);
const containment = correctiveStepTaskId(NC, 'containment');

/** The fields a refusal names (the validation format's `errors[].field`). */
function refusedFields(call: () => unknown): string[] {
  try {
    call();
  } catch (err) {
    if (!(err instanceof HttpException) || err.getStatus() !== 400) throw err;
    return (err.getResponse() as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
  }
  throw new Error('expected a 400');
}

describe('checkTaskSubmission', () => {
  it('work with a form: valid answers become the submission, with the form’s kind and version', () => {
    const answers = validAnswers('high-risk-review');
    expect(checkTaskSubmission(forms, review, 'high-risk-review', { answers })).toEqual({
      submission: { form: { kind: 'high-risk-review', version: 1 }, answers },
    });
  });

  it('work with a form: answers left out or broken are one 400 naming each field', () => {
    expect(refusedFields(() => checkTaskSubmission(forms, review, 'high-risk-review', {}))).toEqual([
      'answers',
      'answers.performance',
      'answers.performanceFinding',
      'answers.contextOfUse',
      'answers.contextFinding',
      'answers.newThreats',
      'answers.threatsFinding',
      'answers.dataDrift',
      'answers.driftFinding',
      'answers.conclusion',
    ]);
    const broken = { ...validAnswers('high-risk-review'), dataDrift: 'unknown', conclusion: 3, colour: 'red' };
    expect(refusedFields(() => checkTaskSubmission(forms, review, 'high-risk-review', { answers: broken }))).toEqual([
      'answers.dataDrift',
      'answers.conclusion',
      'answers.colour',
    ]);
  });

  it('work without a form takes no answers (null is none)', () => {
    expect(checkTaskSubmission(forms, containment, 'corrective-action-step', {})).toEqual({ submission: undefined });
    expect(checkTaskSubmission(forms, containment, 'corrective-action-step', { answers: null })).toEqual({ submission: undefined });
    expect(refusedFields(() => checkTaskSubmission(forms, containment, 'corrective-action-step', { answers: {} }))).toEqual(['answers']);
  });

  it("an effectiveness check's outcome: top level, in the answers, or both when they agree", () => {
    const rest = validAnswers('effectiveness-check');
    delete rest.outcome;
    const form = { kind: 'effectiveness-check', version: 1 };
    // At the top level (as before forms): it fills the form's outcome.
    expect(checkTaskSubmission(forms, check, 'corrective-action-step', { outcome: 'not_effective', answers: rest })).toEqual({
      submission: { form, answers: { ...rest, outcome: 'not_effective' } },
      outcome: 'not_effective',
    });
    // In the answers alone.
    expect(checkTaskSubmission(forms, check, 'corrective-action-step', { answers: { ...rest, outcome: 'effective' } })).toEqual({
      submission: { form, answers: { ...rest, outcome: 'effective' } },
      outcome: 'effective',
    });
    expect(
      checkTaskSubmission(forms, check, 'corrective-action-step', { outcome: 'effective', answers: { ...rest, outcome: 'effective' } })
        .outcome,
    ).toBe('effective');
    expect(
      refusedFields(() =>
        checkTaskSubmission(forms, check, 'corrective-action-step', {
          outcome: 'effective',
          answers: { ...rest, outcome: 'not_effective' },
        }),
      ),
    ).toEqual(['answers.outcome']);
    expect(refusedFields(() => checkTaskSubmission(forms, check, 'corrective-action-step', { answers: rest }))).toEqual([
      'answers.outcome',
    ]);
  });

  it('a forms file whose check has no outcome field: the outcome stays at the top level, and is required there', () => {
    const parsed = parseFormCatalog({
      'effectiveness-check': {
        version: 2,
        title: 'Check',
        fields: [{ name: 'evidence', label: 'Evidence', type: 'textarea', required: true }],
      },
    });
    if (!('catalog' in parsed)) throw new Error(parsed.problems.join('; '));
    const replaced = new FormsService({ forms: parsed.catalog });
    expect(checkTaskSubmission(replaced, check, 'corrective-action-step', { outcome: 'effective', answers: { evidence: 'Logs' } })).toEqual(
      {
        submission: { form: { kind: 'effectiveness-check', version: 2 }, answers: { evidence: 'Logs' } },
        outcome: 'effective',
      },
    );
    expect(refusedFields(() => checkTaskSubmission(replaced, check, 'corrective-action-step', { answers: { evidence: 'Logs' } }))).toEqual([
      'outcome',
    ]);
  });
});
