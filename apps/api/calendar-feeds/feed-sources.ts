/**
 * What a person's feed is made of, read from the read models in a few bounded queries: the
 * open work they own, the work whose running ladder may reach them, the open incidents they
 * may handle, and a snapshot of the people the escalation chain may name (so resolving every
 * step's recipients costs no query). Which of it concerns them is feed-events.ts's to decide.
 */
import type { DataSource } from 'typeorm';
import type { IncidentStatus, Role, TaskStatus } from '../../../libs/contracts';
import type { TaskState } from '../../../libs/domain';
import { TASKS_SQL } from '../../../libs/persistence';
import { CHAIN_ROLES } from '../../../activities/escalation-chain';
import type { PeopleDirectory, Person } from '../../../activities/ports';
import { FeedIncident, FeedPerson, FeedSources, FeedTask, INCIDENT_HANDLER_ROLES } from './feed-events';

type Db = Pick<DataSource, 'query'>;

/** Bounds of one feed: the earliest due first, so what is cut is the furthest off. */
export const MAX_FEED_TASKS = 1000;
export const MAX_FEED_INCIDENTS = 200;

/** The ladder runs only while the work is open; `next_step_at` is set while a step is pending. */
const LADDER_STATE: TaskState = 'open';

interface TaskRow {
  id: string;
  state: TaskState;
  due_at: Date;
  updated_at: Date;
  status: TaskStatus;
}

const TASK_COLUMNS = 'id, state, due_at, updated_at, status';

/** The row's snapshot, with the row's own id, state and due time (as GET /tasks shows them). */
function toFeedTask(r: TaskRow): FeedTask {
  return {
    status: { ...r.status, taskId: r.id, state: r.state, dueAt: new Date(r.due_at).toISOString() },
    updatedAt: new Date(r.updated_at),
  };
}

async function candidateTasks(db: Db, person: FeedPerson): Promise<FeedTask[]> {
  const own: TaskRow[] = await db.query(
    `SELECT ${TASK_COLUMNS} FROM tasks WHERE owner_id = $1 AND ${TASKS_SQL.open()} ORDER BY due_at, id LIMIT $2`,
    [person.id, MAX_FEED_TASKS],
  );
  // Others' work reaches a person as their manager, or by role (and so any work at all).
  const byRole = CHAIN_ROLES.includes(person.role);
  const others: TaskRow[] = await db.query(
    `SELECT ${TASK_COLUMNS} FROM tasks
      WHERE state = $2 AND next_step_at IS NOT NULL AND owner_id <> $1
        ${byRole ? '' : 'AND owner_id IN (SELECT id FROM people WHERE manager_id = $1)'}
      ORDER BY due_at, id LIMIT $3`,
    [person.id, LADDER_STATE, MAX_FEED_TASKS],
  );
  return [...own, ...others].map(toFeedTask);
}

async function candidateIncidents(db: Db, person: FeedPerson): Promise<FeedIncident[]> {
  const all = INCIDENT_HANDLER_ROLES.includes(person.role);
  const rows: Array<{ status: IncidentStatus; updated_at: Date }> = await db.query(
    `SELECT status, updated_at FROM incidents
      WHERE state = 'open' ${all ? '' : "AND (responder_id = $2 OR status->>'openedBy' = $2::text)"}
      ORDER BY next_deadline_at NULLS LAST, id LIMIT $1`,
    all ? [MAX_FEED_INCIDENTS] : [MAX_FEED_INCIDENTS, person.id],
  );
  return rows.map((r) => ({ status: r.status, updatedAt: new Date(r.updated_at) }));
}

/**
 * The people the chain of these owners can name, answering as the worker's PostgreSQL
 * directory does (activities/postgres.ts): anyone by id, only active people by role.
 */
async function directorySnapshot(db: Db, personIds: string[]): Promise<PeopleDirectory> {
  const rows: Array<{ id: string; name: string; email: string; role: Role; manager_id: string | null; active: boolean }> = await db.query(
    `SELECT id, name, email, role, manager_id, active FROM people
      WHERE id = ANY($1::uuid[]) OR id IN (SELECT manager_id FROM people WHERE id = ANY($1::uuid[]))
         OR (active AND role = ANY($2::text[]))`,
    [personIds, [...CHAIN_ROLES]],
  );
  const byId = new Map<string, Person & { active: boolean }>(
    rows.map((r) => [r.id, { id: r.id, name: r.name, email: r.email, role: r.role, managerId: r.manager_id, active: r.active }]),
  );
  const strip = ({ active: _active, ...p }: Person & { active: boolean }): Person => p;
  return {
    person: async (id) => {
      const p = byId.get(id);
      return p ? strip(p) : null;
    },
    peopleByRole: async (role) =>
      [...byId.values()]
        .filter((p) => p.active && p.role === role)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(strip),
  };
}

export async function loadFeedSources(db: Db, person: FeedPerson, publicUrl: string): Promise<FeedSources> {
  const tasks = await candidateTasks(db, person);
  const incidents = await candidateIncidents(db, person);
  const ids = new Set([person.id, ...tasks.map((t) => t.status.ownerId), ...incidents.map((i) => i.status.responderId)]);
  return { person, publicUrl, tasks, incidents, directory: await directorySnapshot(db, [...ids]) };
}
