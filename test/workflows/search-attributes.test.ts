/**
 * Search attributes under the time-skipping server: each task, incident and corrective action
 * shows its kind, owner, subject, state and due time in Temporal's visibility (read with
 * describe(): the test server answers no visibility queries; test/e2e/search-attributes runs
 * those), set at the start and kept current at every transition. Values are ids and enums only.
 */
import { WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import {
  approveUpdate,
  cancelUpdate,
  changeDueSignal,
  closeIncidentUpdate,
  correctiveStepTaskId,
  extendDueUpdate,
  highRiskReviewInput,
  aiiaInput,
  IncidentInput,
  incidentReportTaskId,
  incidentStatusQuery,
  incidentWorkflowId,
  nonconformityStatusQuery,
  nonconformityWorkflowId,
  planIncidentReports,
  reassignUpdate,
  recordContainmentUpdate,
  rejectUpdate,
  SEARCH_ATTRIBUTE_KEYS,
  SEARCH_ATTRIBUTES,
  SearchableWork,
  statusQuery,
  submitUpdate,
  taskWorkflowId,
} from '../../libs/contracts';
import { DAY_MS, HOUR_MS } from '../../libs/domain';
import { correctiveAction, governanceTask, incident } from '../../workflows';
import { recordHistory } from '../support/histories';
import { actor, auditFindingInput, eventually, iso, PEOPLE, sleepUntil, startWorkflowTestContext, WorkflowTestContext } from './fixtures';

jest.setTimeout(120_000);

let ctx: WorkflowTestContext;

beforeAll(async () => {
  ctx = await startWorkflowTestContext('search-attributes');
});

afterAll(async () => {
  await ctx?.stop();
});

type Attributes = Partial<SearchableWork>;

/** The workflow's custom search attributes as describe() shows them (dueAt as ISO). */
async function attributesOf(handle: WorkflowHandle): Promise<Attributes> {
  let typed;
  try {
    typed = (await handle.describe()).typedSearchAttributes;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return {}; // its parent has not started it yet
    throw err;
  }
  const out: Attributes = {
    kind: typed.get(SEARCH_ATTRIBUTES.kind),
    ownerId: typed.get(SEARCH_ATTRIBUTES.ownerId),
    subjectId: typed.get(SEARCH_ATTRIBUTES.subjectId),
    state: typed.get(SEARCH_ATTRIBUTES.state),
    dueAt: typed.get(SEARCH_ATTRIBUTES.dueAt)?.toISOString(),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

const canonical = (a: Attributes): string => JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)));

/** Waits (bounded) until the attributes read `expected`: a change made by a child's completion or a signal lands asynchronously. */
async function expectAttributes(handle: WorkflowHandle, expected: Attributes): Promise<void> {
  const seen = await eventually(
    () => attributesOf(handle),
    (a) => canonical(a) === canonical(expected),
  );
  expect(seen).toEqual(expected);
}

const system = { id: 'sys-credit', name: 'Credit scoring model', ownerId: PEOPLE.owner.id };

function startTask(workflowId: string, input: Parameters<typeof governanceTask>[0]) {
  return ctx.env.client.workflow.start(governanceTask, { workflowId, taskQueue: ctx.taskQueue, args: [input] });
}

test('the attributes are the ones libs/contracts defines, within the dev server limits (10 Keyword, 3 of each other type)', () => {
  expect(SEARCH_ATTRIBUTE_KEYS.map((k) => `${k.name}:${k.type}`)).toEqual([
    'AimsKind:KEYWORD',
    'AimsOwnerId:KEYWORD',
    'AimsSubjectId:KEYWORD',
    'AimsState:KEYWORD',
    'AimsDueAt:DATETIME',
  ]);
  const perType = new Map<string, number>();
  for (const k of SEARCH_ATTRIBUTE_KEYS) perType.set(k.type, (perType.get(k.type) ?? 0) + 1);
  for (const [type, n] of perType) expect([type, n <= (type === 'KEYWORD' ? 10 : 3)]).toEqual([type, true]);
});

test('a review carries kind, owner, subject, state and due from its start; reassign, extendDue, submit, reject and approve keep them current', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const dueMs = t0 + 30 * DAY_MS;
  const workflowId = taskWorkflowId('high-risk-review', system.id, 'searchable');
  const handle = await startTask(workflowId, highRiskReviewInput(system, new Date(dueMs), { period: 'searchable' }));
  const base = { kind: 'high-risk-review', subjectId: system.id };
  await expectAttributes(handle, { ...base, ownerId: PEOPLE.owner.id, state: 'open', dueAt: iso(dueMs) });

  // Reassigned: the new owner's id; the due time moved later: the new one.
  await handle.executeUpdate(reassignUpdate, { args: [{ by: actor(PEOPLE.lead), newOwnerId: PEOPLE.peer.id, reason: 'Olivia is away' }] });
  await expectAttributes(handle, { ...base, ownerId: PEOPLE.peer.id, state: 'open', dueAt: iso(dueMs) });
  const newDueMs = dueMs + 10 * DAY_MS;
  await handle.executeUpdate(extendDueUpdate, { args: [{ by: actor(PEOPLE.lead), newDueAt: iso(newDueMs), reason: 'retraining' }] });
  const current = { ...base, ownerId: PEOPLE.peer.id, dueAt: iso(newDueMs) };
  await expectAttributes(handle, { ...current, state: 'open' });

  // A ladder step (a reminder) changes none of them.
  await sleepUntil(ctx.env, newDueMs - 13 * DAY_MS);
  expect((await handle.query(statusQuery)).ladder.filter((v) => v.status === 'done').map((v) => v.key)).toEqual(['remind-14d-before']);
  await expectAttributes(handle, { ...current, state: 'open' });

  await handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.peer), summary: 'Thresholds met' }] });
  await expectAttributes(handle, { ...current, state: 'submitted' });
  await handle.executeUpdate(rejectUpdate, { args: [{ by: actor(PEOPLE.lead), reason: 'Evidence missing' }] });
  await expectAttributes(handle, { ...current, state: 'open' });
  await handle.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.peer), summary: 'Thresholds met, evidence attached' }] });
  await handle.executeUpdate(approveUpdate, { args: [{ by: actor(PEOPLE.lead) }] });
  await handle.result();
  await expectAttributes(handle, { ...current, state: 'approved' });

  // Ids and enums only: no name, email or title reaches the (unencrypted) visibility store.
  const raw = JSON.stringify((await handle.describe()).searchAttributes);
  for (const secret of [PEOPLE.peer.name, PEOPLE.peer.email, system.name]) expect(raw).not.toContain(secret);
  await recordHistory(handle, 'governanceTask', 'search-attributes');
});

test("the parent's changeDue signal (an incident's variant changed) moves AimsDueAt, earlier too", async () => {
  const t0 = await ctx.env.currentTimeMs();
  const workflowId = taskWorkflowId('aiia', system.id, 'searchable-change-due');
  const handle = await startTask(workflowId, aiiaInput(system, new Date(t0 + 30 * DAY_MS), { period: 'searchable-change-due' }));
  const base = { kind: 'aiia', ownerId: PEOPLE.owner.id, subjectId: system.id, state: 'open' };
  await expectAttributes(handle, { ...base, dueAt: iso(t0 + 30 * DAY_MS) });
  await handle.signal(changeDueSignal, { by: actor(PEOPLE.lead), newDueAt: iso(t0 + 10 * DAY_MS), reason: 'variant changed' });
  await expectAttributes(handle, { ...base, dueAt: iso(t0 + 10 * DAY_MS) });
  await handle.terminate('test done');
});

test('a cancelled AIIA reads cancelled', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const workflowId = taskWorkflowId('aiia', system.id, 'searchable-cancel');
  const handle = await startTask(workflowId, aiiaInput(system, new Date(t0 + 30 * DAY_MS), { period: 'searchable-cancel' }));
  await expectAttributes(handle, {
    kind: 'aiia',
    ownerId: PEOPLE.owner.id,
    subjectId: system.id,
    state: 'open',
    dueAt: iso(t0 + 30 * DAY_MS),
  });
  await handle.executeUpdate(cancelUpdate, { args: [{ by: actor(PEOPLE.lead), reason: 'the system was retired' }] });
  await handle.result();
  await expectAttributes(handle, {
    kind: 'aiia',
    ownerId: PEOPLE.owner.id,
    subjectId: system.id,
    state: 'cancelled',
    dueAt: iso(t0 + 30 * DAY_MS),
  });
});

test('an incident reads its responder, its system and its next report deadline; its report tasks their own; closed drops the due time', async () => {
  const t0 = await ctx.env.currentTimeMs();
  const incidentId = 'inc-searchable';
  const plan = planIncidentReports(incidentId, new Date(t0), [], undefined, 'UTC');
  if ('problems' in plan) throw new Error(JSON.stringify(plan.problems));
  const input: IncidentInput = {
    incidentId,
    system: { id: 'sys-chatbot', name: 'Support chatbot' },
    title: 'Chatbot leaked a customer address',
    description: '...',
    severity: 'high',
    detectedAt: iso(t0),
    responderId: PEOPLE.owner.id,
    openedBy: PEOPLE.lead.id,
    regimes: plan.regimes,
    reports: plan.reports,
    timeZone: 'UTC',
  };
  const draftDue = plan.reports.find((r) => r.key === 'draft')!.dueAt;
  const finalDue = plan.reports.find((r) => r.key === 'final')!.dueAt;
  expect(Date.parse(draftDue)).toBe(t0 + 72 * HOUR_MS);
  const handle = await ctx.env.client.workflow.start(incident, {
    workflowId: incidentWorkflowId(incidentId),
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  const inc = { kind: 'incident', ownerId: PEOPLE.owner.id, subjectId: 'sys-chatbot' };
  await expectAttributes(handle, { ...inc, state: 'open', dueAt: draftDue });

  const draftTask = ctx.env.client.workflow.getHandle(incidentReportTaskId(incidentId, 'draft'));
  const report = { kind: 'incident-report', ownerId: PEOPLE.owner.id, subjectId: incidentId };
  await expectAttributes(draftTask, { ...report, state: 'open', dueAt: draftDue });
  await draftTask.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Draft filed' }] });
  await expectAttributes(draftTask, { ...report, state: 'completed', dueAt: draftDue });
  // The draft is in: the next deadline is the final report's.
  await expectAttributes(handle, { ...inc, state: 'open', dueAt: finalDue });

  const finalTask = ctx.env.client.workflow.getHandle(incidentReportTaskId(incidentId, 'final'));
  await expectAttributes(finalTask, { ...report, state: 'open', dueAt: finalDue });
  await finalTask.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Final filed' }] });
  await handle.executeUpdate(recordContainmentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Lookup disabled' }] });
  await eventually(
    () => handle.query(incidentStatusQuery),
    (s) => s.reports.every((r) => r.state === 'in'),
  );
  await expectAttributes(handle, { ...inc, state: 'open' });
  await handle.executeUpdate(closeIncidentUpdate, { args: [{ by: actor(PEOPLE.owner), summary: 'Fixed and reported' }] });
  await expectAttributes(handle, { ...inc, state: 'closed' });
  await recordHistory(handle, 'incident', 'search-attributes');
});

test("a corrective action reads its action owner, its nonconformity and the current step's due time; its steps their owners", async () => {
  const nonconformityId = 'nc-searchable';
  const input = auditFindingInput(
    nonconformityId,
    { ref: 'AF-9', title: 'Drift monitoring missing', description: 'Audit finding AF-9' },
    { containmentOwnerId: PEOPLE.manager.id, rootCauseOwnerId: PEOPLE.manager.id },
  );
  const handle = await ctx.env.client.workflow.start(correctiveAction, {
    workflowId: nonconformityWorkflowId(nonconformityId),
    taskQueue: ctx.taskQueue,
    args: [input],
  });
  const nc = { kind: 'corrective-action', ownerId: PEOPLE.owner.id, subjectId: nonconformityId, state: 'open' };
  const containment = ctx.env.client.workflow.getHandle(correctiveStepTaskId(nonconformityId, 'containment'));
  const containing = await eventually(
    () => handle.query(nonconformityStatusQuery),
    (s) => s.currentDueAt !== undefined,
  );
  await expectAttributes(handle, { ...nc, dueAt: containing.currentDueAt });
  const step = { kind: 'corrective-action-step', subjectId: nonconformityId, state: 'open' };
  await expectAttributes(containment, { ...step, ownerId: PEOPLE.manager.id, dueAt: containing.currentDueAt });
  await containment.executeUpdate(submitUpdate, { args: [{ by: actor(PEOPLE.manager), summary: 'Model pinned' }] });
  const rootCause = await eventually(
    () => handle.query(nonconformityStatusQuery),
    (s) => s.step === 'root-cause' && s.currentDueAt !== undefined,
  );
  expect(rootCause.currentDueAt).not.toBe(containing.currentDueAt);
  await expectAttributes(handle, { ...nc, dueAt: rootCause.currentDueAt });
  await recordHistory(handle, 'correctiveAction', 'search-attributes');
  await handle.terminate('test done');
});
