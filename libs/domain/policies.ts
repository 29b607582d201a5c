/**
 * The AI policy register's rules (ISO/IEC 42001 5.2, A.2.2-A.2.4): each policy is reviewed
 * yearly and at once after a major change, by its owner, within 30 days; the review is
 * approved by someone other than the owner and ends "reviewed" (no change) or "revised" (a
 * new version, recorded on the policy).
 */
import { addCalendar, CalendarDuration } from './time';

/** AIMS-DOMAIN.md: an AI policy review is due 30 calendar days after it opens. */
export const POLICY_REVIEW_DUE: CalendarDuration = { days: 30 };

export function policyReviewDueAt(openedAt: Date, timeZone: string): Date {
  return addCalendar(openedAt, POLICY_REVIEW_DUE, timeZone);
}

/** "Reviewed or revised": the same version confirmed, or a new one. */
export const POLICY_REVIEW_OUTCOMES = ['reviewed', 'revised'] as const;
export type PolicyReviewOutcome = (typeof POLICY_REVIEW_OUTCOMES)[number];

/** Why a review was opened. */
export const POLICY_REVIEW_TRIGGERS = ['yearly', 'major-change'] as const;
export type PolicyReviewTrigger = (typeof POLICY_REVIEW_TRIGGERS)[number];

export const POLICY_VERSION_MAX = 50;

/** A version label: one short line ("1.0", "2026-03", "v3 draft 2"). */
export function policyVersionProblem(version: unknown): string | undefined {
  if (typeof version !== 'string' || version.trim().length === 0) return 'a version is required (e.g. 1.0)';
  if (version.trim().length > POLICY_VERSION_MAX) return `a version is at most ${POLICY_VERSION_MAX} characters`;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(version)) return 'a version is one line without control characters';
  return undefined;
}

/** A link (a policy's document, a form's urls answer): an absolute http(s) URL of at most 2000 characters. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2000) return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * The outcome a submission records: a new version is a revision; the current one confirmed is
 * "reviewed", which keeps the document too (a new document is a new version).
 */
export function policyReviewOutcome(
  current: { version: string; documentUrl: string },
  submitted: { newVersion: string; documentUrl?: string },
): { outcome: PolicyReviewOutcome } | { problem: { field: 'newVersion' | 'documentUrl'; message: string } } {
  const versionProblem = policyVersionProblem(submitted.newVersion);
  if (versionProblem) return { problem: { field: 'newVersion', message: versionProblem } };
  if (submitted.documentUrl !== undefined && !isHttpUrl(submitted.documentUrl))
    return { problem: { field: 'documentUrl', message: 'documentUrl must be an http(s) URL' } };
  if (submitted.newVersion.trim() !== current.version) return { outcome: 'revised' };
  if (submitted.documentUrl !== undefined && submitted.documentUrl !== current.documentUrl)
    return {
      problem: {
        field: 'documentUrl',
        message: `a new document is a revision: give it a new version (the policy is at version ${current.version})`,
      },
    };
  return { outcome: 'reviewed' };
}
