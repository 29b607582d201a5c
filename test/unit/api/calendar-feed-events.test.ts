/**
 * Which events a person's calendar feed holds: the due times of the open work they own, the
 * pending ladder steps that reach them (as the worker's escalation chain addresses them, its
 * fallbacks included), and the running clocks of the incidents they handle; done work, handled
 * steps, clocks whose report is in and other people's work are left out.
 */
import type { IncidentStatus, LadderStepView, TaskStatus } from '../../../libs/contracts';
import { DEFAULT_LADDER, occurrenceAt } from '../../../libs/domain';
import type { Person } from '../../../activities/ports';
import {
  FeedIncident,
  feedEvents,
  FeedPerson,
  FeedTask,
  incidentClockUid,
  taskDueUid,
  taskStepUid,
} from '../../../apps/api/calendar-feeds/feed-events';
import { createInMemoryPorts } from '../../support/in-memory';

const URL = 'https://aims.example.com';

const everyone: Person[] = [
  { id: 'olga', name: 'Olga', email: 'olga@x.test', role: 'owner', managerId: 'max' },
  { id: 'max', name: 'Max', email: 'max@x.test', role: 'owner', managerId: null },
  { id: 'lou', name: 'Lou', email: 'lou@x.test', role: 'owner', managerId: null },
  { id: 'grace', name: 'Grace', email: 'grace@x.test', role: 'governance_lead', managerId: null },
  { id: 'tess', name: 'Tess', email: 'tess@x.test', role: 'management', managerId: null },
  { id: 'rita', name: 'Rita', email: 'rita@x.test', role: 'responder', managerId: null },
  { id: 'ron', name: 'Ron', email: 'ron@x.test', role: 'responder', managerId: null },
  { id: 'ada', name: 'Ada', email: 'ada@x.test', role: 'admin', managerId: null },
];

const DUE = '2026-12-01T09:00:00.000Z';

/** The default ladder as the workflow shows it, the steps in `done` handled. */
function ladder(dueAt: string, done: string[] = []): LadderStepView[] {
  return DEFAULT_LADDER.map((s) => ({
    key: s.key,
    action: s.action,
    levels: s.levels,
    at: occurrenceAt(s, new Date(dueAt), 0).toISOString(),
    status: done.includes(s.key) ? 'done' : 'pending',
    ...(done.includes(s.key) ? { handledAt: dueAt } : {}),
  }));
}

function task(taskId: string, ownerId: string, over: Partial<TaskStatus> = {}): FeedTask {
  const status: TaskStatus = {
    taskId,
    kind: 'high-risk-review',
    title: `Review ${taskId}`,
    subject: { type: 'ai-system', id: 'sys', name: 'Credit scoring' },
    ownerId,
    state: 'open',
    openedAt: '2026-10-01T00:00:00.000Z',
    dueAt: DUE,
    overdue: false,
    approverRoles: ['governance_lead'],
    submissions: 0,
    rejections: 0,
    escalationLevel: 0,
    ladder: ladder(DUE, ['remind-14d-before']),
    version: 4,
    ...over,
  };
  return { status, updatedAt: new Date('2026-11-17T09:00:00Z') };
}

function incident(id: string, over: Partial<IncidentStatus> = {}): FeedIncident {
  const status: IncidentStatus = {
    incidentId: id,
    system: { id: 'sys', name: 'Credit scoring' },
    title: `Incident ${id}`,
    description: '...',
    severity: 'high',
    detectedAt: '2026-11-20T09:00:00.000Z',
    openedAt: '2026-11-20T10:00:00.000Z',
    openedBy: 'lou',
    responderId: 'rita',
    regimes: [],
    state: 'open',
    severityChanges: [],
    version: 2,
    reports: [
      {
        key: 'draft',
        kind: 'incident-report',
        label: 'Draft incident report (72 hours)',
        taskId: `incident-report:${id}:draft`,
        dueAt: '2026-11-23T09:00:00.000Z',
        state: 'open',
      },
      {
        key: 'final',
        kind: 'incident-report',
        label: 'Final incident report',
        taskId: `incident-report:${id}:final`,
        dueAt: '2026-12-20T09:00:00.000Z',
        state: 'waiting',
        after: 'draft',
      },
      {
        key: 'gdpr-art33:notification',
        kind: 'regulatory-report',
        label: 'Notification, GDPR art. 33',
        taskId: `regulatory-report:${id}:gdpr-art33:notification`,
        dueAt: '2026-11-23T09:00:00.000Z',
        state: 'in',
        submittedAt: '2026-11-21T09:00:00.000Z',
        regime: { id: 'gdpr-art33', variant: 'breach', name: 'GDPR art. 33', authority: 'supervisory authority' },
      },
    ],
    ...over,
  };
  return { status, updatedAt: new Date('2026-11-21T09:00:00Z') };
}

async function eventsOf(personId: string, tasks: FeedTask[], incidents: FeedIncident[] = [], people = everyone) {
  const p = people.find((x) => x.id === personId)!;
  const person: FeedPerson = { id: p.id, name: p.name, role: p.role };
  return feedEvents({ person, publicUrl: URL, tasks, incidents, directory: createInMemoryPorts({ people }).directory });
}
const uids = (events: Array<{ uid: string }>) => events.map((e) => e.uid);

describe('the owner', () => {
  const work = [
    task('review-1', 'olga'),
    task('review-2', 'olga', { state: 'approved' }),
    task('review-3', 'olga', { state: 'cancelled' }),
    task('review-4', 'olga', { state: 'completed' }),
    task('review-5', 'olga', { state: 'submitted' }),
    task('theirs', 'lou'),
  ];

  it('gets the due time of each open task they own (submitted work too) and their own pending reminders, nothing else', async () => {
    const events = await eventsOf('olga', work);
    expect(uids(events).sort()).toEqual(
      [
        taskDueUid('review-1'),
        taskStepUid('review-1', 'remind-3d-before'),
        taskStepUid('review-1', 'remind-1d-before'),
        taskStepUid('review-1', 'remind-due'),
        // Submitted: still owed, but its ladder holds until an approver acts.
        taskDueUid('review-5'),
      ].sort(),
    );
  });

  it('each event: the instant, half an hour, SEQUENCE the version, the link to the task page', async () => {
    const events = await eventsOf('olga', [task('high-risk-review:sys:2026-Q4', 'olga')]);
    const due = events.find((e) => e.uid === 'task-high-risk-review:sys:2026-Q4-due@aims-orchestrator')!;
    expect(due).toMatchObject({
      start: new Date(DUE),
      durationMinutes: 30,
      summary: 'Due: Review high-risk-review:sys:2026-Q4',
      sequence: 4,
      lastModified: new Date('2026-11-17T09:00:00Z'),
      url: `${URL}/app/tasks/high-risk-review%3Asys%3A2026-Q4`,
    });
    expect(due.description).toContain('is due 2026-12-01 09:00 UTC');
    expect(due.description).toContain('What to do:');
    expect(due.description).toContain(`Task: ${URL}/app/tasks/high-risk-review%3Asys%3A2026-Q4`);
    const reminder = events.find((e) => e.uid === taskStepUid('high-risk-review:sys:2026-Q4', 'remind-3d-before'))!;
    expect(reminder.start).toEqual(new Date('2026-11-28T09:00:00Z'));
    expect(reminder.summary).toBe('Reminder: Review high-risk-review:sys:2026-Q4');
  });

  it('events come earliest first', async () => {
    const starts = (await eventsOf('olga', work)).map((e) => e.start.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});

describe('the chain above the owner, as the worker addresses it', () => {
  const work = [task('olgas', 'olga'), task('lous', 'lou')];

  it("the manager gets the escalation step of a direct report's work, not its due time nor its reminders, and nothing of others'", async () => {
    const events = await eventsOf('max', work);
    expect(uids(events)).toEqual([taskStepUid('olgas', 'escalate-manager')]);
    expect(events[0].summary).toBe("Escalation: Olga's Review olgas");
    expect(events[0].description).toContain("as the owner's manager");
  });

  it("a governance lead gets every work's governance-lead step, and the manager's step of an owner who has none (it goes up the chain)", async () => {
    expect(uids(await eventsOf('grace', work)).sort()).toEqual(
      [
        taskStepUid('olgas', 'escalate-governance-lead'),
        taskStepUid('lous', 'escalate-manager'),
        taskStepUid('lous', 'escalate-governance-lead'),
      ].sort(),
    );
  });

  it('top management gets the top-management steps; admins only when nobody holds the top of the chain', async () => {
    expect(uids(await eventsOf('tess', work)).sort()).toEqual(
      [taskStepUid('olgas', 'escalate-top-management'), taskStepUid('lous', 'escalate-top-management')].sort(),
    );
    expect(await eventsOf('ada', work)).toEqual([]);
    const noTop = everyone.filter((p) => p.role !== 'management' && p.role !== 'governance_lead');
    expect(uids(await eventsOf('ada', work, [], noTop))).toContain(taskStepUid('olgas', 'escalate-top-management'));
  });

  it('a step already sent is no longer an event, and neither is anything of work that is done', async () => {
    const escalated = task('olgas', 'olga', { ladder: ladder(DUE, ['escalate-manager']) });
    expect(await eventsOf('max', [escalated])).toEqual([]);
    expect(await eventsOf('max', [task('olgas', 'olga', { state: 'approved' })])).toEqual([]);
  });
});

describe('incident clocks', () => {
  it('the responder gets each running clock of their incident, not a waiting report nor one already in', async () => {
    const events = await eventsOf('rita', [], [incident('i1')]);
    expect(uids(events)).toEqual([incidentClockUid('i1', 'draft')]);
    expect(events[0]).toMatchObject({
      start: new Date('2026-11-23T09:00:00Z'),
      summary: 'Draft incident report (72 hours) due: Incident i1',
      sequence: 2,
      url: `${URL}/app/incidents/i1`,
    });
    expect(events[0].description).toContain('You are its responder.');
  });

  it('so do every responder and governance lead, and whoever opened it; not other owners, nor anyone once it is closed', async () => {
    for (const who of ['ron', 'grace', 'lou'])
      expect(uids(await eventsOf(who, [], [incident('i1')]))).toEqual([incidentClockUid('i1', 'draft')]);
    expect(await eventsOf('olga', [], [incident('i1')])).toEqual([]);
    expect(await eventsOf('tess', [], [incident('i1')])).toEqual([]);
    expect(await eventsOf('rita', [], [incident('i1', { state: 'closed' })])).toEqual([]);
  });

  it('a regulatory clock is named by its report key and says whom it goes to', async () => {
    const i = incident('i2');
    i.status.reports[2] = { ...i.status.reports[2], state: 'open', submittedAt: undefined };
    const events = await eventsOf('ron', [], [i]);
    const regulatory = events.find((e) => e.uid === 'incident-i2-gdpr-art33:notification@aims-orchestrator')!;
    expect(regulatory.summary).toBe('Notification, GDPR art. 33 due: Incident i2');
    expect(regulatory.description).toContain('to the supervisory authority');
    expect(regulatory.description).toContain('Responder: Rita.');
  });
});
