/**
 * Which reports an incident owes and when, from its detection time and the regimes that
 * apply. The API resolves this once and hands it to the workflow, so the workflow runs any
 * regime without knowing it: adding a regime is data.
 */
import {
  addCalendar,
  DAY_MS,
  DEFAULT_LADDER,
  INCIDENT_FINAL_REPORT_WINDOW_MS,
  INCIDENT_REPORT_LADDER,
  INCIDENT_REPORT_WINDOW_MS,
  Regime,
  REGIMES,
  regulatoryLadder,
  resolveRegime,
} from '../domain';
import { incidentReportTaskId } from './ids';
import type { AppliedRegime, IncidentReportPlan, RegimeChoice } from './incident';

export interface RegimeProblem {
  /** Index in the request's `regimes` list; -1 for the incident's own `awareAt`. */
  index: number;
  field: 'id' | 'variant' | 'awareAt';
  message: string;
}

export type IncidentPlanResult = { reports: IncidentReportPlan[]; regimes: AppliedRegime[] } | { problems: RegimeProblem[] };

/** Why an awareness instant cannot be taken, or undefined: it is a valid instant, not before detection. */
export function awareAtProblem(awareAt: string, detectedAt: Date, field = 'awareAt'): string | undefined {
  const ms = Date.parse(awareAt);
  if (Number.isNaN(ms)) return `${field} must be an ISO date-time`;
  if (ms < detectedAt.getTime())
    return `${field} ${awareAt} is before detection (${detectedAt.toISOString()}); awareness never comes before detection`;
  return undefined;
}

/**
 * `awareAt`: the incident's awareness (detection when absent). A regime's own `awareAt` wins for
 * its clocks. Neither may lie before detection.
 */
export function planIncidentReports(
  incidentId: string,
  detectedAt: Date,
  choices: RegimeChoice[],
  catalog: Record<string, Regime> = REGIMES,
  timeZone?: string,
  awareAt?: string,
): IncidentPlanResult {
  const at = (ms: number) => new Date(detectedAt.getTime() + ms).toISOString();
  // The final report's 30 days are calendar days in the organisation's zone (same local time);
  // without a zone, 30 x 24 h. The 72-hour draft is exact hours either way.
  const finalDueAt =
    timeZone !== undefined
      ? addCalendar(detectedAt, { days: INCIDENT_FINAL_REPORT_WINDOW_MS / DAY_MS }, timeZone).toISOString()
      : at(INCIDENT_FINAL_REPORT_WINDOW_MS);
  const reports: IncidentReportPlan[] = [
    {
      key: 'draft',
      kind: 'incident-report',
      label: 'Draft incident report (72 hours)',
      taskId: incidentReportTaskId(incidentId, 'draft'),
      dueAt: at(INCIDENT_REPORT_WINDOW_MS),
      ladder: INCIDENT_REPORT_LADDER,
    },
    {
      key: 'final',
      kind: 'incident-report',
      label: 'Final incident report',
      taskId: incidentReportTaskId(incidentId, 'final'),
      dueAt: finalDueAt,
      ladder: DEFAULT_LADDER,
      after: 'draft',
    },
  ];
  const problems: RegimeProblem[] = [];
  const regimes: AppliedRegime[] = [];
  const incidentAwareProblem = awareAt !== undefined ? awareAtProblem(awareAt, detectedAt) : undefined;
  if (incidentAwareProblem) problems.push({ index: -1, field: 'awareAt', message: incidentAwareProblem });
  choices.forEach((choice, index) => {
    if (choices.findIndex((c) => c.id === choice.id) !== index) {
      problems.push({ index, field: 'id', message: `regime ${choice.id} is listed twice` });
      return;
    }
    const ownAware = choice.awareAt !== undefined ? awareAtProblem(choice.awareAt, detectedAt) : undefined;
    if (ownAware) {
      problems.push({ index, field: 'awareAt', message: ownAware });
      return;
    }
    const aware = choice.awareAt ?? (incidentAwareProblem ? undefined : awareAt);
    const resolved = resolveRegime(
      choice.id,
      choice.variant,
      { detectedAt, ...(aware !== undefined ? { awareAt: new Date(aware) } : {}), ...(timeZone !== undefined ? { timeZone } : {}) },
      catalog,
    );
    if ('error' in resolved) {
      problems.push({ index, field: Object.prototype.hasOwnProperty.call(catalog, choice.id) ? 'variant' : 'id', message: resolved.error });
      return;
    }
    const regime = catalog[choice.id];
    const variant = resolved.reports[0]?.variant ?? choice.variant ?? regime.defaultVariant;
    regimes.push({ id: choice.id, variant, ...(choice.awareAt !== undefined ? { awareAt: new Date(choice.awareAt).toISOString() } : {}) });
    for (const r of resolved.reports) {
      const key = `${regime.id}:${r.key}`;
      reports.push({
        key,
        kind: 'regulatory-report',
        label: `${r.label}, ${regime.name}`,
        taskId: incidentReportTaskId(incidentId, key),
        dueAt: r.dueAt,
        ladder: regulatoryLadder(Date.parse(r.dueAt) - Date.parse(r.windowStartsAt), regime.escalateTo),
        ...(r.after !== undefined ? { after: `${regime.id}:${r.after}`, dueAfterSubmission: r.dueAfterSubmission } : {}),
        regime: { id: regime.id, variant, name: regime.name, authority: regime.authority },
      });
    }
  });
  return problems.length ? { problems } : { reports, regimes };
}
