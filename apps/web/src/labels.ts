/** The domain's words as a person reads them. */
import type { Role } from './api/types';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  governance_lead: 'Governance lead',
  owner: 'System owner',
  responder: 'Incident responder',
  management: 'Top management',
  auditor: 'Auditor',
};

/** ESCALATION_LEVELS of libs/domain/ladder.ts, by index. */
export const ESCALATION_LEVELS = ['owner', 'manager', 'governance_lead', 'top_management'] as const;

const LEVEL_LABELS: Record<string, string> = {
  owner: 'the owner',
  manager: "the owner's manager",
  governance_lead: 'the governance lead',
  top_management: 'top management',
};

export function levelLabel(level: string): string {
  return LEVEL_LABELS[level] ?? level.replace(/_/g, ' ');
}

/** "Not escalated" / "Escalated to the owner's manager (level 1)". */
export function escalationLabel(level: number): string {
  if (level <= 0) return 'Not escalated';
  return `Escalated to ${levelLabel(ESCALATION_LEVELS[level] ?? `level ${level}`)} (level ${level})`;
}

const ACTION_LABELS: Record<string, string> = { remind: 'Reminder', escalate: 'Escalation', breach: 'Breach notice' };

export function ladderActionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** "Reminder to the owner", "Escalation to the owner's manager and the governance lead". */
export function ladderStepLabel(step: { action: string; levels: string[] }): string {
  const who = step.levels.map(levelLabel);
  const list = who.length <= 1 ? (who[0] ?? '') : `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}`;
  return list ? `${ladderActionLabel(step.action)} to ${list}` : ladderActionLabel(step.action);
}

const KIND_LABELS: Record<string, string> = {
  'high-risk-review': 'High-risk review',
  aiia: 'AI impact assessment',
  'incident-report': 'Incident report',
  'regulatory-report': 'Regulatory report',
  'corrective-action-step': 'Corrective action step',
  'audit-plan': 'Audit plan',
  'internal-audit': 'Internal audit',
  'audit-report': 'Audit report',
  'management-review': 'Management review',
  'management-review-action': 'Management review action',
  'policy-review': 'Policy review',
  'inventory-recertification': 'Inventory recertification',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/-/g, ' ');
}

const STATE_LABELS: Record<string, string> = {
  open: 'Open',
  submitted: 'Submitted, awaiting approval',
  approved: 'Approved',
  completed: 'Completed',
  cancelled: 'Cancelled',
  closed: 'Closed',
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

const SUBJECT_LABELS: Record<string, string> = {
  'ai-system': 'AI system',
  incident: 'Incident',
  nonconformity: 'Nonconformity',
  'audit-programme': 'Audit programme',
  'management-review': 'Management review',
  policy: 'AI policy',
  person: 'Person',
};

export function subjectLabel(type: string): string {
  return SUBJECT_LABELS[type] ?? words(type);
}

export function words(s: string): string {
  const t = s.replace(/[_-]+/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}
