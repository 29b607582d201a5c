/**
 * How audit appends scale with concurrent writers.
 *
 * On an embedded PostgreSQL with fsync on (as `npm start` runs it), migrated as the API
 * migrates it: 1 writer, then N concurrent writers (default 8), each on its own connection
 * and its own streams, each append its own transaction through the real appendToStream path,
 * for a fixed time. The same two figures with the previous algorithm (one advisory lock for
 * the whole trail, each row chained to the globally previous one), reproduced below on a
 * table of the previous schema, are the baseline, printed as progress. The trail the new
 * appends wrote is verified at the end.
 *
 * The speedup is N writers' appends/s over 1 writer's, per-stream chains: with one global
 * lock held to commit, writers queue behind each other's commit (and its fsync); with a
 * head per stream they commit together (PostgreSQL flushes concurrent commits at once).
 *
 *   ts-node --transpile-only bench/audit.bench.ts [--seconds=10] [--writers=8]
 */
import { mkdtempSync, rmSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { runMigrations } from '../apps/migrate/main';
import { appendToStream, AUDIT_STREAMS, auditHash, createDataSource, GENESIS_HASH, verifyAuditChain } from '../libs/persistence';
import { getFreePort, startPostgres } from '../tools/stack';
import { machineCpuTicks, printFigure } from './stack';
import { runBench } from './support';

function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const SECONDS = flag('seconds', 10);
const WRITERS = Math.round(flag('writers', 8));
const STREAMS_PER_WRITER = 4;
const progress = (m: string) => process.stderr.write(`[audit bench] ${m}\n`);

/** One append in its own transaction. */
type Append = (db: DataSource, writer: number, i: number) => Promise<void>;

/** The new path: appendToStream, locking only the writer's stream's head. */
const perStream =
  (run: string): Append =>
  (db, writer, i) =>
    db.transaction(async (tx) => {
      await appendToStream(tx, AUDIT_STREAMS.system(`bench-${run}-w${writer}-s${i % STREAMS_PER_WRITER}`), {
        event: 'bench.appended',
        actorId: null,
        detail: { writer, i },
      });
    });

/** The previous table, as the initial migration created it. */
const LEGACY_TABLE = `
  CREATE TABLE legacy_audit_events (
    seq bigserial PRIMARY KEY,
    stream_id text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    event text NOT NULL,
    actor_id text NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    detail jsonb NOT NULL DEFAULT '{}',
    prev_hash text NOT NULL,
    hash text NOT NULL UNIQUE
  );
  CREATE INDEX legacy_audit_events_stream_idx ON legacy_audit_events (stream_id, seq)`;

/** The previous appendAuditEvent, as it was: one advisory lock for every append, chained to the globally last row. */
async function legacyAppend(
  tx: EntityManager,
  e: { streamId: string; idempotencyKey: string; event: string; detail: object },
): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock($1)`, [42001]);
  const exists = await tx.query(`SELECT 1 FROM legacy_audit_events WHERE idempotency_key = $1`, [e.idempotencyKey]);
  if (exists.length) return;
  const last = await tx.query(`SELECT hash FROM legacy_audit_events ORDER BY seq DESC LIMIT 1`);
  const prevHash: string = last[0]?.hash ?? GENESIS_HASH;
  const occurredAt = new Date();
  const hash = auditHash(prevHash, { ...e, actorId: null, occurredAt, detail: e.detail as Record<string, unknown> });
  await tx.query(
    `INSERT INTO legacy_audit_events (stream_id, idempotency_key, event, actor_id, occurred_at, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.streamId, e.idempotencyKey, e.event, null, occurredAt, JSON.stringify(e.detail), prevHash, hash],
  );
}

const globalLock =
  (run: string): Append =>
  (db, writer, i) =>
    db.transaction((tx) =>
      legacyAppend(tx, {
        streamId: `system:bench-${run}-w${writer}-s${i % STREAMS_PER_WRITER}`,
        idempotencyKey: `bench.appended:${run}:${writer}:${i}`,
        event: 'bench.appended',
        detail: { writer, i },
      }),
    );

/** Appends/s of `writers` concurrent writers, each on its own connection, for SECONDS. */
async function measure(url: string, label: string, writers: number, append: Append): Promise<number> {
  const conns = await Promise.all(
    Array.from({ length: writers }, async () => {
      const db = createDataSource(url, { poolSize: 1 });
      await db.initialize();
      return db;
    }),
  );
  try {
    // Warm each connection (plans, the first head) before the clock starts.
    await Promise.all(conns.map((db, w) => append(db, w, -1)));
    let total = 0;
    const cpu0 = machineCpuTicks();
    const t0 = performance.now();
    const deadline = t0 + SECONDS * 1000;
    await Promise.all(
      conns.map(async (db, w) => {
        for (let i = 0; performance.now() < deadline; i++) {
          await append(db, w, i);
          total++;
        }
      }),
    );
    const rate = total / ((performance.now() - t0) / 1000);
    const cpu1 = machineCpuTicks();
    // Whether the writers wait (on commits) or the machine's cores are all busy (this process, PostgreSQL's backends, its WAL writer).
    const busy =
      cpu0 && cpu1 ? `, CPU ${(((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * 100).toFixed(0)}% of ${cpus().length} cores` : '';
    progress(`${label}, ${writers} writer(s): ${total} appends in ${SECONDS} s = ${rate.toFixed(0)}/s${busy}`);
    return rate;
  } finally {
    await Promise.all(conns.map((db) => db.destroy()));
  }
}

runBench(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aims-audit-bench-'));
  // fsync on: a commit waits for its WAL flush, as in production.
  const pg = await startPostgres({ dir: join(dir, 'postgres'), port: await getFreePort(), fast: false, log: progress });
  const db = createDataSource(pg.url, { poolSize: 2 });
  try {
    await runMigrations(pg.url, () => undefined);
    await db.initialize();
    await db.query(LEGACY_TABLE);
    progress(`${SECONDS} s per run, ${WRITERS} concurrent writers, ${STREAMS_PER_WRITER} streams each`);

    const old1 = await measure(pg.url, 'baseline: one global lock', 1, globalLock('old1'));
    const oldN = await measure(pg.url, 'baseline: one global lock', WRITERS, globalLock('oldN'));
    progress(`baseline: one global lock, ${WRITERS}-writer speedup ${(oldN / old1).toFixed(2)}x`);
    const new1 = await measure(pg.url, 'per-stream chains', 1, perStream('new1'));
    const newN = await measure(pg.url, 'per-stream chains', WRITERS, perStream('newN'));
    progress(`per-stream chains, ${WRITERS} writers over the global lock's ${WRITERS}: ${(newN / oldN).toFixed(2)}x`);

    const t0 = performance.now();
    const report = await verifyAuditChain(db);
    if (report.firstBroken) throw new Error(`the trail does not verify: ${JSON.stringify(report.firstBroken)}`);
    progress(`verified ${report.rows} rows in ${report.streams} streams in ${(performance.now() - t0).toFixed(0)} ms`);
    // Verification's page of stream rows reads the (stream_id, stream_seq) index in order, never sorting the table.
    const plan: Array<{ 'QUERY PLAN': string }> = await db.query(
      `EXPLAIN SELECT seq FROM audit_events WHERE chain = 'stream' AND (stream_id COLLATE "C", stream_seq) > ($1::text COLLATE "C", $2::bigint)
        ORDER BY stream_id COLLATE "C", stream_seq LIMIT 5000`,
      ['system:bench', 1],
    );
    progress(`verification page plan: ${plan.map((l) => l['QUERY PLAN'].trim()).join(' / ')}`);

    printFigure('audit', 'appends/s 1 writer', new1.toFixed(0), 'baseline');
    printFigure('audit', `appends/s ${WRITERS} writers`, newN.toFixed(0), 'baseline');
    printFigure('audit', `${WRITERS}-writer speedup`, `${(newN / new1).toFixed(2)}x`, '>= 3x');
  } finally {
    if (db.isInitialized) await db.destroy();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
