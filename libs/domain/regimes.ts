/**
 * Regulatory clocks that may run beside an incident's 72-hour internal report, as data:
 * adding a regime is adding an entry here (or in AIMS_REGIMES_FILE), not workflow code.
 * A deadline is a duration (hours, calendar days or calendar months in the organisation's zone)
 * counted from detection, from awareness (the incident's or the regime's `awareAt`, detection
 * when none) or from the submission of another report of the same regime.
 */
import { ESCALATION_LEVELS, EscalationLevel, Ladder, validateLadder } from './ladder';
import { addCalendar, CalendarDuration, calendarDurationProblems, HOUR_MS, nominalMs } from './time';

/** What a report's deadline counts from; `{ after }` names an earlier report of the same variant. */
export type ReportAnchor = 'detection' | 'awareness' | { after: string };

export interface RegulatoryReportRule {
  /** Unique within the regime, e.g. "early-warning". */
  key: string;
  label: string;
  /**
   * The nominal deadline in ms (a day as 24 h, a month as 30 days), for display and checks.
   * A rule with no `dueAfter` (the short form) is due exactly this long after its anchor.
   */
  dueAfterMs: number;
  /** The deadline as people count it: hours exact, days and months on the calendar. */
  dueAfter?: CalendarDuration;
  /** What the deadline counts from; awareness when absent. */
  from?: ReportAnchor;
}

/** The duration a rule's deadline runs for. */
export function ruleDuration(rule: Pick<RegulatoryReportRule, 'dueAfterMs' | 'dueAfter'>): CalendarDuration {
  return rule.dueAfter ?? { hours: rule.dueAfterMs / HOUR_MS };
}

/** The report a rule's deadline counts after, if it counts after the submission of another one. */
export function ruleAfter(rule: Pick<RegulatoryReportRule, 'from'>): string | undefined {
  return typeof rule.from === 'object' && rule.from !== null ? rule.from.after : undefined;
}

const rule = (key: string, label: string, dueAfter: CalendarDuration, from: ReportAnchor = 'awareness'): RegulatoryReportRule => ({
  key,
  label,
  dueAfterMs: nominalMs(dueAfter),
  dueAfter,
  from,
});

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
      standard: { label: 'serious incident', reports: [rule('report', 'Serious incident report', { days: 15 })] },
      death: { label: 'a person died', reports: [rule('report', 'Serious incident report (death)', { days: 10 })] },
      widespread: {
        label: 'widespread infringement or serious and irreversible disruption of critical infrastructure',
        reports: [rule('report', 'Serious incident report (widespread or critical infrastructure)', { days: 2 })],
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
        reports: [rule('notification', 'Breach notification', { hours: 72 })],
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
          rule('early-warning', 'Early warning', { hours: 24 }),
          rule('notification', 'Incident notification', { hours: 72 }),
          // Art. 23(4)(d): one month after the notification was submitted (after its deadline while it is not).
          rule('final-report', 'Final report', { months: 1 }, { after: 'notification' }),
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
  /** The deadline; for a report counted after another one, the provisional one (after its deadline). */
  dueAt: string;
  /** Where its window starts (its anchor's instant): its ladder's reminders are fractions of the window. */
  windowStartsAt: string;
  /** Counted after the submission of this report of the same regime (its key in the regime). */
  after?: string;
  /** With `after`: the duration after that report's submission. */
  dueAfterSubmission?: CalendarDuration;
}

/** The instants a regime's deadlines count from. */
export interface RegimeAnchors {
  detectedAt: Date;
  /** Awareness (never before detection); detection when absent. */
  awareAt?: Date;
  /** The organisation's zone for days and months; UTC when absent. */
  timeZone?: string;
}

/**
 * The reports a regime (and variant) requires, or why not. `at` is the awareness instant (also
 * taken as detection), or the anchors themselves.
 */
export function resolveRegime(
  regimeId: string,
  variant: string | undefined,
  at: Date | RegimeAnchors,
  regimes: Record<string, Regime> = REGIMES,
): { reports: ResolvedRegulatoryReport[] } | { error: string } {
  const anchors: RegimeAnchors = at instanceof Date ? { detectedAt: at } : at;
  const zone = anchors.timeZone ?? 'UTC';
  const awareAt = anchors.awareAt ?? anchors.detectedAt;
  // Own entries only: "constructor" or "__proto__" is no regime.
  const regime = own(regimes, regimeId);
  if (!regime) return { error: `unknown regime ${regimeId}; known: ${Object.keys(regimes).join(', ')}` };
  const v = variant ?? regime.defaultVariant;
  const rules = own(regime.variants, v);
  if (!rules) return { error: `regime ${regimeId} has no variant ${v}; known: ${Object.keys(regime.variants).join(', ')}` };
  const resolved: ResolvedRegulatoryReport[] = [];
  for (const r of rules.reports) {
    const after = ruleAfter(r);
    const base = after !== undefined ? resolved.find((x) => x.key === after) : undefined;
    if (after !== undefined && !base)
      return { error: `regime ${regimeId} variant ${v} report ${r.key}: counts after ${after}, not an earlier report` };
    const start = base ? new Date(base.dueAt) : r.from === 'detection' ? anchors.detectedAt : awareAt;
    const duration = ruleDuration(r);
    resolved.push({
      regimeId,
      variant: v,
      key: r.key,
      label: r.label,
      dueAt: addCalendar(start, duration, zone).toISOString(),
      windowStartsAt: start.toISOString(),
      ...(after !== undefined ? { after, dueAfterSubmission: duration } : {}),
    });
  }
  return { reports: resolved };
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
export const INCIDENT_FINAL_REPORT_WINDOW_MS = 30 * 24 * HOUR_MS;

/** The largest deadline a regimes file may give, per unit. */
const DUE_AFTER_LIMITS = { hours: 24 * 366, days: 366, months: 12 } as const;

/** A report's deadline: `dueAfter: {hours|days|months: n}`, or the short form `dueAfterHours: n`. */
function parseDueAfter(rep: Record<string, unknown>, where: string, problems: string[]): CalendarDuration | undefined {
  const hasLong = 'dueAfter' in rep;
  const hasShort = 'dueAfterHours' in rep;
  if (hasLong && hasShort) {
    problems.push(`${where}: give dueAfter or dueAfterHours, not both`);
    return undefined;
  }
  if (!hasLong) {
    const hours = Number(rep.dueAfterHours);
    if (!(Number.isFinite(hours) && hours >= 1 && hours <= DUE_AFTER_LIMITS.hours)) {
      problems.push(`${where}: dueAfterHours must be between 1 and ${DUE_AFTER_LIMITS.hours}`);
      return undefined;
    }
    return { hours };
  }
  const shape = calendarDurationProblems(rep.dueAfter);
  if (shape.length) {
    problems.push(`${where}: dueAfter: ${shape.join('; ')}`);
    return undefined;
  }
  const [unit, n] = Object.entries(rep.dueAfter as Record<string, number>)[0] as [keyof typeof DUE_AFTER_LIMITS, number];
  if (n < 1 || n > DUE_AFTER_LIMITS[unit]) {
    problems.push(`${where}: dueAfter.${unit} must be between 1 and ${DUE_AFTER_LIMITS[unit]}`);
    return undefined;
  }
  return { [unit]: n } as CalendarDuration;
}

/** What a report counts from: 'detection', 'awareness' or {"after": "<an earlier report's key>"}. */
function parseFrom(raw: unknown, earlier: string[], key: string, where: string, problems: string[]): ReportAnchor | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'detection' || raw === 'awareness') return raw;
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 1 && 'after' in raw) {
    const after = (raw as { after: unknown }).after;
    if (typeof after === 'string' && earlier.includes(after)) return { after };
    problems.push(
      after === key
        ? `${where}: from.after cannot name the report itself (${key})`
        : `${where}: from.after must name an earlier report of the same variant (${earlier.length ? earlier.join(', ') : 'none before it'}), not ${JSON.stringify(after)}`,
    );
    return undefined;
  }
  problems.push(`${where}: from must be "detection", "awareness" or {"after": "<report key>"}`);
  return undefined;
}

/**
 * Reads regimes given as data (AIMS_REGIMES_FILE: a JSON object of regimes by id, each report with
 * `dueAfter` and an optional `from`, or the short form `dueAfterHours`) and merges them over the
 * built-in ones. Returns every problem at once.
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
      reports.forEach((raw, i) => {
        const rep = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
        const key = String(rep.key ?? '');
        const earlier = [...keys];
        if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(key) || keys.has(key))
          problems.push(`${at} variant ${vid} report ${i}: key must be unique, lower-case letters, digits and dashes`);
        keys.add(key);
        if (!text(rep?.label)) problems.push(`${at} variant ${vid} report ${i}: label is required`);
        const where = `${at} variant ${vid} report ${i}`;
        const due = parseDueAfter(rep, where, problems);
        const from = parseFrom(rep.from, earlier, key, where, problems);
        // The ladder this report's task will run, checked now rather than when an incident needs it.
        if (due && escalateToKnown) {
          for (const p of validateLadder(regulatoryLadder(nominalMs(due), escalateTo as EscalationLevel[])))
            problems.push(`${where}: its ladder is not valid: ${p}`);
        }
        if (due) {
          rules.push({
            key,
            label: String(rep?.label ?? ''),
            dueAfterMs: nominalMs(due),
            // The short form (dueAfterHours, no from) reads exactly as before: hours after awareness.
            ...('dueAfter' in rep || from !== undefined ? { dueAfter: due } : {}),
            ...(from !== undefined ? { from } : {}),
          });
        }
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
