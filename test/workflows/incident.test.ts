/**
 * The incident workflow under the time-skipping server: its reports are child governanceTasks,
 * so each clock (the 72-hour draft, the final report, every regulatory report) is asserted in
 * workflow time: when each reminder and breach fired, and who heard of it.
 */
import { WithStartWorkflowOperation, WorkflowHandle } from '@temporalio/client';
import {
  acknowledgeIncidentUpdate,
  addRegimeUpdate,
  changeRegimeVariantUpdate,
  changeSeverityUpdate,
  closeIncidentUpdate,
  IncidentInput,
  incidentOpenedUpdate,
  IncidentStatus,
  incidentReportTaskId,
  incidentStatusQuery,
  incidentWorkflowId,
  planIncidentReports,
  recordContainmentUpdate,
  REFUSAL,
  RegimeChoice,
  reportInUpdate,
  statusQuery,
  submitReportUpdate,
  submitUpdate,
  TaskStatus,
} from '../../libs/contracts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../libs/domain';
import { governanceTask, incident } from '../../workflows';
import { recordHistory } from '../support/histories';
import {
  actor,
  eventually,
  expectRefusedUnchanged,
  iso,
  onTime,
  PEOPLE,
  Refusal,
  refusalOf,
  sleepUntil,
  startWorkflowTestContext,
  WorkflowTestContext,
} from './fixtures';

jest.setTimeout(120_000);

let ctx: WorkflowTestContext;

beforeAll(async () => {
  ctx = await startWorkflowTestContext('incident');
});

afterAll(async () => {
  await ctx?.stop();
});

const system = { id: 'sys-chatbot', name: 'Support chatbot' };
const OWNER = [PEOPLE.owner.id];
/** The responder's escalation chain on a breach: the responder, the governance lead, top management. */
const CHAIN = [PEOPLE.owner.id, PEOPLE.lead.id, PEOPLE.ceo.id];

/** The workflow input exactly as the API builds it. */
function incidentInput(
  incidentId: string,
  detectedAtMs: number,
  choices: RegimeChoice[] = [],
  opts: { timeZone?: string; awareAt?: string } = {},
): IncidentInput {
  const plan = planIncidentReports(incidentId, new Date(detectedAtMs), choices, undefined, opts.timeZone, opts.awareAt);
  if ('problems' in plan) throw new Error(`bad regimes: ${JSON.stringify(plan.problems)}`);
  return {
    incidentId,
    system,
    title: `Chatbot leaked a customer address (${incidentId})`,
    description: 'The assistant showed one customer the delivery address of another.',
    severity: 'high',
    detectedAt: iso(detectedAtMs),
    responderId: PEOPLE.owner.id,
    openedBy: PEOPLE.lead.id,
    regimes: plan.regimes,
    reports: plan.reports,
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
    ...(opts.awareAt !== undefined ? { awareAt: opts.awareAt } : {}),
  };
}

async function openIncident(
  incidentId: string,
  detectedAtMs: number,
  choices: RegimeChoice[] = [],
  opts: { timeZone?: string; awareAt?: string } = {},
) {
  const input = incidentInput(incidentId, detectedAtMs, choices, opts);
  const handle = await ctx.env.client.workflow.start(incident, {
    workflowId: incidentWorkflowId(incidentId),
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  return { handle, input };
}

function taskHandle(taskId: string): WorkflowHandle<typeof governanceTask> {
  return ctx.env.client.workflow.getHandle<typeof governanceTask>(taskId);
}

/** The status of a report's task, or undefined while the incident has not started it. */
async function taskStatus(taskId: string): Promise<TaskStatus | undefined> {
  return taskHandle(taskId)
    .query(statusQuery)
    .catch(() => undefined);
}

/** Waits until the incident has started the task and it has sent its opening notification. */
async function taskOpened(taskId: string): Promise<TaskStatus> {
  await eventually(
    async () => sent(taskId),
    (log) => log.some((n) => n.key === 'opened'),
  );
  const status = await eventually(
    () => taskStatus(taskId),
    (s) => s?.state === 'open',
  );
  expect(status).toMatchObject({ taskId, state: 'open' });
  return status!;
}

function submitReport(taskId: string, summary: string): Promise<TaskStatus> {
  return taskHandle(taskId).executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary }] });
}

function reportOf(status: IncidentStatus, key: string) {
  const report = status.reports.find((r) => r.key === key);
  if (!report) throw new Error(`no report ${key} in ${status.reports.map((r) => r.key).join(', ')}`);
  return report;
}

function incidentWhen(handle: WorkflowHandle<typeof incident>, ok: (s: IncidentStatus) => boolean): Promise<IncidentStatus> {
  return eventually(() => handle.query(incidentStatusQuery), ok);
}

/** Notifications of a task as { key, kind, at, to }. */
function sent(taskId: string) {
  return ctx.ports
    .notificationsFor(taskId)
    .map((n) => ({ key: n.notificationKey, kind: n.kind, at: n.at, to: n.recipients.map((r) => r.personId) }));
}

/**
 * The notifications of a task, `at` reading 'on time' when the workflow time of the
 * notification is the expected one (the opening gets a minute: it follows its record).
 */
function timeline(taskId: string, expectedAt: Record<string, number>) {
  return sent(taskId).map((n) => ({
    ...n,
    at: n.key in expectedAt && onTime(n.at, expectedAt[n.key], n.key === 'opened' ? MINUTE_MS : undefined) ? 'on time' : n.at,
  }));
}

/** The incident's recorded events in version order (the order the read model applies them; the records may land in another). */
function caseEvents(incidentId: string) {
  return ctx.ports.caseEvents
    .filter((e) => 'incidentId' in e.status && e.status.incidentId === incidentId)
    .sort((a, b) => a.status.version - b.status.version);
}

/** Records containment, submits every report still open, waits until all are in, and closes: the closed status. */
async function closeOut(handle: WorkflowHandle<typeof incident>): Promise<IncidentStatus> {
  let status = await handle.query(incidentStatusQuery);
  if (!status.containment)
    await handle.executeUpdate(recordContainmentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Address lookup disabled' }] });
  // A report whose task completes lets the next one (the final after the draft) open.
  for (let round = 0; round < 3; round++) {
    status = await handle.query(incidentStatusQuery);
    for (const r of status.reports.filter((x) => x.state === 'open')) {
      const task = await eventually(
        () => taskStatus(r.taskId),
        (t) => t !== undefined && t.version >= 1,
      );
      if (task?.state === 'open') await submitReport(r.taskId, `${r.label}: filed`);
    }
    const submitted = status.reports.filter((x) => x.state === 'open').map((x) => x.key);
    // Settled: those are in, and a report waiting for one of them has opened.
    status = await incidentWhen(
      handle,
      (s) =>
        submitted.every((k) => reportOf(s, k).state === 'in') &&
        !s.reports.some((r) => r.state === 'waiting' && r.after && reportOf(s, r.after).state === 'in'),
    );
    if (status.reports.every((r) => r.state === 'in')) break;
  }
  expect(status.reports.filter((r) => r.state !== 'in')).toEqual([]);
  // The close's own answer, not handle.result(): awaiting a result lets the time-skipping server
  // run far ahead, past the execution timeout of every other incident still open.
  return handle.executeUpdate(closeIncidentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Fixed and reported' }] });
}

/** Files a report at once: waits for its task to open, then submits it. */
async function fileNow(incidentId: string, key: string): Promise<TaskStatus> {
  const taskId = incidentReportTaskId(incidentId, key);
  await taskOpened(taskId);
  return submitReport(taskId, `${key} filed`);
}

test("an art. 73 variant found late (a death): the report's deadline moves from 15 to 10 days after awareness; one already past breaches at once; both in the trail", async () => {
  const t0 = await ctx.env.currentTimeMs();
  const key = 'eu-ai-act-art73:report';
  const early = await openIncident('inc-art73-death', t0, [{ id: 'eu-ai-act-art73' }]);
  const late = await openIncident('inc-art73-late-death', t0, [{ id: 'eu-ai-act-art73' }]);
  for (const id of ['inc-art73-death', 'inc-art73-late-death']) {
    await fileNow(id, 'draft');
    await fileNow(id, 'final');
  }
  const earlyTask = incidentReportTaskId('inc-art73-death', key);
  const lateTask = incidentReportTaskId('inc-art73-late-death', key);
  expect(await taskOpened(earlyTask)).toMatchObject({ dueAt: iso(t0 + 15 * DAY_MS) });
  await taskOpened(lateTask);
  const change = (incidentId: string, by = PEOPLE.lead, variant = 'death') => {
    const plan = planIncidentReports(incidentId, new Date(t0), [{ id: 'eu-ai-act-art73', variant }]);
    if (!('reports' in plan)) throw new Error('expected a plan');
    return {
      by: actor(by),
      regimeId: 'eu-ai-act-art73',
      variant,
      reason: 'The post-mortem found a person died',
      reports: plan.reports.filter((r) => r.kind === 'regulatory-report'),
    };
  };
  // Refused: the same variant, a regime that does not apply, no reason.
  expect(
    await refusalOf(early.handle.executeUpdate(changeRegimeVariantUpdate, { args: [change('inc-art73-death', PEOPLE.lead, 'standard')] })),
  ).toMatchObject({
    type: REFUSAL.invalidArgument,
    message: 'regime eu-ai-act-art73 already has variant standard',
  });
  expect(
    await refusalOf(
      early.handle.executeUpdate(changeRegimeVariantUpdate, { args: [{ ...change('inc-art73-death'), regimeId: 'gdpr-art33' }] }),
    ),
  ).toMatchObject({ type: REFUSAL.invalidArgument, message: expect.stringContaining('regime gdpr-art33 does not apply') });
  expect(
    await refusalOf(early.handle.executeUpdate(changeRegimeVariantUpdate, { args: [{ ...change('inc-art73-death'), reason: ' ' }] })),
  ).toMatchObject({ type: REFUSAL.invalidArgument });

  // Day 5: a death is found. The deadline becomes awareness + 10 days, and breaches exactly then.
  await sleepUntil(ctx.env, t0 + 5 * DAY_MS);
  const changed = await early.handle.executeUpdate(changeRegimeVariantUpdate, { args: [change('inc-art73-death')] });
  expect(changed.regimes).toEqual([{ id: 'eu-ai-act-art73', variant: 'death' }]);
  expect(reportOf(changed, key)).toMatchObject({ dueAt: iso(t0 + 10 * DAY_MS), regime: { variant: 'death' } });
  await eventually(
    () => taskStatus(earlyTask),
    (t) => t?.dueAt === iso(t0 + 10 * DAY_MS),
  );
  expect(caseEvents('inc-art73-death').find((e) => e.event === 'regime-variant-changed')).toMatchObject({
    actorId: PEOPLE.lead.id,
    detail: {
      regimeId: 'eu-ai-act-art73',
      from: 'standard',
      to: 'death',
      reason: 'The post-mortem found a person died',
      reports: [{ key, from: iso(t0 + 15 * DAY_MS), to: iso(t0 + 10 * DAY_MS) }],
    },
  });
  expect(ctx.ports.transitionsFor(earlyTask).find((t) => t.event === 'due-changed')?.detail).toMatchObject({
    from: iso(t0 + 15 * DAY_MS),
    to: iso(t0 + 10 * DAY_MS),
  });

  // Day 12: the other incident learns of a death; its 10 days are already past: breached at once.
  await sleepUntil(ctx.env, t0 + 12 * DAY_MS);
  expect(sent(earlyTask).find((n) => n.key.startsWith('breach-deadline'))).toMatchObject({ kind: 'breach', to: CHAIN });
  expect(onTime(sent(earlyTask).find((n) => n.key.startsWith('breach-deadline'))!.at, t0 + 10 * DAY_MS)).toBe(true);
  expect(sent(lateTask).some((n) => n.kind === 'breach')).toBe(false);
  const lateChange = await late.handle.executeUpdate(changeRegimeVariantUpdate, { args: [change('inc-art73-late-death')] });
  expect(reportOf(lateChange, key).dueAt).toBe(iso(t0 + 10 * DAY_MS));
  const breach = await eventually(
    async () => sent(lateTask).find((n) => n.kind === 'breach'),
    (n) => n !== undefined,
  );
  expect(breach).toMatchObject({ kind: 'breach', to: CHAIN });
  expect(Date.parse(breach!.at) - (t0 + 12 * DAY_MS)).toBeLessThan(MINUTE_MS);
  expect(await taskStatus(lateTask)).toMatchObject({ overdue: true, dueAt: iso(t0 + 10 * DAY_MS) });

  for (const { handle } of [early, late]) expect((await closeOut(handle)).state).toBe('closed');
  await recordHistory(early.handle, 'incident', 'art73-variant-change');
  await recordHistory(late.handle, 'incident', 'art73-variant-change-past-deadline');
  await recordHistory(taskHandle(lateTask), 'governanceTask', 'due-changed-past');
});

// First in the file: it walks workflow time to fixed calendar dates (late December, then February).
test("NIS2's final report is due one calendar month after the notification is submitted (Europe/Amsterdam): a 31-day month, and February", async () => {
  const now = new Date(await ctx.env.currentTimeMs());
  // The next 28 December still ahead of the test server's clock.
  const y = now.getUTCMonth() === 11 && now.getUTCDate() >= 20 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
  const z = (s: string) => Date.parse(s);
  const zone = { timeZone: 'Europe/Amsterdam' };
  const finalKey = 'nis2-art23:final-report';
  const finalOf = (s: IncidentStatus) => reportOf(s, finalKey);

  // A: detected 28 December 10:00 Amsterdam; the notification is due 31 December 10:00.
  await sleepUntil(ctx.env, z(`${y}-12-28T09:00:00Z`));
  const a = await openIncident('inc-nis2-dec', z(`${y}-12-28T09:00:00Z`), [{ id: 'nis2-art23' }], zone);
  for (const key of ['draft', 'nis2-art23:early-warning']) await fileNow('inc-nis2-dec', key);
  await fileNow('inc-nis2-dec', 'final');
  // While the notification is not in, the final report is due a calendar month after its deadline:
  // 31 January (31 days; "72 h + 30 days" gave 30 January).
  expect(finalOf(await a.handle.query(incidentStatusQuery))).toMatchObject({ state: 'waiting', dueAt: `${y + 1}-01-31T09:00:00.000Z` });
  await sleepUntil(ctx.env, z(`${y}-12-31T11:00:00Z`));
  expect(finalOf(await a.handle.query(incidentStatusQuery))).toMatchObject({ state: 'waiting', dueAt: `${y + 1}-01-31T09:00:00.000Z` });
  // The notification goes in two hours late, 31 December 12:00 local: the final report is due 31 January 12:00 local.
  await fileNow('inc-nis2-dec', 'nis2-art23:notification');
  const aFinal = await incidentWhen(a.handle, (s) => finalOf(s).state === 'open');
  const aDue = finalOf(aFinal).dueAt;
  expect(aDue.slice(0, 19)).toBe(`${y + 1}-01-31T11:00:00`);
  expect(Date.parse(aDue) - Date.parse(reportOf(aFinal, 'nis2-art23:notification').submittedAt!)).toBe(31 * DAY_MS);
  const aTaskId = incidentReportTaskId('inc-nis2-dec', finalKey);
  expect(await taskOpened(aTaskId)).toMatchObject({ dueAt: aDue });

  // B: detected 29 January 10:00 local; the notification goes in on time, 1 February 09:00 local.
  await sleepUntil(ctx.env, z(`${y + 1}-01-29T09:00:00Z`));
  const b = await openIncident('inc-nis2-feb', z(`${y + 1}-01-29T09:00:00Z`), [{ id: 'nis2-art23' }], zone);
  for (const key of ['draft', 'nis2-art23:early-warning']) await fileNow('inc-nis2-feb', key);
  await fileNow('inc-nis2-feb', 'final');
  expect(finalOf(await b.handle.query(incidentStatusQuery))).toMatchObject({ state: 'waiting', dueAt: `${y + 1}-03-01T09:00:00.000Z` });

  // A's final report breaches exactly at 31 January 12:00 local.
  await sleepUntil(ctx.env, z(`${y + 1}-01-31T11:30:00Z`));
  expect(timeline(aTaskId, { 'breach-deadline': z(`${y + 1}-01-31T11:00:00Z`) }).find((n) => n.key === 'breach-deadline')).toEqual({
    key: 'breach-deadline',
    kind: 'breach',
    at: 'on time',
    to: CHAIN,
  });

  await sleepUntil(ctx.env, z(`${y + 1}-02-01T08:00:00Z`));
  await fileNow('inc-nis2-feb', 'nis2-art23:notification');
  const bFinal = await incidentWhen(b.handle, (s) => finalOf(s).state === 'open');
  // One calendar month after 1 February 09:00 local: 1 March 09:00 local (February's 28 or 29 days, not 30).
  const bDue = finalOf(bFinal).dueAt;
  expect(bDue.slice(0, 19)).toBe(`${y + 1}-03-01T08:00:00`);
  const february = new Date(Date.UTC(y + 1, 2, 0)).getUTCDate();
  expect(Date.parse(bDue) - Date.parse(reportOf(bFinal, 'nis2-art23:notification').submittedAt!)).toBe(february * DAY_MS);
  const bTaskId = incidentReportTaskId('inc-nis2-feb', finalKey);
  expect(await taskOpened(bTaskId)).toMatchObject({ dueAt: bDue });
  await sleepUntil(ctx.env, z(`${y + 1}-03-01T08:30:00Z`));
  expect(timeline(bTaskId, { 'breach-deadline': z(`${y + 1}-03-01T08:00:00Z`) }).find((n) => n.key === 'breach-deadline')).toEqual({
    key: 'breach-deadline',
    kind: 'breach',
    at: 'on time',
    to: CHAIN,
  });

  for (const { handle } of [a, b]) expect((await closeOut(handle)).state).toBe('closed');
  await recordHistory(a.handle, 'incident', 'nis2-final-after-notification-31-day-month');
  await recordHistory(b.handle, 'incident', 'nis2-final-after-notification-february');
});

test('awareness after detection moves the regulatory clocks; awareness before detection is refused by the validator', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const incidentId = 'inc-aware';
  // Detected now; aware 10 hours later: GDPR counts 72 hours from awareness, the draft from detection.
  const { handle } = await openIncident(incidentId, t0, [{ id: 'gdpr-art33' }], { awareAt: iso(t0 + 10 * HOUR_MS) });
  const status = await handle.query(incidentStatusQuery);
  expect(status.awareAt).toBe(iso(t0 + 10 * HOUR_MS));
  expect(reportOf(status, 'draft').dueAt).toBe(iso(t0 + 72 * HOUR_MS));
  expect(reportOf(status, 'gdpr-art33:notification').dueAt).toBe(iso(t0 + 82 * HOUR_MS));
  await fileNow(incidentId, 'draft');
  await fileNow(incidentId, 'final');
  const gdprId = incidentReportTaskId(incidentId, 'gdpr-art33:notification');
  await taskOpened(gdprId);

  // A regime added with its own awareness before detection is refused; one after it counts from it.
  const plan = (awareAt: string) => {
    const p = planIncidentReports(incidentId, new Date(t0), [{ id: 'eu-ai-act-art73' }]);
    if (!('reports' in p)) throw new Error('expected a plan');
    return { regime: { ...p.regimes[0], awareAt }, reports: p.reports.filter((r) => r.kind === 'regulatory-report') };
  };
  const early = plan(iso(t0 - HOUR_MS));
  expect(await refusalOf(handle.executeUpdate(addRegimeUpdate, { args: [{ ...early, by: actor(PEOPLE.lead) }] }))).toMatchObject({
    type: REFUSAL.invalidArgument,
    message: expect.stringContaining('is before detection'),
  });

  await sleepUntil(ctx.env, t0 + 82 * HOUR_MS + 30 * MINUTE_MS);
  const expected = {
    opened: t0,
    'remind-half-window': t0 + 10 * HOUR_MS + 36 * HOUR_MS,
    'remind-last-sixth': t0 + 10 * HOUR_MS + 60 * HOUR_MS,
    'breach-deadline': t0 + 82 * HOUR_MS,
  };
  expect(timeline(gdprId, expected).slice(0, 4)).toEqual([
    { key: 'opened', kind: 'opened', at: 'on time', to: OWNER },
    { key: 'remind-half-window', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'remind-last-sixth', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'breach-deadline', kind: 'breach', at: 'on time', to: CHAIN },
  ]);
  expect((await closeOut(handle)).state).toBe('closed');
  await recordHistory(handle, 'incident', 'aware-after-detection');
});

test('the 72-hour draft report: reminders at 24, 48, 60, 68 h, the breach at 72 h to the chain, then every 12 h until it is in', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const incidentId = 'inc-draft';
  const { handle } = await openIncident(incidentId, t0);
  const draftId = incidentReportTaskId(incidentId, 'draft');
  const finalId = incidentReportTaskId(incidentId, 'final');
  expect([draftId, finalId]).toEqual([`incident-report:${incidentId}:draft`, `incident-report:${incidentId}:final`]);

  const draft = await taskOpened(draftId);
  expect(draft).toMatchObject({
    kind: 'incident-report',
    ownerId: PEOPLE.owner.id,
    dueAt: iso(t0 + 72 * HOUR_MS),
    subject: { type: 'incident', id: incidentId },
  });
  let status = await handle.query(incidentStatusQuery);
  expect(status.reports.map((r) => [r.key, r.state, r.taskId, r.dueAt])).toEqual([
    ['draft', 'open', draftId, iso(t0 + 72 * HOUR_MS)],
    ['final', 'waiting', finalId, iso(t0 + 30 * DAY_MS)],
  ]);
  // The incident itself tells the governance lead it was opened.
  const opened = await eventually(
    async () => timeline(handle.workflowId, { opened: t0 }),
    (log) => log.length > 0,
  );
  expect(opened).toEqual([{ key: 'opened', kind: 'incident-opened', at: 'on time', to: [PEOPLE.lead.id] }]);

  // Nobody reports for 100 hours.
  await sleepUntil(ctx.env, t0 + 100 * HOUR_MS);
  expect(
    timeline(draftId, {
      opened: t0,
      'remind-24h': t0 + 24 * HOUR_MS,
      'remind-48h': t0 + 48 * HOUR_MS,
      'remind-60h': t0 + 60 * HOUR_MS,
      'remind-68h': t0 + 68 * HOUR_MS,
      'breach-72h': t0 + 72 * HOUR_MS,
      'remind-after-breach': t0 + 84 * HOUR_MS,
      'remind-after-breach#1': t0 + 96 * HOUR_MS,
    }),
  ).toEqual([
    { key: 'opened', kind: 'opened', at: 'on time', to: OWNER },
    { key: 'remind-24h', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'remind-48h', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'remind-60h', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'remind-68h', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'breach-72h', kind: 'breach', at: 'on time', to: CHAIN },
    { key: 'remind-after-breach', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'remind-after-breach#1', kind: 'remind', at: 'on time', to: OWNER },
  ]);
  expect(await taskStatus(draftId)).toMatchObject({
    state: 'open',
    overdue: true,
    escalationLevel: 3,
    nextStep: { key: 'remind-after-breach#2', at: iso(t0 + 108 * HOUR_MS) },
  });
  // The final report waits for the draft: no task yet.
  status = await handle.query(incidentStatusQuery);
  expect(reportOf(status, 'final').state).toBe('waiting');
  expect(await taskStatus(finalId)).toBeUndefined();

  // The responder submits the draft: it is in (late), and the final report opens.
  const done = await submitReport(draftId, 'Draft: one address shown to one other customer');
  expect(done).toMatchObject({ state: 'completed', submittedBy: PEOPLE.owner.id });
  status = await incidentWhen(handle, (s) => reportOf(s, 'final').state === 'open');
  expect(reportOf(status, 'draft')).toMatchObject({ state: 'in', submittedAt: done.submittedAt, submittedBy: PEOPLE.owner.id });
  expect(reportOf(status, 'final')).toMatchObject({ state: 'open', dueAt: iso(t0 + 30 * DAY_MS) });
  expect(Date.parse(reportOf(status, 'final').openedAt!)).toBeGreaterThanOrEqual(Date.parse(done.submittedAt!));
  const final = await taskOpened(finalId);
  expect(final).toMatchObject({ kind: 'incident-report', ownerId: PEOPLE.owner.id, dueAt: iso(t0 + 30 * DAY_MS) });
  const reportIn = caseEvents(incidentId).find((e) => e.event === 'report-in');
  expect(reportIn?.detail).toMatchObject({ key: 'draft', taskId: draftId, late: true, via: 'task-completed' });
  expect(caseEvents(incidentId).map((e) => [e.event, e.status.version])).toEqual([
    ['opened', 1],
    ['report-in', 2],
    ['report-opened', 3],
  ]);

  // The report stopped the reminders: days later nothing more was sent about the draft.
  const draftLog = sent(draftId);
  await ctx.env.sleep(5 * DAY_MS);
  expect(sent(draftId)).toEqual(draftLog);
  expect(sent(finalId).map((n) => n.key)).toEqual(['opened']);

  const result = await closeOut(handle);
  expect(result).toMatchObject({ state: 'closed', closedBy: PEOPLE.owner.id });
  expect(result.reports.map((r) => [r.key, r.state])).toEqual([
    ['draft', 'in'],
    ['final', 'in'],
  ]);
  expect(await handle.result()).toEqual(result);
  await recordHistory(handle, 'incident', 'draft-breached');
});

test('an incident opened 80 hours after detection breaches its draft at once and skips the stale reminders', async () => {
  const now = await ctx.env.currentTimeMs();
  const detected = now - 80 * HOUR_MS;
  const incidentId = 'inc-late';
  const { handle } = await openIncident(incidentId, detected);
  const draftId = incidentReportTaskId(incidentId, 'draft');
  await taskOpened(draftId);
  await eventually(
    async () => ctx.ports.transitionsFor(draftId),
    (log) => log.length >= 3,
  );

  // The breach is sent at the opening (its time, detection + 72 h, passed 8 hours ago), to the chain.
  const log = sent(draftId);
  expect(log.map((n) => [n.key, n.kind, n.to])).toEqual([
    ['opened', 'opened', OWNER],
    ['breach-72h', 'breach', CHAIN],
  ]);
  expect(Date.parse(log[1].at) - now).toBeGreaterThanOrEqual(0);
  expect(Date.parse(log[1].at) - now).toBeLessThan(MINUTE_MS);
  // The four reminders before the deadline were skipped, not sent.
  const transitions = ctx.ports.transitionsFor(draftId);
  expect(transitions.map((t) => t.event)).toEqual(['opened', 'step-skipped', 'breached']);
  expect((transitions[1].detail?.steps as Array<{ key: string }>).map((s) => s.key)).toEqual([
    'remind-24h',
    'remind-48h',
    'remind-60h',
    'remind-68h',
  ]);
  const status = await taskStatus(draftId);
  expect(status?.ladder.map((v) => [v.key, v.status])).toEqual([
    ['remind-24h', 'skipped'],
    ['remind-48h', 'skipped'],
    ['remind-60h', 'skipped'],
    ['remind-68h', 'skipped'],
    ['breach-72h', 'done'],
    ['remind-after-breach', 'pending'],
  ]);

  // The reminders after the breach keep their own times: detection + 84 h, + 96 h.
  await sleepUntil(ctx.env, detected + 96 * HOUR_MS + 30 * MINUTE_MS);
  expect(
    timeline(draftId, { 'remind-after-breach': detected + 84 * HOUR_MS, 'remind-after-breach#1': detected + 96 * HOUR_MS }).slice(2),
  ).toEqual([
    { key: 'remind-after-breach', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'remind-after-breach#1', kind: 'remind', at: 'on time', to: OWNER },
  ]);
  // The time-skipping server applies no parent-close policy: end the draft's task too.
  await handle.terminate('test done');
  await taskHandle(draftId).terminate('test done');
});

test("each regime's reports breach at exactly detection + their deadline, to the responder and the regime's escalation", async () => {
  const t0 = await ctx.env.currentTimeMs();
  const cases = [
    { incidentId: 'inc-regimes', choices: [{ id: 'eu-ai-act-art73' }, { id: 'gdpr-art33' }, { id: 'nis2-art23' }] },
    { incidentId: 'inc-death', choices: [{ id: 'eu-ai-act-art73', variant: 'death' }] },
    { incidentId: 'inc-widespread', choices: [{ id: 'eu-ai-act-art73', variant: 'widespread' }] },
  ];
  const handles = new Map<string, WorkflowHandle<typeof incident>>();
  for (const { incidentId, choices } of cases) handles.set(incidentId, (await openIncident(incidentId, t0, choices)).handle);

  const deadlines: Array<{ incidentId: string; key: string; windowMs: number }> = [
    { incidentId: 'inc-regimes', key: 'nis2-art23:early-warning', windowMs: 24 * HOUR_MS },
    { incidentId: 'inc-widespread', key: 'eu-ai-act-art73:report', windowMs: 2 * DAY_MS },
    { incidentId: 'inc-regimes', key: 'gdpr-art33:notification', windowMs: 72 * HOUR_MS },
    { incidentId: 'inc-regimes', key: 'nis2-art23:notification', windowMs: 72 * HOUR_MS },
    { incidentId: 'inc-death', key: 'eu-ai-act-art73:report', windowMs: 10 * DAY_MS },
    { incidentId: 'inc-regimes', key: 'eu-ai-act-art73:report', windowMs: 15 * DAY_MS },
  ];
  // NIS2's final report counts from the notification's submission: its own test below.
  const waiting = ['nis2-art23:final-report'];
  // Every report the regimes require, with its deadline counted from detection.
  for (const { incidentId } of cases) {
    const status = await handles.get(incidentId)!.query(incidentStatusQuery);
    const regulatory = status.reports.filter((r) => r.kind === 'regulatory-report' && !waiting.includes(r.key));
    expect(regulatory.map((r) => [r.key, r.taskId, r.state, r.dueAt]).sort()).toEqual(
      deadlines
        .filter((d) => d.incidentId === incidentId)
        .map((d) => [d.key, `regulatory-report:${incidentId}:${d.key}`, 'open', iso(t0 + d.windowMs)])
        .sort(),
    );
  }
  expect((await handles.get('inc-death')!.query(incidentStatusQuery)).regimes).toEqual([{ id: 'eu-ai-act-art73', variant: 'death' }]);
  expect((await handles.get('inc-regimes')!.query(incidentStatusQuery)).regimes).toEqual([
    { id: 'eu-ai-act-art73', variant: 'standard' },
    { id: 'gdpr-art33', variant: 'standard' },
    { id: 'nis2-art23', variant: 'standard' },
  ]);
  // The internal reports are filed at once, so only the regulatory clocks run.
  for (const { incidentId } of cases) {
    const draftId = incidentReportTaskId(incidentId, 'draft');
    await taskOpened(draftId);
    await submitReport(draftId, 'Draft filed');
    const finalId = incidentReportTaskId(incidentId, 'final');
    await taskOpened(finalId);
    await submitReport(finalId, 'Final filed');
  }
  for (const { incidentId, key } of deadlines) {
    const task = await taskOpened(incidentReportTaskId(incidentId, key));
    expect(task).toMatchObject({ kind: 'regulatory-report', ownerId: PEOPLE.owner.id });
  }

  // Walk to each deadline in turn: the breach fired exactly then; the report is filed just after.
  for (const { incidentId, key, windowMs } of deadlines) {
    const taskId = incidentReportTaskId(incidentId, key);
    await sleepUntil(ctx.env, t0 + windowMs + 30 * MINUTE_MS);
    const expected = {
      opened: t0,
      'remind-half-window': t0 + windowMs / 2,
      'remind-last-sixth': t0 + windowMs - windowMs / 6,
      'breach-deadline': t0 + windowMs,
    };
    expect({ taskId, log: timeline(taskId, expected) }).toEqual({
      taskId,
      log: [
        { key: 'opened', kind: 'opened', at: 'on time', to: OWNER },
        { key: 'remind-half-window', kind: 'remind', at: 'on time', to: OWNER },
        { key: 'remind-last-sixth', kind: 'remind', at: 'on time', to: OWNER },
        { key: 'breach-deadline', kind: 'breach', at: 'on time', to: CHAIN },
      ],
    });
    expect(await taskStatus(taskId)).toMatchObject({ state: 'open', overdue: true, escalationLevel: 3, dueAt: iso(t0 + windowMs) });
    await submitReport(taskId, `${key} filed`);
  }

  // Filed: no more reminders about any of them, and each incident closes.
  const logs = deadlines.map(({ incidentId, key }) => sent(incidentReportTaskId(incidentId, key)));
  await ctx.env.sleep(3 * DAY_MS);
  expect(deadlines.map(({ incidentId, key }) => sent(incidentReportTaskId(incidentId, key)))).toEqual(logs);
  for (const { incidentId } of cases) {
    const handle = handles.get(incidentId)!;
    const result = await closeOut(handle);
    expect(result.state).toBe('closed');
    const late = result.reports.filter((r) => Date.parse(r.submittedAt!) > Date.parse(r.dueAt)).map((r) => r.key);
    expect({ incidentId, late: late.sort() }).toEqual({
      incidentId,
      late: deadlines
        .filter((d) => d.incidentId === incidentId)
        .map((d) => d.key)
        .sort(),
    });
  }
  // Every incident is closed: now their results may be awaited.
  for (const handle of handles.values()) expect((await handle.result()).state).toBe('closed');
  await recordHistory(handles.get('inc-regimes')!, 'incident', 'regimes');
});

test('a regime added after opening starts its clocks from detection: GDPR breaches at detection + 72 h, not 72 h after it was added', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const { handle } = await openIncident('inc-late-gdpr', t0);
  await taskOpened(incidentReportTaskId('inc-late-gdpr', 'draft'));
  // Triage, 30 hours in, finds personal data in the leak.
  await sleepUntil(ctx.env, t0 + 30 * HOUR_MS);
  const plan = planIncidentReports('inc-late-gdpr', new Date(t0), [{ id: 'gdpr-art33' }]);
  if (!('reports' in plan)) throw new Error('expected a plan');
  const args = { by: actor(PEOPLE.lead), regime: plan.regimes[0], reports: plan.reports.filter((r) => r.kind === 'regulatory-report') };
  const added = await handle.executeUpdate(addRegimeUpdate, { args: [args] });
  expect(added.regimes).toEqual([{ id: 'gdpr-art33', variant: 'standard' }]);
  expect(reportOf(added, 'gdpr-art33:notification')).toMatchObject({ state: 'open', dueAt: iso(t0 + 72 * HOUR_MS) });

  // Refused without failing the workflow: the same regime again, a stranger, a report that is no regulatory one.
  expect(await refusalOf(handle.executeUpdate(addRegimeUpdate, { args: [args] }))).toMatchObject({
    type: REFUSAL.invalidArgument,
    message: expect.stringContaining('already applies'),
  });
  const nis2 = planIncidentReports('inc-late-gdpr', new Date(t0), [{ id: 'nis2-art23' }]);
  if (!('reports' in nis2)) throw new Error('expected a plan');
  const nis2Args = { regime: nis2.regimes[0], reports: nis2.reports.filter((r) => r.kind === 'regulatory-report') };
  expect((await refusalOf(handle.executeUpdate(addRegimeUpdate, { args: [{ ...nis2Args, by: actor(PEOPLE.peer) }] }))).type).toBe(
    REFUSAL.notPermitted,
  );
  expect(
    (
      await refusalOf(
        handle.executeUpdate(addRegimeUpdate, { args: [{ ...nis2Args, by: actor(PEOPLE.lead), reports: nis2.reports.slice(0, 1) }] }),
      )
    ).type,
  ).toBe(REFUSAL.invalidArgument);
  // A report whose ladder is not valid (a step listed twice) is refused before any task opens.
  const badLadder = nis2Args.reports.map((r) => ({ ...r, ladder: [...r.ladder, r.ladder[0]] }));
  expect(
    await refusalOf(handle.executeUpdate(addRegimeUpdate, { args: [{ ...nis2Args, by: actor(PEOPLE.lead), reports: badLadder }] })),
  ).toMatchObject({
    type: REFUSAL.invalidArgument,
    message: 'report nis2-art23:early-warning: its ladder is not valid: step 4: duplicate key remind-half-window',
  });

  const gdprTask = 'regulatory-report:inc-late-gdpr:gdpr-art33:notification';
  await taskOpened(gdprTask);
  await sleepUntil(ctx.env, t0 + 73 * HOUR_MS);
  // Every step of its ladder falls at its time counted from detection, not from the addition.
  const at = {
    opened: t0 + 30 * HOUR_MS,
    'remind-half-window': t0 + 36 * HOUR_MS,
    'remind-last-sixth': t0 + 60 * HOUR_MS,
    'breach-deadline': t0 + 72 * HOUR_MS,
  };
  expect(timeline(gdprTask, at)).toEqual([
    { key: 'opened', kind: 'opened', at: 'on time', to: OWNER },
    { key: 'remind-half-window', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'remind-last-sixth', kind: 'remind', at: 'on time', to: OWNER },
    { key: 'breach-deadline', kind: 'breach', at: 'on time', to: CHAIN },
  ]);
  expect(caseEvents('inc-late-gdpr').map((e) => e.event)).toContain('regime-added');
  await closeOut(handle);
});

test('the final report opens even when the draft goes in while the incident is still opening its other reports', async () => {
  // Regression: a report going in during the opening pass (while a regulatory task was being
  // started) was a change the main loop missed, and the final report waited for good.
  for (let i = 0; i < 12; i++) {
    const { handle } = await openIncident(`inc-race-${i}`, await ctx.env.currentTimeMs(), [
      { id: 'eu-ai-act-art73' },
      { id: 'gdpr-art33' },
      { id: 'nis2-art23' },
    ]);
    const draftId = incidentReportTaskId(`inc-race-${i}`, 'draft');
    await eventually(
      () => taskStatus(draftId),
      (t) => t?.state === 'open',
    );
    await submitReport(draftId, 'Draft filed at once');
    const status = await incidentWhen(handle, (st) => reportOf(st, 'final').state === 'open');
    expect({ i, draft: reportOf(status, 'draft').state, final: reportOf(status, 'final').state }).toEqual({
      i,
      draft: 'in',
      final: 'open',
    });
    await handle.terminate('test done');
    // The time-skipping server applies no parent-close policy: end the report tasks too, or their
    // 12-hourly reminders keep the worker busy for every later test.
    for (const r of status.reports)
      await taskHandle(r.taskId)
        .terminate('test done')
        .catch(() => undefined);
  }
});

test('validators refuse bad calls without failing the workflow; the happy path closes the incident', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const incidentId = 'inc-happy';
  const { handle } = await openIncident(incidentId, t0);
  const draftId = incidentReportTaskId(incidentId, 'draft');
  const finalId = incidentReportTaskId(incidentId, 'final');
  await taskOpened(draftId);

  const refusals: Refusal[] = [
    [
      'a stranger acknowledges',
      () => handle.executeUpdate(acknowledgeIncidentUpdate, { args: [{ by: actor(PEOPLE.peer) }] }),
      REFUSAL.notPermitted,
      /only the responder/,
    ],
    [
      'close before the reports are in',
      () => handle.executeUpdate(closeIncidentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'done' }] }),
      REFUSAL.invalidState,
      /before every report is in; outstanding: draft .*, final/,
    ],
    [
      'the same severity again',
      () => handle.executeUpdate(changeSeverityUpdate, { args: [{ by: actor(PEOPLE.owner), severity: 'high', reason: 'still high' }] }),
      REFUSAL.invalidArgument,
      /already high/,
    ],
    [
      'the final report in while it waits for the draft',
      () =>
        handle.executeUpdate(reportInUpdate, {
          args: [{ key: 'final', taskId: finalId, submittedAt: iso(t0), submittedBy: PEOPLE.owner.id }],
        }),
      REFUSAL.invalidState,
      /not open yet: draft comes first/,
    ],
  ];
  await expectRefusedUnchanged(handle, () => handle.query(incidentStatusQuery), refusals);

  // The responder acknowledges, raises the severity.
  let status = await handle.executeUpdate(acknowledgeIncidentUpdate, { args: [{ by: actor(PEOPLE.owner), note: ' on it ' }] });
  expect(status).toMatchObject({ acknowledgedBy: PEOPLE.owner.id, state: 'open' });
  expect((await refusalOf(handle.executeUpdate(acknowledgeIncidentUpdate, { args: [{ by: actor(PEOPLE.lead) }] }))).type).toBe(
    REFUSAL.invalidState,
  );
  status = await handle.executeUpdate(changeSeverityUpdate, {
    args: [{ by: actor(PEOPLE.lead), severity: 'critical', reason: 'More customers affected' }],
  });
  expect(status.severity).toBe('critical');
  expect(status.severityChanges).toEqual([
    { at: expect.any(String), by: PEOPLE.lead.id, from: 'high', to: 'critical', reason: 'More customers affected' },
  ]);

  // The draft: submitted on its task, then told to the incident as the API does (twice: idempotent).
  const draft = await submitReport(draftId, 'Draft: addresses shown across accounts');
  const draftIn = {
    key: 'draft',
    taskId: draftId,
    submittedAt: draft.submittedAt!,
    submittedBy: draft.submittedBy!,
    summary: draft.summary,
  };
  status = await handle.executeUpdate(reportInUpdate, { args: [draftIn] });
  expect(reportOf(status, 'draft')).toMatchObject({
    state: 'in',
    submittedAt: draft.submittedAt,
    submittedBy: PEOPLE.owner.id,
    summary: draft.summary,
  });
  const again = await handle.executeUpdate(reportInUpdate, { args: [draftIn] });
  expect(reportOf(again, 'draft')).toEqual(reportOf(status, 'draft'));

  await taskOpened(finalId);
  const final = await submitReport(finalId, 'Final: root cause in the address cache');
  status = await handle.executeUpdate(reportInUpdate, {
    args: [{ key: 'final', taskId: finalId, submittedAt: final.submittedAt!, submittedBy: final.submittedBy!, summary: final.summary }],
  });
  expect(status.reports.map((r) => [r.key, r.state, r.submittedAt])).toEqual([
    ['draft', 'in', draft.submittedAt],
    ['final', 'in', final.submittedAt],
  ]);
  const settled = await handle.query(incidentStatusQuery);
  expect((await handle.executeUpdate(reportInUpdate, { args: [draftIn] })).version).toBe(settled.version);

  // Every report is in, but nothing was contained yet.
  const uncontained = await refusalOf(handle.executeUpdate(closeIncidentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'done' }] }));
  expect(uncontained).toMatchObject({ type: REFUSAL.invalidState, message: expect.stringMatching(/before containment is recorded/) });
  status = await handle.executeUpdate(recordContainmentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: ' Address cache flushed ' }] });
  expect(status.containment).toMatchObject({ by: PEOPLE.owner.id, summary: 'Address cache flushed' });
  expect((await refusalOf(handle.executeUpdate(closeIncidentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: ' ' }] }))).type).toBe(
    REFUSAL.invalidArgument,
  );

  status = await handle.executeUpdate(closeIncidentUpdate, {
    args: [{ by: actor(PEOPLE.owner), summary: 'Cache fixed, regulator informed' }],
  });
  expect(status).toMatchObject({ state: 'closed', closedBy: PEOPLE.owner.id, closingSummary: 'Cache fixed, regulator informed' });
  const result = await handle.result();
  expect(result).toMatchObject({ state: 'closed', severity: 'critical', acknowledgedBy: PEOPLE.owner.id });
  expect(ctx.ports.incidents.get(incidentId)).toEqual(result);

  // One 'report-in' per report however often it was told; versions strictly increase.
  const events = caseEvents(incidentId);
  expect(events.map((e) => e.event)).toEqual([
    'opened',
    'acknowledged',
    'severity-changed',
    'report-in',
    'report-opened',
    'report-in',
    'contained',
    'closed',
  ]);
  expect(events.map((e) => e.status.version)).toEqual(events.map((_, i) => i + 1));
  expect(events.filter((e) => e.event === 'report-in').map((e) => e.detail?.key)).toEqual(['draft', 'final']);
  expect(result.version).toBe(events.length);
  await recordHistory(handle, 'incident', 'validators-and-close');
});

// ---- Read your writes: the opening and each submission answer once what they report exists ----

/** Opens an incident as the API does: Update-with-Start, answered once its first reports' tasks are open and recorded. */
async function openWithUpdate(incidentId: string, detectedAtMs: number, choices: RegimeChoice[] = []) {
  const input = incidentInput(incidentId, detectedAtMs, choices);
  const startWorkflowOperation = new WithStartWorkflowOperation(incident, {
    workflowId: incidentWorkflowId(incidentId),
    taskQueue: ctx.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
  });
  const status = await ctx.env.client.workflow.executeUpdateWithStart(incidentOpenedUpdate, { args: [], startWorkflowOperation });
  return { handle: await startWorkflowOperation.workflowHandle(), status };
}

/** The task's recorded events (the read model's source), in order. */
const recorded = (taskId: string) => ctx.ports.transitionsFor(taskId).map((t) => t.event);

function submitThroughIncident(handle: WorkflowHandle<typeof incident>, key: string, by = PEOPLE.owner, summary = `${key} filed`) {
  return handle.executeUpdate(submitReportUpdate, { args: [{ by: actor(by), key, summary }] });
}

test('read your writes: the opening answers once its reports are open and recorded; each submission once it is in and the next report is open', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const incidentId = 'inc-read-your-writes';
  const { handle, status: opened } = await openWithUpdate(incidentId, t0, [{ id: 'gdpr-art33' }, { id: 'nis2-art23' }]);
  const id = (key: string) => incidentReportTaskId(incidentId, key);
  // What the answer says is open exists: each open report's task has recorded its opening.
  const open = opened.reports.filter((r) => r.state === 'open').map((r) => r.key);
  expect(open).toEqual(['draft', 'gdpr-art33:notification', 'nis2-art23:early-warning', 'nis2-art23:notification']);
  for (const key of open) expect({ key, events: recorded(id(key)) }).toEqual({ key, events: ['opened'] });
  expect(ctx.ports.tasks.get(id('draft'))).toMatchObject({ state: 'open', ownerId: PEOPLE.owner.id });
  expect(recorded(id('final'))).toEqual([]);
  expect(caseEvents(incidentId).map((e) => e.event)).toContain('opened');

  // Refusals come from the incident's validator; the workflow keeps running and nothing changes.
  const refusals: Refusal[] = [
    ['a stranger submits', () => submitThroughIncident(handle, 'draft', PEOPLE.peer), REFUSAL.notPermitted, /only the owner of the draft/],
    ['the final before the draft', () => submitThroughIncident(handle, 'final'), REFUSAL.invalidState, /not open yet: the draft report/],
    ['an unknown report', () => submitThroughIncident(handle, 'nope'), REFUSAL.invalidArgument, /unknown report "nope"/],
    ['a blank summary', () => submitThroughIncident(handle, 'draft', PEOPLE.owner, '  '), REFUSAL.invalidArgument, /summary/],
  ];
  await expectRefusedUnchanged(handle, () => handle.query(incidentStatusQuery), refusals);

  // The draft at once: the answer comes when the task has recorded it and the final's task is open.
  let status = await submitThroughIncident(handle, 'draft');
  expect(reportOf(status, 'draft')).toMatchObject({ state: 'in', submittedBy: PEOPLE.owner.id, summary: 'draft filed' });
  expect(reportOf(status, 'final').state).toBe('open');
  expect(recorded(id('draft'))).toEqual(['opened', 'completed']);
  expect(recorded(id('final'))).toEqual(['opened']);
  expect(ctx.ports.tasks.get(id('draft'))?.state).toBe('completed');
  expect((await refusalOf(submitThroughIncident(handle, 'draft'))).message).toMatch(/already in/);

  // The final and every regulatory report at once, the NIS2 final report right after its notification.
  status = await submitThroughIncident(handle, 'final');
  expect(reportOf(status, 'final').state).toBe('in');
  for (const key of ['gdpr-art33:notification', 'nis2-art23:early-warning', 'nis2-art23:notification']) {
    status = await submitThroughIncident(handle, key);
    expect({ key, state: reportOf(status, key).state }).toEqual({ key, state: 'in' });
  }
  expect(reportOf(status, 'nis2-art23:final-report').state).toBe('open');
  expect(recorded(id('nis2-art23:final-report'))).toEqual(['opened']);
  status = await submitThroughIncident(handle, 'nis2-art23:final-report');
  expect(status.reports.filter((r) => r.state !== 'in')).toEqual([]);

  await handle.executeUpdate(recordContainmentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Contained' }] });
  status = await handle.executeUpdate(closeIncidentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Closed at once' }] });
  expect(status.state).toBe('closed');
  // One marking per report: the task's word, no second one from its completion.
  const ins = caseEvents(incidentId).filter((e) => e.event === 'report-in');
  expect(ins.map((e) => [e.detail?.key, e.detail?.via])).toEqual(
    ['draft', 'final', 'gdpr-art33:notification', 'nis2-art23:early-warning', 'nis2-art23:notification', 'nis2-art23:final-report'].map(
      (key) => [key, 'task-completed'],
    ),
  );
  await recordHistory(handle, 'incident', 'read-your-writes');
  await recordHistory(taskHandle(id('draft')), 'governanceTask', 'report-handed-on-by-incident');
});
