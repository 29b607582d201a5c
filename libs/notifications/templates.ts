/**
 * Email templates: one subject, plain text and HTML per notification kind. Each says what
 * the work is, when it is due, how early or late it is, and what to do next.
 */
import { appPages } from '../contracts';
import type { NotificationKind, NotifyInput } from '../contracts';
import type { EscalationLevel } from '../domain';
import { DAY_MS, formatInstant, HOUR_MS, MINUTE_MS } from '../domain';

export { formatInstant };

export interface TemplateInput {
  kind: NotificationKind;
  taskId: string;
  task: NotifyInput['task'];
  /** Workflow time of the notification (ISO): "now" for the reader. */
  at: string;
  recipient: { name: string; level: EscalationLevel };
  /** Whose work it is (for an alert: who registered the system). */
  owner?: { name: string; email?: string };
  /** Free text from the workflow: a rejection reason, a reassignment reason. */
  note?: string;
  /** Levels of the chain nobody holds, so the reader knows who else was not told. */
  unfilledLevels?: EscalationLevel[];
  /** AIMS_PUBLIC_URL: the base of the link to the work's page. */
  appUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What each kind of work is, to the reader (the compiler checks every kind has one). */
const KIND_LABEL: Record<NotifyInput['task']['kind'], string> = {
  'high-risk-review': 'the quarterly review of a high-risk AI system',
  aiia: 'an AI impact assessment (ISO/IEC 42005 guidance)',
  'incident-report': 'the AI incident report',
  'regulatory-report': 'a regulatory report of an AI incident',
  'corrective-action-step': 'a step of a corrective action (ISO/IEC 42001 10.2)',
  'audit-plan': 'the plan of the internal audit programme (ISO/IEC 42001 9.2)',
  'internal-audit': 'an internal audit (ISO/IEC 42001 9.2)',
  'audit-report': "the internal audit programme's report to top management (ISO/IEC 42001 9.2)",
  'management-review': 'the management review meeting (ISO/IEC 42001 9.3)',
  'management-review-action': 'an action decided by the management review (ISO/IEC 42001 9.3.3)',
  'policy-review': 'the review of an AI policy (ISO/IEC 42001 A.2.4)',
  'inventory-recertification': 'the recertification of your AI systems in the inventory',
  incident: 'an AI incident',
  alert: 'an alert',
};

export const LEVEL_LABEL: Record<EscalationLevel, string> = {
  owner: 'owner of the work',
  manager: "the owner's manager",
  governance_lead: 'governance lead (AIMS owner)',
  top_management: 'top management',
};

/** "3 days", "1 day 4 hours", "5 hours", "20 minutes". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (abs < HOUR_MS) return plural(Math.max(1, Math.round(abs / MINUTE_MS)), 'minute');
  if (abs < DAY_MS) return plural(Math.round(abs / HOUR_MS), 'hour');
  const days = Math.floor(abs / DAY_MS);
  const hours = Math.round((abs - days * DAY_MS) / HOUR_MS);
  return hours === 0 || hours === 24 ? plural(days + (hours === 24 ? 1 : 0), 'day') : `${plural(days, 'day')} ${plural(hours, 'hour')}`;
}

/** Where the due time stands relative to `at`: "due in 3 days", "due now", "3 days overdue". */
export function timing(dueAt: string | undefined, at: string): { text: string; lateMs: number } | undefined {
  if (!dueAt) return undefined;
  const lateMs = new Date(at).getTime() - new Date(dueAt).getTime();
  if (Number.isNaN(lateMs)) return undefined;
  if (Math.abs(lateMs) < MINUTE_MS) return { text: 'due now', lateMs };
  return { text: lateMs < 0 ? `due in ${formatDuration(lateMs)}` : `${formatDuration(lateMs)} overdue`, lateMs };
}

interface Parts {
  subject: string;
  paragraphs: string[];
  action: string;
}

/** The task actions of the API (apps/api/tasks): a typo here would send people to a 404. */
export type TaskAction = 'submit' | 'approve' | 'reject' | 'reassign' | 'extend';

export function taskPath(taskId: string, verb: TaskAction): string {
  return `/tasks/${taskId}/${verb}`;
}

function compose(input: TemplateInput): Parts {
  const { task, taskId, recipient } = input;
  const what = `${KIND_LABEL[task.kind] ?? task.kind} for ${task.subject.name}`;
  const due = task.dueAt ? formatInstant(task.dueAt) : undefined;
  const t = timing(task.dueAt, input.at);
  const ownerName = input.owner?.name ?? 'the owner';
  const dueLine = due ? `Due: ${due}${t ? ` (${t.text})` : ''}.` : '';
  const submit = `When the work is done, submit its outcome and evidence: POST ${taskPath(taskId, 'submit')} with {"summary": "...", "evidenceUrls": ["..."]}.${task.noApproval ? ' It is done when you submit it.' : ' Someone other than you approves it.'}`;
  const forOwner = recipient.level === 'owner';
  const ref = `Task: ${taskId}.`;

  switch (input.kind) {
    case 'opened':
      return {
        subject: `New work for you: ${task.title}${due ? ` (due ${due})` : ''}`,
        paragraphs: [`You are the accountable owner of new AIMS work: ${task.title}.`, `What it is: ${what}.`, dueLine, ref],
        action: submit,
      };
    case 'remind': {
      const late = t && t.lateMs >= MINUTE_MS;
      const when = !t ? 'is open' : late ? `is ${t.text}` : t.text === 'due now' ? 'is due now' : `is ${t.text}`;
      return {
        subject: forOwner ? `Reminder: ${task.title} ${when}` : `Reminder: ${ownerName}'s ${task.title} ${when}`,
        paragraphs: [
          forOwner
            ? `This is a reminder about your AIMS work: ${task.title}.`
            : `This is a reminder, as ${LEVEL_LABEL[recipient.level]}, about ${ownerName}'s AIMS work: ${task.title}.`,
          `What it is: ${what}.`,
          dueLine,
          ref,
        ],
        action: forOwner ? submit : `Please make sure ${ownerName} submits it: POST ${taskPath(taskId, 'submit')}.`,
      };
    }
    case 'escalate':
    case 'breach': {
      const how = t && t.lateMs >= MINUTE_MS ? `${formatDuration(t.lateMs)} overdue` : 'at its deadline and not submitted';
      const verb = input.kind === 'breach' ? 'Deadline breached' : 'Escalation';
      const paragraphs = forOwner
        ? [
            input.kind === 'breach'
              ? `The deadline of your AIMS work has passed without a submission: ${task.title}. It is ${how}; it has been escalated.`
              : `Your AIMS work is ${how} and has been escalated: ${task.title}.`,
            `What it is: ${what}.`,
            dueLine,
            ref,
          ]
        : [
            `You are receiving this as ${LEVEL_LABEL[recipient.level]}: ${ownerName}'s AIMS work is ${how}.`,
            `Work: ${task.title} (${what}).`,
            due ? `It was due ${due} and has not been submitted.` : 'It has not been submitted.',
            ref,
          ];
      if (input.unfilledLevels?.length) {
        paragraphs.push(
          `Nobody holds these levels of the escalation chain, so they were not notified: ${input.unfilledLevels.map((l) => LEVEL_LABEL[l]).join(', ')}.`,
        );
      }
      return {
        subject: forOwner ? `${verb}: ${task.title} is ${how}` : `${verb}: ${ownerName}'s ${task.title} is ${how}`,
        paragraphs,
        action: forOwner
          ? submit
          : `Follow up with ${ownerName} so the work is submitted (POST ${taskPath(taskId, 'submit')}); an admin or the governance lead can reassign it (POST ${taskPath(taskId, 'reassign')}) or move its due date (POST ${taskPath(taskId, 'extend')}).`,
      };
    }
    case 'rejected':
      return {
        subject: `Rework needed: ${task.title}`,
        paragraphs: [
          `Your submission was rejected and the work is open again: ${task.title}.`,
          input.note ? `Reason given by the approver: ${input.note}` : '',
          dueLine,
          ref,
        ],
        action: `Address the reason, then submit again: POST ${taskPath(taskId, 'submit')}.`,
      };
    case 'approved':
      return {
        subject: `Approved: ${task.title}`,
        paragraphs: [
          `Your submission was approved: ${task.title}. The work is closed and recorded in the audit trail.`,
          input.note ? `Comment: ${input.note}` : '',
          ref,
        ],
        action: 'Nothing more to do.',
      };
    case 'reassigned':
      return {
        subject: `Work reassigned to you: ${task.title}${due ? ` (due ${due})` : ''}`,
        paragraphs: [
          `You are now the accountable owner of this AIMS work: ${task.title}.`,
          input.note ? `Reason: ${input.note}` : '',
          `What it is: ${what}.`,
          dueLine,
          ref,
        ],
        action: submit,
      };
    case 'cancelled':
      return {
        subject: `Cancelled: ${task.title}`,
        paragraphs: [
          `This AIMS work is no longer owed and has been cancelled: ${task.title}. There will be no more reminders or escalations for it.`,
          input.note ? `Reason: ${input.note}` : '',
          `What it was: ${what}.`,
          ref,
        ],
        action: 'Nothing more to do; the cancellation is recorded in the audit trail.',
      };
    case 'prohibited-system':
      return {
        subject: `Prohibited AI system registered: ${task.subject.name}`,
        paragraphs: [
          `${ownerName} registered (or reclassified) an AI system in the EU AI Act tier "unacceptable" (prohibited practice): ${task.subject.name} (id ${task.subject.id}).`,
          'A prohibited system gets no review cadence. It may stay in the inventory only to be phased out.',
          input.note ?? '',
        ],
        action: 'Decide on its phase-out and record the decision; check whether it is still in use.',
      };
    case 'incident-opened':
      return {
        subject: `AI incident opened: ${task.title}${due ? ` (draft report due ${due})` : ''}`,
        paragraphs: [
          `You are receiving this as ${LEVEL_LABEL[recipient.level]}: an AI incident was opened, with ${ownerName} as its responder: ${task.title} (incident ${task.subject.id}).`,
          input.note ?? '',
          due
            ? `The draft incident report is due ${due}, 72 hours after detection${t ? ` (${t.text})` : ''}. Reminders go to the responder; a missed deadline escalates to you and top management.`
            : '',
          `Incident: ${taskId}.`,
        ],
        action: `Follow the incident: GET /incidents/${task.subject.id} shows every clock, its deadline and time left.`,
      };
    default:
      return { subject: task.title, paragraphs: [ref], action: '' };
  }
}

/** The page of the app where the reader acts on this: the task, the incident, or the inventory. */
export function workPageUrl(input: Pick<TemplateInput, 'kind' | 'taskId' | 'task' | 'appUrl'>): string {
  const path =
    input.kind === 'incident-opened'
      ? appPages.incident(input.task.subject.id)
      : input.kind === 'prohibited-system'
        ? appPages.inventory()
        : appPages.task(input.taskId);
  return `${input.appUrl}${path}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderNotification(input: TemplateInput): RenderedEmail {
  const parts = compose(input);
  const paragraphs = parts.paragraphs.filter((p) => p.length > 0);
  const greeting = `Hello ${input.recipient.name},`;
  const footer = 'Sent by the AIMS orchestrator (ISO/IEC 42001 AI management system).';
  const page = workPageUrl(input);
  const text = [greeting, ...paragraphs, `Open it: ${page}`, parts.action ? `What to do: ${parts.action}` : '', '--', footer]
    .filter((p) => p.length > 0)
    .join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(page)}">Open it in the AIMS orchestrator</a></p>`,
    parts.action ? `<p><strong>What to do:</strong> ${escapeHtml(parts.action)}</p>` : '',
    `<hr><p style="color:#666;font-size:smaller">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: parts.subject, text: `${text}\n`, html };
}

/** The one-time sign-in link: what it is, for how long it works, and that it works once. */
export function renderSignInLink(input: { name: string; url: string; expiresInMinutes: number }): RenderedEmail {
  const subject = 'Your sign-in link for the AIMS orchestrator';
  const paragraphs = [
    `Hello ${input.name},`,
    `Open this link to sign in. It works once, within ${input.expiresInMinutes} minutes:`,
    input.url,
    'If you did not ask to sign in, ignore this email: nobody can sign in without the link.',
  ];
  const text = [...paragraphs, '--', 'Sent by the AIMS orchestrator (ISO/IEC 42001 AI management system).'].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<p>${escapeHtml(paragraphs[0])}</p>`,
    `<p>${escapeHtml(paragraphs[1])}</p>`,
    `<p><a href="${escapeHtml(input.url)}">Sign in to the AIMS orchestrator</a></p>`,
    `<p>${escapeHtml(paragraphs[3])}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text: `${text}\n`, html };
}
