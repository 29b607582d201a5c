/**
 * The org-wide cadence cycle and the inventory recertification round, under the time-skipping
 * server with in-memory ports: one task per owner (none for an owner whose systems are all
 * retired or prohibited), due 30 calendar days after the round opens in the zone, the ladder at
 * its exact times, confirmations refused or completing the owner's task.
 */
import { WorkflowHandle } from '@temporalio/client';
import {
  confirmSystemsUpdate,
  OrgCadenceCycleInput,
  recertificationStatusQuery,
  recertificationTaskId,
  REFUSAL,
  roundOpenedUpdate,
  statusQuery,
} from '../../libs/contracts';
import { addCalendar, DEFAULT_LADDER, orgPeriodOf } from '../../libs/domain';
import { inventoryRecertification, orgCadenceCycle } from '../../workflows';
import { recordHistory } from '../support/histories';
import { actor, expectRefusedUnchanged, onTime, PEOPLE, sleepUntil, startWorkflowTestContext, WorkflowTestContext } from './fixtures';

jest.setTimeout(180_000);

const ZONE = 'Europe/Amsterdam';
let ctx: WorkflowTestContext;
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  ctx = await startWorkflowTestContext('inventory-recertification');
  const add = (
    id: string,
    name: string,
    ownerId: string,
    riskTier: 'high' | 'limited' | 'minimal' | 'unacceptable',
    stage = 'operation_and_monitoring',
  ) => ctx.ports.addSystem({ id, name, ownerId, riskTier, lifecycleStage: stage as 'operation_and_monitoring' });
  add('sys-credit', 'Credit scoring', PEOPLE.owner.id, 'high');
  add('sys-chat', 'Chat assistant', PEOPLE.owner.id, 'limited', 'deployment');
  add('sys-spam', 'Spam filter', PEOPLE.peer.id, 'minimal');
  // The manager's systems are out of scope: no task for them.
  add('sys-old', 'Old model', PEOPLE.manager.id, 'high', 'retirement');
  add('sys-banned', 'Social scoring', PEOPLE.manager.id, 'unacceptable');
});

afterAll(async () => {
  for (const h of started) await h.terminate('test done').catch(() => undefined);
  await ctx?.stop();
});

const cycleInput: OrgCadenceCycleInput = {
  cadenceId: 'org:inventory-recertification',
  kind: 'inventory-recertification',
  timeZone: ZONE,
  intervalMonths: 6,
  startMonth: 1,
};

test('a cycle opens the period round: one task per owner, due 30 calendar days after it opened; a second run is already-open', async () => {
  const now = new Date(await ctx.env.currentTimeMs());
  const period = orgPeriodOf({ intervalMonths: 6, startMonth: 1 }, now, ZONE);
  const roundId = `inventory-recertification:${period.key}`;
  const first = await ctx.env.client.workflow.start(orgCadenceCycle, {
    workflowId: 'org-cycle-1',
    taskQueue: ctx.taskQueue,
    args: [cycleInput],
  });
  expect(await first.result()).toEqual({ outcome: 'opened', roundId, period: period.key });

  const round = ctx.env.client.workflow.getHandle<typeof inventoryRecertification>(roundId);
  started.push(round);
  const opened = await round.executeUpdate(roundOpenedUpdate);
  const ownerTask = recertificationTaskId(PEOPLE.owner.id, period.key);
  const peerTask = recertificationTaskId(PEOPLE.peer.id, period.key);
  expect(opened).toEqual({ roundId, period: period.key, taskIds: [ownerTask, peerTask] });
  // Read your writes: each task's opening is in the read model when the Update answers.
  expect(opened.taskIds.map((id) => ctx.ports.tasks.get(id)?.state)).toEqual(['open', 'open']);
  expect(
    ctx.ports.recertificationRounds.find((r) => r.period === period.key)?.owners.map((o) => [o.ownerId, o.systems.map((s) => s.systemId)]),
  ).toEqual([
    [PEOPLE.owner.id, ['sys-chat', 'sys-credit']],
    [PEOPLE.peer.id, ['sys-spam']],
  ]);

  const status = await round.query(recertificationStatusQuery);
  const dueAt = addCalendar(new Date(status.openedAt), { days: 30 }, ZONE).toISOString();
  expect(status.dueAt).toBe(dueAt);
  const task = await ctx.env.client.workflow.getHandle(ownerTask).query(statusQuery);
  expect(task).toMatchObject({
    kind: 'inventory-recertification',
    subject: { type: 'person', id: PEOPLE.owner.id, name: PEOPLE.owner.name },
    ownerId: PEOPLE.owner.id,
    dueAt,
    cadenceId: 'org:inventory-recertification',
    period: period.key,
    state: 'open',
  });
  expect(task.ladder.map((l) => l.key)).toEqual(DEFAULT_LADDER.map((l) => l.key));

  const second = await ctx.env.client.workflow.start(orgCadenceCycle, {
    workflowId: 'org-cycle-2',
    taskQueue: ctx.taskQueue,
    args: [cycleInput],
  });
  expect(await second.result()).toEqual({ outcome: 'already-open', roundId, period: period.key });
  await recordHistory(first, 'orgCadenceCycle', 'opened');
  await recordHistory(second, 'orgCadenceCycle', 'already-open');
});

test('confirmations: a wrong person or unknown system is refused and the round keeps running; all confirmed completes the task', async () => {
  const now = new Date(await ctx.env.currentTimeMs());
  const period = orgPeriodOf({ intervalMonths: 6, startMonth: 1 }, now, ZONE).key;
  const round = ctx.env.client.workflow.getHandle<typeof inventoryRecertification>(`inventory-recertification:${period}`);
  await round.executeUpdate(roundOpenedUpdate);
  const confirm = (p: (typeof PEOPLE)[keyof typeof PEOPLE], systems: Array<{ systemId: string; note?: string }>) =>
    round.executeUpdate(confirmSystemsUpdate, { args: [{ by: actor(p), systems }] });

  await expectRefusedUnchanged(round, () => round.query(recertificationStatusQuery), [
    [
      'an owner with no system in the round',
      () => confirm(PEOPLE.manager, [{ systemId: 'sys-old' }]),
      REFUSAL.notPermitted,
      /no systems to recertify/,
    ],
    [
      "another owner's system",
      () => confirm(PEOPLE.peer, [{ systemId: 'sys-credit' }]),
      REFUSAL.invalidArgument,
      /not one of p-peer's systems/,
    ],
    ['an unknown system', () => confirm(PEOPLE.owner, [{ systemId: 'sys-nope' }]), REFUSAL.invalidArgument, /sys-nope is not one of/],
    ['no system', () => confirm(PEOPLE.owner, []), REFUSAL.invalidArgument, /at least one system/],
  ]);

  const ownerTask = recertificationTaskId(PEOPLE.owner.id, period);
  const partial = await confirm(PEOPLE.owner, [{ systemId: 'sys-credit', note: 'Thresholds unchanged' }]);
  expect(partial.systems.map((s) => [s.systemId, !!s.confirmedAt])).toEqual([
    ['sys-chat', false],
    ['sys-credit', true],
  ]);
  expect(ctx.ports.tasks.get(ownerTask)?.state).toBe('open');
  expect(ctx.ports.recertifications.get(`${period}/sys-credit`)).toMatchObject({ by: PEOPLE.owner.id, note: 'Thresholds unchanged' });

  const done = await confirm(PEOPLE.owner, [{ systemId: 'sys-chat' }]);
  expect(done.systems.every((s) => s.confirmedAt)).toBe(true);
  // Answered once the task recorded the submission: done, as it has no approver.
  expect(ctx.ports.tasks.get(ownerTask)).toMatchObject({ state: 'completed', submittedBy: PEOPLE.owner.id });
  const again = await confirm(PEOPLE.owner, [{ systemId: 'sys-chat' }]).catch((e: Error) => e);
  expect(String((again as Error & { cause?: Error }).cause?.message ?? again)).toMatch(/is completed/);
  expect((await round.describe()).status.name).toBe('RUNNING');
});

test("an owner who does not confirm: reminders and escalation at their exact times, then the round ends with the owner's task", async () => {
  const now = new Date(await ctx.env.currentTimeMs());
  const period = orgPeriodOf({ intervalMonths: 6, startMonth: 1 }, now, ZONE).key;
  const round = ctx.env.client.workflow.getHandle<typeof inventoryRecertification>(`inventory-recertification:${period}`);
  const peerTask = recertificationTaskId(PEOPLE.peer.id, period);
  const due = new Date((await round.query(recertificationStatusQuery)).dueAt);
  const expected = Object.fromEntries(
    DEFAULT_LADDER.map((l) => [l.key, (l.offset ? addCalendar(due, l.offset, ZONE) : due).getTime()]),
  ) as Record<string, number>;
  await sleepUntil(ctx.env, expected['escalate-top-management'] + 60_000);

  const sent = ctx.ports.notificationsFor(peerTask).filter((n) => n.kind === 'remind' || n.kind === 'escalate');
  expect(sent.map((n) => [n.notificationKey, onTime(n.at, expected[n.notificationKey]) ? 'on time' : n.at])).toEqual(
    DEFAULT_LADDER.map((l) => [l.key, 'on time']),
  );
  expect(sent.find((n) => n.notificationKey === 'escalate-manager')?.recipients.map((r) => r.personId)).toEqual([PEOPLE.manager.id]);

  // The peer confirms late: the task completes and, every task done, the round ends.
  await round.executeUpdate(confirmSystemsUpdate, { args: [{ by: actor(PEOPLE.peer), systems: [{ systemId: 'sys-spam' }] }] });
  const final = await round.result();
  expect(final.owners.map((o) => [o.ownerId, o.taskState])).toEqual([
    [PEOPLE.owner.id, 'completed'],
    [PEOPLE.peer.id, 'completed'],
  ]);
  await recordHistory(round, 'inventoryRecertification', 'two-owners');
});
