/**
 * Which events a person's calendar feed holds, from the read models' snapshots:
 *  - the due time of each open task they own;
 *  - each pending ladder step of open work that reaches them, as the worker's escalation
 *    chain (`resolveChain`) would address it: their own reminders, their direct reports'
 *    escalations, and what reaches them by role (governance lead, top management, admins
 *    standing in for an empty top);
 *  - each running clock of an open incident they handle (its responder, whoever opened it,
 *    every responder and governance lead).
 * Work that is done, and clocks whose report is in, are left out: a subscribed calendar
 * replaces its copy with each fetch, so an event that leaves the feed leaves the calendar.
 * UIDs name the work and the step, never the time, and SEQUENCE is the snapshot's version, so
 * a change (a new due time) updates the event in place.
 */
import { appPages } from '../../../libs/contracts';
import type { IncidentStatus, Role, TaskStatus } from '../../../libs/contracts';
import { EscalationLevel, formatInstant, isOpenTaskState } from '../../../libs/domain';
import { resolveChain } from '../../../activities/escalation-chain';
import type { PeopleDirectory } from '../../../activities/ports';
import type { CalendarEvent } from './icalendar';

/** Beside an incident's responder and whoever opened it, these roles handle every incident. */
export const INCIDENT_HANDLER_ROLES: readonly Role[] = ['responder', 'governance_lead'];

/** How long each event lasts: a deadline is a moment, long enough to show. */
export const EVENT_MINUTES = 30;

const UID_DOMAIN = 'aims-orchestrator';

export interface FeedPerson {
  id: string;
  name: string;
  role: Role;
}

/** A row of the task read model: its snapshot (with the row's state and due time) and when it last changed. */
export interface FeedTask {
  status: TaskStatus;
  updatedAt: Date;
}

export interface FeedIncident {
  status: IncidentStatus;
  updatedAt: Date;
}

export interface FeedSources {
  person: FeedPerson;
  /** AIMS_PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  tasks: FeedTask[];
  incidents: FeedIncident[];
  /** Who is who, as the worker's directory answers. */
  directory: PeopleDirectory;
}

/** The app's page of a task, as emails link to it (libs/contracts appPages). */
export function taskPageUrl(publicUrl: string, taskId: string): string {
  return `${publicUrl}${appPages.task(taskId)}`;
}

export function incidentPageUrl(publicUrl: string, incidentId: string): string {
  return `${publicUrl}${appPages.incident(incidentId)}`;
}

export const taskDueUid = (taskId: string) => `task-${taskId}-due@${UID_DOMAIN}`;
export const taskStepUid = (taskId: string, stepKey: string) => `task-${taskId}-step-${stepKey}@${UID_DOMAIN}`;
export const incidentClockUid = (incidentId: string, clock: string) => `incident-${incidentId}-${clock}@${UID_DOMAIN}`;

const LEVEL_NAME: Record<EscalationLevel, string> = {
  owner: 'owner',
  manager: "the owner's manager",
  governance_lead: 'governance lead',
  top_management: 'top management',
};

function dueEvent(t: FeedTask, publicUrl: string): CalendarEvent {
  const s = t.status;
  const page = taskPageUrl(publicUrl, s.taskId);
  const todo =
    s.state === 'submitted'
      ? 'Submitted; it waits for its approval. Nothing to do unless it comes back for rework.'
      : 'What to do: do the work, then submit its outcome and evidence on the task page.';
  return {
    uid: taskDueUid(s.taskId),
    start: new Date(s.dueAt),
    durationMinutes: EVENT_MINUTES,
    summary: `Due: ${s.title}`,
    description: [`${s.title} (${s.subject.name}) is due ${formatInstant(s.dueAt)}.`, todo, `Task: ${page}`].join('\n'),
    url: page,
    sequence: s.version,
    lastModified: t.updatedAt,
  };
}

function stepEvent(
  t: FeedTask,
  step: TaskStatus['ladder'][number],
  level: EscalationLevel,
  ownerName: string,
  publicUrl: string,
): CalendarEvent {
  const s = t.status;
  const page = taskPageUrl(publicUrl, s.taskId);
  const yours = level === 'owner';
  const whose = yours ? s.title : `${ownerName}'s ${s.title}`;
  const as = yours ? '' : ` as ${LEVEL_NAME[level]}`;
  const due = formatInstant(s.dueAt);
  const [summary, what, todo] =
    step.action === 'remind'
      ? [
          `Reminder: ${whose}`,
          `AIMS reminds you${as} of ${whose}, due ${due}, unless it is submitted before.`,
          yours ? 'What to do: submit it on the task page.' : `What to do: make sure ${ownerName} submits it.`,
        ]
      : [
          `${step.action === 'breach' ? 'Deadline breached' : 'Escalation'}: ${whose}`,
          `Unless it is submitted before, ${whose} (due ${due}) is escalated${yours ? '' : ` to you${as}`} at this time.`,
          yours
            ? 'What to do: submit it on the task page before then.'
            : `What to do: follow up with ${ownerName} so the work is submitted.`,
        ];
  return {
    uid: taskStepUid(s.taskId, step.key),
    start: new Date(step.at),
    durationMinutes: EVENT_MINUTES,
    summary,
    description: [what, todo, `Task: ${page}`].join('\n'),
    url: page,
    sequence: s.version,
    lastModified: t.updatedAt,
  };
}

/** The lowest level at which a step's notification reaches the person, or undefined when it does not. */
async function levelReaching(
  directory: PeopleDirectory,
  personId: string,
  ownerId: string,
  levels: EscalationLevel[],
): Promise<EscalationLevel | undefined> {
  const { holders } = await resolveChain({ directory }, ownerId, levels);
  return holders.find((h) => h.people.some((p) => p.id === personId))?.level;
}

function handlesIncident(person: FeedPerson, s: IncidentStatus): boolean {
  return s.responderId === person.id || s.openedBy === person.id || INCIDENT_HANDLER_ROLES.includes(person.role);
}

function clockEvents(i: FeedIncident, person: FeedPerson, responderName: string, publicUrl: string): CalendarEvent[] {
  const s = i.status;
  const page = incidentPageUrl(publicUrl, s.incidentId);
  const who = s.responderId === person.id ? 'You are its responder.' : `Responder: ${responderName}.`;
  // Only running clocks: a waiting report's deadline is provisional (it counts from a report not yet in).
  return s.reports
    .filter((r) => r.state === 'open' && !r.submittedAt)
    .map((r) => ({
      uid: incidentClockUid(s.incidentId, r.key),
      start: new Date(r.dueAt),
      durationMinutes: EVENT_MINUTES,
      summary: `${r.label} due: ${s.title}`,
      description: [
        `${r.label}${r.regime ? ` (to the ${r.regime.authority})` : ''} of AI incident ${s.title} on ${s.system.name}, ` +
          `severity ${s.severity}, is due ${formatInstant(r.dueAt)}.`,
        who,
        'What to do: file the report before its deadline; the incident page shows every clock.',
        `Incident: ${page}`,
        `Report task: ${taskPageUrl(publicUrl, r.taskId)}`,
      ].join('\n'),
      url: page,
      sequence: s.version,
      lastModified: i.updatedAt,
    }));
}

/** The person's events, earliest first (ties by UID, so a feed reads the same twice). */
export async function feedEvents(src: FeedSources): Promise<CalendarEvent[]> {
  const { person, publicUrl, directory } = src;
  const events: CalendarEvent[] = [];
  const nameOf = async (id: string) => (await directory.person(id))?.name ?? `person ${id}`;
  const seen = new Set<string>();
  for (const t of src.tasks) {
    const s = t.status;
    if (seen.has(s.taskId)) continue;
    seen.add(s.taskId);
    if (s.ownerId === person.id && isOpenTaskState(s.state)) events.push(dueEvent(t, publicUrl));
    // The ladder runs only while the work is open: a submission holds it until an approver acts.
    if (s.state !== 'open') continue;
    for (const step of s.ladder ?? []) {
      if (step.status !== 'pending') continue;
      const level = await levelReaching(directory, person.id, s.ownerId, step.levels);
      if (level) events.push(stepEvent(t, step, level, await nameOf(s.ownerId), publicUrl));
    }
  }
  for (const i of src.incidents) {
    if (i.status.state !== 'open' || !handlesIncident(person, i.status)) continue;
    events.push(...clockEvents(i, person, await nameOf(i.status.responderId), publicUrl));
  }
  return events.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}
