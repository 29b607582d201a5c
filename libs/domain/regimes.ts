/**
 * Regulatory clocks that may run beside an incident's 72-hour internal report, as data:
 * adding a regime is adding an entry here (or in AIMS_REGIMES_FILE), not workflow code.
 * Deadlines count from awareness, which the orchestrator takes as the detection time.
 */
import { ESCALATION_LEVELS, EscalationLevel, Ladder, validateLadder } from './ladder';
import { DAY_MS, HOUR_MS } from './time';

export interface RegulatoryReportRule {
  /** Unique within the regime, e.g. "early-warning". */
  key: string;
  label: string;
  /** Deadline after awareness. */
  dueAfterMs: number;
}

export interface RegimeVariant {
  label: string;
  reports: RegulatoryReportRule[];
}

export interface Regime {
  id: string;
  name: string;
  /** Who receives the reports, for the people filing them. */
  authority: string;
  /** Who hears of a missed deadline besides the responder. */
  escalateTo: EscalationLevel[];
  defaultVariant: string;
  variants: Record<string, RegimeVariant>;
}

export const REGIMES: Record<string, Regime> = {
  'eu-ai-act-art73': {
    id: 'eu-ai-act-art73',
    name: 'EU AI Act art. 73 (serious incident, provider of a high-risk AI system)',
    authority: 'market surveillance authority of the Member State where the incident occurred',
    escalateTo: ['governance_lead', 'top_management'],
    defaultVariant: 'standard',
    variants: {
      standard: { label: 'serious incident', reports: [{ key: 'report', label: 'Serious incident report', dueAfterMs: 15 * DAY_MS }] },
      death: { label: 'a person died', reports: [{ key: 'report', label: 'Serious incident report (death)', dueAfterMs: 10 * DAY_MS }] },
      widespread: {
        label: 'widespread infringement or serious and irreversible disruption of critical infrastructure',
        reports: [{ key: 'report', label: 'Serious incident report (widespread or critical infrastructure)', dueAfterMs: 2 * DAY_MS }],
      },
    },
  },
  'gdpr-art33': {
    id: 'gdpr-art33',
    name: 'GDPR art. 33 (personal data breach)',
    authority: 'supervisory authority',
    escalateTo: ['governance_lead', 'top_management'],
    defaultVariant: 'standard',
    variants: {
      standard: {
        label: 'personal data breach',
        reports: [{ key: 'notification', label: 'Breach notification', dueAfterMs: 72 * HOUR_MS }],
      },
    },
  },
  'nis2-art23': {
    id: 'nis2-art23',
    name: 'NIS2 art. 23 (significant incident)',
    authority: 'CSIRT or competent authority',
    escalateTo: ['governance_lead', 'top_management'],
    defaultVariant: 'standard',
    variants: {
      standard: {
        label: 'significant incident',
        reports: [
          { key: 'early-warning', label: 'Early warning', dueAfterMs: 24 * HOUR_MS },
          { key: 'notification', label: 'Incident notification', dueAfterMs: 72 * HOUR_MS },
          // "One month after the notification": taken as 30 days after awareness + 72 h.
          { key: 'final-report', label: 'Final report', dueAfterMs: 72 * HOUR_MS + 30 * DAY_MS },
        ],
      },
    },
  },
};

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export interface ResolvedRegulatoryReport {
  regimeId: string;
  variant: string;
  key: string;
  label: string;
  dueAt: string;
}

/** The reports a regime (and variant) requires for an incident aware at `awareAt`, or why not. */
export function resolveRegime(
  regimeId: string,
  variant: string | undefined,
  awareAt: Date,
  regimes: Record<string, Regime> = REGIMES,
): { reports: ResolvedRegulatoryReport[] } | { error: string } {
  // Own entries only: "constructor" or "__proto__" is no regime.
  const regime = own(regimes, regimeId);
  if (!regime) return { error: `unknown regime ${regimeId}; known: ${Object.keys(regimes).join(', ')}` };
  const v = variant ?? regime.defaultVariant;
  const rules = own(regime.variants, v);
  if (!rules) return { error: `regime ${regimeId} has no variant ${v}; known: ${Object.keys(regime.variants).join(', ')}` };
  return {
    reports: rules.reports.map((r) => ({
      regimeId,
      variant: v,
      key: r.key,
      label: r.label,
      dueAt: new Date(awareAt.getTime() + r.dueAfterMs).toISOString(),
    })),
  };
}

/**
 * The ladder of a regulatory report with a window of `windowMs` from awareness to deadline:
 * remind the responder at half the window and at five sixths of it, breach at the deadline
 * (responder + the regime's escalation), then remind every 12 hours (or half the window,
 * if shorter) until the report is in.
 */
export function regulatoryLadder(windowMs: number, escalateTo: EscalationLevel[]): Ladder {
  const every = Math.max(HOUR_MS, Math.min(12 * HOUR_MS, windowMs / 2));
  return [
    { key: 'remind-half-window', offsetMs: -windowMs / 2, action: 'remind', levels: ['owner'] },
    { key: 'remind-last-sixth', offsetMs: -windowMs / 6, action: 'remind', levels: ['owner'] },
    // The responder is always told; a regime naming `owner` again, or a level twice, tells nobody twice.
    { key: 'breach-deadline', offsetMs: 0, action: 'breach', levels: [...new Set<EscalationLevel>(['owner', ...escalateTo])] },
    { key: 'remind-after-breach', offsetMs: every, action: 'remind', levels: ['owner'], repeatEveryMs: every },
  ];
}

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** The internal report: a draft is due 72 hours after detection. */
export const INCIDENT_REPORT_WINDOW_MS = 72 * HOUR_MS;
/** The final report is due 30 days after detection (then closure). */
export const INCIDENT_FINAL_REPORT_WINDOW_MS = 30 * DAY_MS;

/**
 * Reads regimes given as data (AIMS_REGIMES_FILE: a JSON object of regimes by id, with deadlines
 * as `dueAfterHours`) and merges them over the built-in ones. Returns every problem at once.
 */
export function parseRegimeCatalog(
  json: unknown,
  base: Record<string, Regime> = REGIMES,
): { catalog: Record<string, Regime> } | { problems: string[] } {
  const problems: string[] = [];
  if (!json || typeof json !== 'object' || Array.isArray(json))
    return { problems: ['the regimes file must hold a JSON object of regimes by id'] };
  const catalog: Record<string, Regime> = { ...base };
  const levels: readonly string[] = ESCALATION_LEVELS;
  const text = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  for (const [id, raw] of Object.entries(json as Record<string, unknown>)) {
    const r = raw as Record<string, unknown>;
    const at = `regime ${id}`;
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) problems.push(`${at}: the id must be lower-case letters, digits and dashes`);
    if (!r || typeof r !== 'object') {
      problems.push(`${at}: must be an object`);
      continue;
    }
    if (!text(r.name)) problems.push(`${at}: name is required`);
    if (!text(r.authority)) problems.push(`${at}: authority is required`);
    const escalateTo = Array.isArray(r.escalateTo) ? r.escalateTo : ['governance_lead', 'top_management'];
    const escalateToKnown = escalateTo.every((l) => levels.includes(l as string));
    if (!escalateToKnown) problems.push(`${at}: escalateTo may hold only ${levels.join(', ')}`);
    const variantsRaw = r.variants as Record<string, { label?: unknown; reports?: unknown }> | undefined;
    if (!variantsRaw || typeof variantsRaw !== 'object' || !Object.keys(variantsRaw).length) {
      problems.push(`${at}: variants must name at least one variant`);
      continue;
    }
    const variants: Record<string, RegimeVariant> = {};
    for (const [vid, v] of Object.entries(variantsRaw)) {
      const reports = Array.isArray(v?.reports) ? (v.reports as Array<Record<string, unknown>>) : [];
      if (!reports.length) problems.push(`${at} variant ${vid}: at least one report`);
      const keys = new Set<string>();
      const rules: RegulatoryReportRule[] = [];
      reports.forEach((rep, i) => {
        const key = String(rep?.key ?? '');
        if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(key) || keys.has(key))
          problems.push(`${at} variant ${vid} report ${i}: key must be unique, lower-case letters, digits and dashes`);
        keys.add(key);
        if (!text(rep?.label)) problems.push(`${at} variant ${vid} report ${i}: label is required`);
        const hours = Number(rep?.dueAfterHours);
        const hoursValid = Number.isFinite(hours) && hours >= 1 && hours <= 24 * 366;
        if (!hoursValid) problems.push(`${at} variant ${vid} report ${i}: dueAfterHours must be between 1 and 8784`);
        // The ladder this report's task will run, checked now rather than when an incident needs it.
        if (hoursValid && escalateToKnown) {
          for (const p of validateLadder(regulatoryLadder(hours * HOUR_MS, escalateTo as EscalationLevel[])))
            problems.push(`${at} variant ${vid} report ${i}: its ladder is not valid: ${p}`);
        }
        rules.push({ key, label: String(rep?.label ?? ''), dueAfterMs: hours * HOUR_MS });
      });
      variants[vid] = { label: text(v?.label) ? String(v.label) : vid, reports: rules };
    }
    const defaultVariant = text(r.defaultVariant) ? String(r.defaultVariant) : Object.keys(variants)[0];
    if (!own(variants, defaultVariant)) problems.push(`${at}: defaultVariant ${defaultVariant} is not one of its variants`);
    catalog[id] = {
      id,
      name: String(r.name ?? ''),
      authority: String(r.authority ?? ''),
      escalateTo: escalateTo as EscalationLevel[],
      defaultVariant,
      variants,
    };
  }
  return problems.length ? { problems } : { catalog };
}
