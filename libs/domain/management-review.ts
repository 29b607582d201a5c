/**
 * The management review (ISO/IEC 42001 9.3): what top management decide (9.3.3) and the rules
 * a decision must meet, and how long the meeting has.
 */
import { addCalendar, CalendarDuration, zonedParts } from './time';

/** 9.3.3: decisions on continual improvement, on changes to the AIMS, and on resources. */
export const MANAGEMENT_REVIEW_DECISION_TYPES = ['improvement', 'aims-change', 'resources'] as const;
export type ManagementReviewDecisionType = (typeof MANAGEMENT_REVIEW_DECISION_TYPES)[number];

/** Top management hold the meeting within 30 calendar days of the review's opening. */
export const MANAGEMENT_REVIEW_MEETING_DUE: CalendarDuration = { days: 30 };

/** Most decisions one meeting records (a sane bound on one Update's work). */
export const MAX_REVIEW_DECISIONS = 50;

export interface DecisionDraft {
  text?: unknown;
  type?: unknown;
  action?: { title?: unknown; ownerId?: unknown; dueAt?: unknown } | null;
}

const filled = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/**
 * What is wrong with the decisions, by field (`decisions[0].action.dueAt`); empty when they are
 * acceptable. Whether an owner is an active person is the directory's to say, not this rule's.
 */
export function decisionProblems(decisions: unknown, now: Date): { field: string; message: string }[] {
  if (!Array.isArray(decisions) || decisions.length === 0) return [{ field: 'decisions', message: 'at least one decision is required' }];
  if (decisions.length > MAX_REVIEW_DECISIONS)
    return [{ field: 'decisions', message: `at most ${MAX_REVIEW_DECISIONS} decisions per review` }];
  const out: { field: string; message: string }[] = [];
  decisions.forEach((d: DecisionDraft, i) => {
    const at = `decisions[${i}]`;
    if (!d || typeof d !== 'object') {
      out.push({ field: at, message: 'a decision is an object with text and type' });
      return;
    }
    if (!filled(d.text)) out.push({ field: `${at}.text`, message: 'the decision needs a non-empty text' });
    if (!MANAGEMENT_REVIEW_DECISION_TYPES.includes(d.type as ManagementReviewDecisionType))
      out.push({ field: `${at}.type`, message: `type must be one of ${MANAGEMENT_REVIEW_DECISION_TYPES.join(', ')}` });
    if (d.action === undefined || d.action === null) return;
    if (!filled(d.action.title)) out.push({ field: `${at}.action.title`, message: 'the action needs a non-empty title' });
    if (!filled(d.action.ownerId)) out.push({ field: `${at}.action.ownerId`, message: 'the action needs an owner' });
    const due = typeof d.action.dueAt === 'string' ? Date.parse(d.action.dueAt) : NaN;
    if (Number.isNaN(due)) out.push({ field: `${at}.action.dueAt`, message: 'dueAt must be an ISO date-time' });
    else if (due <= now.getTime())
      out.push({ field: `${at}.action.dueAt`, message: `the action's due time ${String(d.action.dueAt)} is not in the future` });
  });
  return out;
}

/**
 * The opening of the period before the one from `opensAt` to `endsAt` (as many calendar months
 * back as the period is long): what a first review's pack counts changes from.
 */
export function previousPeriodOpening(opensAt: Date, endsAt: Date, timeZone: string): Date {
  const a = zonedParts(opensAt, timeZone);
  const b = zonedParts(endsAt, timeZone);
  const months = Math.max(1, (b.year - a.year) * 12 + (b.month - a.month));
  return addCalendar(opensAt, { months: -months }, timeZone);
}
