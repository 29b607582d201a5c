/**
 * What POST /tasks/:id/submit hands to the workflow besides the summary: the answers checked
 * against the current form of the work (every problem in one 400), and an effectiveness check's
 * outcome. The outcome may come at the top level (as before forms), as the form's `outcome`
 * answer, or both when they agree; the top-level one fills the answer when the answers leave it out.
 */
import { formKindOfTask } from '../../../libs/contracts';
import { EFFECTIVENESS_OUTCOMES, FormSubmission, TaskKind } from '../../../libs/domain';
import { fieldError } from '../common/validation';
import type { FormsService } from '../forms/forms.service';

export function checkTaskSubmission(
  forms: Pick<FormsService, 'formOf' | 'submission'>,
  taskId: string,
  kind: TaskKind,
  dto: { outcome?: string; answers?: Record<string, unknown> | null },
): { submission?: FormSubmission; outcome?: string } {
  const formKind = formKindOfTask(taskId, kind);
  const outcomeField = !!forms.formOf(formKind)?.fields.some((f) => f.name === 'outcome');
  const takesOutcome = formKind === 'effectiveness-check';
  let answers = dto.answers;
  if (takesOutcome && outcomeField && dto.outcome !== undefined && answers && typeof answers === 'object') {
    const given = answers.outcome;
    if (given === undefined || given === null) answers = { ...answers, outcome: dto.outcome };
    else if (given !== dto.outcome)
      throw fieldError(
        'answers.outcome',
        `answers.outcome (${JSON.stringify(given)}) and outcome (${dto.outcome}) disagree: give one, or the same`,
      );
  }
  const submission = forms.submission(formKind, answers);
  if (!takesOutcome) return { submission };
  const outcome = dto.outcome ?? (outcomeField ? (submission?.answers.outcome as string | undefined) : undefined);
  if (outcome === undefined)
    throw fieldError('outcome', `outcome is required for an effectiveness check: ${EFFECTIVENESS_OUTCOMES.join(' or ')}`);
  return { submission, outcome };
}
