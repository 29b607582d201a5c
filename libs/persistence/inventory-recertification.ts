/**
 * Inventory recertification's one writer (its rounds and per-system rows, each write with its
 * audit event in the same transaction) and its reads: a system's state by libs/domain
 * `recertificationState`, as SQL built from the same names.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { RecertificationOwner, RecordRecertificationRoundInput, RecordRecertificationsInput } from '../contracts';
import { RecertificationState } from '../domain';
import { appendToStream, appendToStreams, AUDIT_STREAMS, streamEvent } from './audit-streams';
import { SYSTEMS_SQL } from './read-models';

type Db = Pick<EntityManager, 'query'>;

const STATE: Record<RecertificationState, string> = { current: `'current'`, due: `'due'`, stale: `'stale'` };

export const RECERTIFICATION_SQL = {
  /**
   * libs/domain `recertificationState` over a system's latest row `i` (NULL when it was in no
   * round) and its owner's task `t` (the read model: a due time moved by extendDue counts).
   */
  state: (i = 'i', t = 't'): string =>
    `CASE WHEN ${i}.system_id IS NULL OR ${i}.confirmed_at IS NOT NULL THEN ${STATE.current}
          WHEN now() < coalesce(${t}.due_at, ${i}.due_at) THEN ${STATE.due}
          ELSE ${STATE.stale} END`,
  /** The latest row of system `s` and its task, as `i` and `t` (LEFT JOIN LATERAL ... ON true). */
  latest: (s = 's'): string =>
    `LEFT JOIN LATERAL (SELECT * FROM inventory_recertification_items x WHERE x.system_id = ${s}.id
                         ORDER BY x.opened_at DESC LIMIT 1) i ON true
     LEFT JOIN tasks t ON t.id = i.task_id`,
};

/** Active owners of systems in scope, each with those systems (what a round recertifies). */
export async function recertificationOwners(db: Db): Promise<RecertificationOwner[]> {
  const rows: Array<{ owner_id: string; owner_name: string; id: string; name: string }> = await db.query(
    `SELECT p.id AS owner_id, p.name AS owner_name, s.id, s.name
       FROM ai_systems s JOIN people p ON p.id = s.owner_id AND p.active
      WHERE ${SYSTEMS_SQL.inCadenceScope('s')}
      ORDER BY p.id, s.name, s.id`,
  );
  const byOwner = new Map<string, RecertificationOwner>();
  for (const r of rows) {
    let o = byOwner.get(r.owner_id);
    if (!o) byOwner.set(r.owner_id, (o = { ownerId: r.owner_id, name: r.owner_name, systems: [] }));
    o.systems.push({ systemId: r.id, name: r.name });
  }
  return [...byOwner.values()];
}

/** A round and its rows, once: a retry (or a second start) writes nothing again. */
export async function recordRecertificationRound(db: DataSource, input: RecordRecertificationRoundInput): Promise<void> {
  const items = input.owners.flatMap((o) => o.systems.map((s) => ({ systemId: s.systemId, ownerId: o.ownerId, taskId: o.taskId })));
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO inventory_recertification_rounds (period, round_id, opened_at, due_at, owners, systems)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (period) DO NOTHING`,
      [input.period, input.roundId, input.openedAt, input.dueAt, input.owners.length, items.length],
    );
    if (items.length) {
      await tx.query(
        `INSERT INTO inventory_recertification_items (period, system_id, owner_id, task_id, opened_at, due_at)
         SELECT $1, unnest($2::uuid[]), unnest($3::uuid[]), unnest($4::text[]), $5, $6
         ON CONFLICT (period, system_id) DO NOTHING`,
        [input.period, items.map((i) => i.systemId), items.map((i) => i.ownerId), items.map((i) => i.taskId), input.openedAt, input.dueAt],
      );
    }
    await appendToStream(tx, AUDIT_STREAMS.recertificationRound(input.period), {
      event: 'recertification.opened',
      actorId: null,
      occurredAt: new Date(input.openedAt),
      onceFor: input.period,
      detail: { roundId: input.roundId, dueAt: input.dueAt, owners: input.owners.length, systems: items.length },
    });
  });
}

/** Each system's confirmation and its `system.recertified` event; a system confirmed before keeps its first confirmation. */
export async function recordRecertifications(db: DataSource, input: RecordRecertificationsInput): Promise<void> {
  await db.transaction(async (tx) => {
    for (const s of input.systems) {
      await tx.query(
        `UPDATE inventory_recertification_items SET confirmed_at = $3, confirmed_by = $4, note = $5
          WHERE period = $1 AND system_id = $2 AND confirmed_at IS NULL`,
        [input.period, s.systemId, input.at, input.by, s.note ?? null],
      );
    }
    // One stream per system: their heads are locked together, in one order, after the rows.
    await appendToStreams(
      tx,
      input.systems.map((s) =>
        streamEvent(AUDIT_STREAMS.system(s.systemId), {
          event: 'system.recertified',
          actorId: input.by,
          occurredAt: new Date(input.at),
          onceFor: `${input.period}:${s.systemId}`,
          detail: { period: input.period, ownerId: input.ownerId, ...(s.note ? { note: s.note } : {}) },
        }),
      ),
    );
  });
}

export interface SystemRecertification {
  state: RecertificationState;
  /** The latest round the system was in, its owner's task and its due time (null: in none yet). */
  period: string | null;
  taskId: string | null;
  dueAt: string | null;
  lastConfirmedAt: string | null;
  lastConfirmedBy: string | null;
}

/** One system's recertification, by the one rule. */
export async function systemRecertification(db: Db, systemId: string): Promise<SystemRecertification> {
  const [r]: Array<Record<string, any>> = await db.query(
    `SELECT ${RECERTIFICATION_SQL.state()} AS state, i.period, i.task_id, coalesce(t.due_at, i.due_at) AS due_at,
            (SELECT max(c.confirmed_at) FROM inventory_recertification_items c WHERE c.system_id = s.id) AS last_confirmed_at,
            (SELECT c.confirmed_by FROM inventory_recertification_items c WHERE c.system_id = s.id AND c.confirmed_at IS NOT NULL
              ORDER BY c.confirmed_at DESC LIMIT 1) AS last_confirmed_by
       FROM ai_systems s ${RECERTIFICATION_SQL.latest('s')}
      WHERE s.id = $1`,
    [systemId],
  );
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    state: (r?.state ?? 'current') as RecertificationState,
    period: r?.period ?? null,
    taskId: r?.task_id ?? null,
    dueAt: iso(r?.due_at),
    lastConfirmedAt: iso(r?.last_confirmed_at),
    lastConfirmedBy: r?.last_confirmed_by ?? null,
  };
}

export interface RecertificationSummary {
  systemsInScope: number;
  current: number;
  due: number;
  stale: number;
  /** The stale systems' ids (in scope only: a retired system owes no recertification). */
  staleSystemIds: string[];
}

/** Counts of the inventory in scope by recertification state, and the stale ones. */
export async function recertificationSummary(db: Db): Promise<RecertificationSummary> {
  const rows: Array<{ id: string; state: RecertificationState }> = await db.query(
    `SELECT s.id, ${RECERTIFICATION_SQL.state()} AS state
       FROM ai_systems s ${RECERTIFICATION_SQL.latest('s')}
      WHERE ${SYSTEMS_SQL.inCadenceScope('s')}
      ORDER BY s.id`,
  );
  const count = (st: RecertificationState) => rows.filter((r) => r.state === st).length;
  return {
    systemsInScope: rows.length,
    current: count('current'),
    due: count('due'),
    stale: count('stale'),
    staleSystemIds: rows.filter((r) => r.state === 'stale').map((r) => r.id),
  };
}

export interface RecertificationRoundRecord {
  period: string;
  roundId: string;
  openedAt: string;
  dueAt: string;
  owners: Array<{
    ownerId: string;
    name: string;
    taskId: string;
    taskState: string | null;
    dueAt: string;
    confirmed: Array<{ systemId: string; name: string; confirmedAt: string; confirmedBy: string; note: string | null }>;
    notConfirmed: Array<{ systemId: string; name: string; state: RecertificationState }>;
  }>;
}

/** A round per owner: the task, the systems confirmed and those not (with their state by the rule). */
export async function recertificationRound(db: Db, period: string): Promise<RecertificationRoundRecord | undefined> {
  const [round]: Array<Record<string, any>> = await db.query(
    `SELECT period, round_id, opened_at, due_at FROM inventory_recertification_rounds WHERE period = $1`,
    [period],
  );
  if (!round) return undefined;
  const rows: Array<Record<string, any>> = await db.query(
    `SELECT i.owner_id, p.name AS owner_name, i.task_id, t.state AS task_state, coalesce(t.due_at, i.due_at) AS due_at,
            i.system_id, s.name, i.confirmed_at, i.confirmed_by, i.note, ${RECERTIFICATION_SQL.state()} AS state
       FROM inventory_recertification_items i
       JOIN ai_systems s ON s.id = i.system_id
       JOIN people p ON p.id = i.owner_id
       LEFT JOIN tasks t ON t.id = i.task_id
      WHERE i.period = $1
      ORDER BY p.name, i.owner_id, s.name, i.system_id`,
    [period],
  );
  const owners = new Map<string, RecertificationRoundRecord['owners'][number]>();
  for (const r of rows) {
    let o = owners.get(r.owner_id);
    if (!o) {
      o = {
        ownerId: r.owner_id,
        name: r.owner_name,
        taskId: r.task_id,
        taskState: r.task_state ?? null,
        dueAt: new Date(r.due_at).toISOString(),
        confirmed: [],
        notConfirmed: [],
      };
      owners.set(r.owner_id, o);
    }
    if (r.confirmed_at) {
      o.confirmed.push({
        systemId: r.system_id,
        name: r.name,
        confirmedAt: new Date(r.confirmed_at).toISOString(),
        confirmedBy: r.confirmed_by,
        note: r.note ?? null,
      });
    } else {
      o.notConfirmed.push({ systemId: r.system_id, name: r.name, state: r.state });
    }
  }
  return {
    period: round.period,
    roundId: round.round_id,
    openedAt: new Date(round.opened_at).toISOString(),
    dueAt: new Date(round.due_at).toISOString(),
    owners: [...owners.values()],
  };
}
