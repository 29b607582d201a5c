/** createActivities over in-memory ports: the escalation chain and exactly-once email. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, sentDigest } from '../../activities';
import type { SentLedgerDetails } from '../../activities';
import { createInMemoryPorts } from '../support/in-memory';
import type { InMemoryPorts } from '../support/in-memory';
import type { Person, SentLedger } from '../../activities/ports';
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

/** The in-memory ports with a database that can go down: every outbox and directory call fails while it is. */
function withDatabase(ports: InMemoryPorts) {
  const db = { down: false, downAfterDelivering: undefined as string | undefined };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (db.down) throw new Error('connection refused');
      return fn(...args);
    };
  const deps = {
    ...ports,
    directory: { person: guard(ports.directory.person), peopleByRole: guard(ports.directory.peopleByRole) },
    outbox: {
      claim: guard(ports.outbox.claim),
      markSent: guard(ports.outbox.markSent),
      // SMTP, not the database: it accepts; then the database dies before the mark.
      async deliver(message: Parameters<InMemoryPorts['outbox']['deliver']>[0]) {
        await ports.outbox.deliver(message);
        if (message.idempotencyKey === db.downAfterDelivering) db.down = true;
      },
    },
  };
  return { db, deps };
}

/** The failed attempts are expected: no warning per attempt in the test output. */
const quiet = { logger: new DefaultLogger('ERROR') };

const breachToEveryone = () =>
  input({ notificationKey: 'breach', kind: 'breach', levels: ['owner', 'manager', 'governance_lead', 'top_management'] });

test('the database dies after SMTP accepted an email: the retry marks it sent and never sends it again', async () => {
  const ports = createInMemoryPorts({ people });
  const { db, deps } = withDatabase(ports);
  // What Temporal keeps across attempts, here one ledger for both calls.
  const sent = new Set<string>();
  const ledger: SentLedger = { has: (k) => sent.has(k), add: (k) => void sent.add(k) };
  const { notify } = createActivities({ ...deps, sentLedger: () => ledger });
  db.downAfterDelivering = 'task-1/breach/max@x.test';
  await expect(notify(breachToEveryone())).rejects.toThrow('connection refused');
  expect(ports.delivered.map((m) => m.to)).toEqual(['olivia@x.test', 'max@x.test']);
  expect(ports.outboxRows.get('task-1/breach/max@x.test')).toMatchObject({ status: 'pending', attempts: 1 });

  db.down = false;
  const r = await notify(breachToEveryone());
  expect(r.recipients).toHaveLength(5);
  expect(ports.delivered.map((m) => m.to)).toEqual(['olivia@x.test', 'max@x.test', 'grace@x.test', 'gus@x.test', 'tess@x.test']);
  for (const row of ports.outboxRows.values()) expect(row).toMatchObject({ status: 'sent', attempts: 1 });
});

test('over Temporal the ledger is the heartbeat details: digests only, carried by every attempt, read by the retry', async () => {
  const ports = createInMemoryPorts({ people });
  const { db, deps } = withDatabase(ports);
  const { notify } = createActivities(deps);
  /** One attempt of the notify activity, with the details the server kept; its last heartbeat. */
  const attempt = async (attemptNo: number, heartbeatDetails: unknown) => {
    const env = new MockActivityEnvironment({ attempt: attemptNo, heartbeatDetails }, quiet);
    let last: unknown = heartbeatDetails;
    env.on('heartbeat', (d: unknown) => (last = d));
    const result = await env.run(notify, breachToEveryone()).catch((err: Error) => err);
    return { result, details: last as SentLedgerDetails | undefined };
  };

  db.downAfterDelivering = 'task-1/breach/max@x.test';
  const first = await attempt(1, undefined);
  expect(first.result).toBeInstanceOf(Error);
  const sentDigests = ['task-1/breach/olivia@x.test', 'task-1/breach/max@x.test'].map(sentDigest);
  expect(first.details).toEqual({ sent: sentDigests });
  // Stored unencrypted by Temporal: no address, no task id.
  expect(JSON.stringify(first.details)).not.toMatch(/@|task-1|breach/);

  // Still down: the attempt fails before sending anything, and reports the earlier sends again.
  const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: first.details }, quiet);
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  await expect(env.run(notify, breachToEveryone())).rejects.toThrow('connection refused');
  expect(beats).toEqual([{ sent: sentDigests }]);

  db.down = false;
  const third = await attempt(3, beats.at(-1));
  expect(third.result).toMatchObject({ recipients: expect.any(Array) as unknown });
  expect(ports.delivered.map((m) => m.to)).toEqual(['olivia@x.test', 'max@x.test', 'grace@x.test', 'gus@x.test', 'tess@x.test']);
  for (const row of ports.outboxRows.values()) expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  expect(third.details?.sent).toHaveLength(5);
});
