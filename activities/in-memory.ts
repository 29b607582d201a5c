/**
 * In-memory fakes of the ports, for workflow tests: they keep every notification (with its
 * workflow time and recipients), every recorded transition, the read model and the outbox.
 */
import type { CycleSystem, NotifyInput, NotifyResult, RecordTransitionInput, Role, TaskStatus } from '../libs/contracts';
import type { ActivityDeps, OutboxMessage, Person } from './ports';

export interface RecordedNotification extends NotifyInput, NotifyResult {}

export interface InMemoryPorts extends ActivityDeps {
  people: Map<string, Person>;
  systemsById: Map<string, CycleSystem>;
  notifications: RecordedNotification[];
  transitions: RecordTransitionInput[];
  /** The read model: latest status per task (a lower version never overwrites a higher one). */
  tasks: Map<string, TaskStatus>;
  outboxRows: Map<string, { message: OutboxMessage; status: 'pending' | 'sent'; attempts: number }>;
  /** Every message handed to the "transport". */
  delivered: OutboxMessage[];
  addPerson(p: Person): void;
  addSystem(s: CycleSystem): void;
  notificationsFor(taskId: string): RecordedNotification[];
  transitionsFor(taskId: string): RecordTransitionInput[];
}

export function createInMemoryPorts(seed: { people?: Person[]; systems?: CycleSystem[] } = {}): InMemoryPorts {
  const people = new Map<string, Person>();
  const systemsById = new Map<string, CycleSystem>();
  const notifications: RecordedNotification[] = [];
  const transitions: RecordTransitionInput[] = [];
  const tasks = new Map<string, TaskStatus>();
  const outboxRows: InMemoryPorts['outboxRows'] = new Map();
  const delivered: OutboxMessage[] = [];
  const auditKeys = new Set<string>();
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

  const ports: InMemoryPorts = {
    people,
    systemsById,
    notifications,
    transitions,
    tasks,
    outboxRows,
    delivered,
    addPerson: (p) => void people.set(p.id, p),
    addSystem: (s) => void systemsById.set(s.id, s),
    notificationsFor: (taskId) => notifications.filter((n) => n.taskId === taskId),
    transitionsFor: (taskId) => transitions.filter((t) => t.taskId === taskId),
    directory: {
      async person(id) {
        return people.get(id) ?? null;
      },
      async peopleByRole(role: Role) {
        return [...people.values()].filter((p) => p.role === role);
      },
    },
    records: {
      async record(input) {
        const key = `${input.taskId}#${input.status.version}:${input.event}`;
        if (!auditKeys.has(key)) {
          auditKeys.add(key);
          transitions.push(clone(input));
        }
        const current = tasks.get(input.taskId);
        if (!current || current.version < input.status.version) tasks.set(input.taskId, clone(input.status));
      },
    },
    outbox: {
      async claim(message) {
        let row = outboxRows.get(message.idempotencyKey);
        if (!row) {
          row = { message: clone(message), status: 'pending', attempts: 0 };
          outboxRows.set(message.idempotencyKey, row);
        }
        if (row.status === 'sent') return { status: 'sent', attempts: row.attempts };
        row.attempts++;
        return { status: 'pending', attempts: row.attempts };
      },
      async deliver(message) {
        delivered.push(clone(message));
      },
      async markSent(key) {
        const row = outboxRows.get(key);
        if (row) row.status = 'sent';
      },
    },
    systems: {
      async find(systemId) {
        return systemsById.get(systemId) ?? null;
      },
    },
    onNotified(input, result) {
      notifications.push(clone({ ...input, ...result }));
    },
  };
  for (const p of seed.people ?? []) ports.addPerson(p);
  for (const s of seed.systems ?? []) ports.addSystem(s);
  return ports;
}
