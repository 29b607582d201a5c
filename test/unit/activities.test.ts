/** createActivities over in-memory ports: the escalation chain and exactly-once email. */
import { createActivities } from '../../activities';
import { createInMemoryPorts } from '../support/in-memory';
import type { Person } from '../../activities/ports';
import type { NotifyInput } from '../../libs/contracts';
import { messageIdFor } from '../../libs/notifications';

const people: Person[] = [
  { id: 'o', name: 'Olivia', email: 'olivia@x.test', role: 'owner', managerId: 'm' },
  { id: 'm', name: 'Max', email: 'max@x.test', role: 'owner', managerId: null },
  { id: 'g1', name: 'Grace', email: 'grace@x.test', role: 'governance_lead', managerId: null },
  { id: 'g2', name: 'Gus', email: 'gus@x.test', role: 'governance_lead', managerId: null },
  { id: 't', name: 'Tess', email: 'tess@x.test', role: 'management', managerId: null },
  { id: 'lonely', name: 'Lou', email: 'lou@x.test', role: 'owner', managerId: null },
];

const input = (over: Partial<NotifyInput> = {}): NotifyInput => ({
  taskId: 'task-1',
  notificationKey: 'escalate-manager',
  kind: 'escalate',
  levels: ['manager'],
  ownerId: 'o',
  task: { kind: 'high-risk-review', title: 'Review', subject: { type: 'ai-system', id: 's', name: 'S' }, dueAt: '2026-01-01T00:00:00Z' },
  at: '2026-01-04T00:00:00Z',
  ...over,
});

test('the chain: owner -> manager -> every governance lead -> top management, one email per person', async () => {
  const ports = createInMemoryPorts({ people });
  const { notify } = createActivities(ports);
  const r = await notify(
    input({ notificationKey: 'breach', kind: 'breach', levels: ['owner', 'manager', 'governance_lead', 'top_management'] }),
  );
  expect(r.recipients.map((x) => [x.personId, x.level])).toEqual([
    ['o', 'owner'],
    ['m', 'manager'],
    ['g1', 'governance_lead'],
    ['g2', 'governance_lead'],
    ['t', 'top_management'],
  ]);
  expect(r.unfilledLevels).toEqual([]);
  expect(ports.delivered.map((m) => m.to)).toEqual(['olivia@x.test', 'max@x.test', 'grace@x.test', 'gus@x.test', 'tess@x.test']);
  expect(ports.delivered[1].messageId).toBe(messageIdFor('task-1/breach/max@x.test'));
});

test('a level nobody holds is reported as unfilled and its notification goes up the chain', async () => {
  const ports = createInMemoryPorts({ people: people.filter((p) => p.role !== 'management') });
  const { notify } = createActivities(ports);
  const r = await notify(input({ ownerId: 'lonely', levels: ['manager'] }));
  expect(r.unfilledLevels).toEqual(['manager']);
  expect(r.recipients.map((x) => [x.personId, x.level])).toEqual([
    ['g1', 'governance_lead'],
    ['g2', 'governance_lead'],
  ]);
  expect(ports.delivered.map((m) => m.to)).toEqual(['grace@x.test', 'gus@x.test']);
});

test('an empty top of the chain falls to the admins, so an escalation is never lost', async () => {
  const admin: Person = { id: 'a', name: 'Ada', email: 'ada@x.test', role: 'admin', managerId: null };
  const ports = createInMemoryPorts({ people: [...people.filter((p) => p.role === 'owner'), admin] });
  const { notify } = createActivities(ports);
  const r = await notify(input({ ownerId: 'lonely', levels: ['governance_lead', 'top_management'] }));
  expect(r.unfilledLevels).toEqual(['governance_lead', 'top_management']);
  expect(r.recipients).toEqual([{ personId: 'a', email: 'ada@x.test', level: 'top_management' }]);
  expect(ports.delivered).toHaveLength(1);
});

test('a retried notify (the hook failed after sending) never sends a second copy', async () => {
  const ports = createInMemoryPorts({ people });
  let failures = 0;
  const { notify } = createActivities({
    ...ports,
    afterSend: () => {
      if (failures++ === 0) throw new Error('crash after send');
    },
  });
  await expect(notify(input())).rejects.toThrow('crash after send');
  const r = await notify(input());
  expect(r.recipients.map((x) => x.personId)).toEqual(['m']);
  expect(ports.delivered).toHaveLength(1);
  expect(ports.outboxRows.get('task-1/escalate-manager/max@x.test')).toMatchObject({ status: 'sent', attempts: 1 });
});
