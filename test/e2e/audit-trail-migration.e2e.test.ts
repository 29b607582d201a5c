/**
 * The move to per-stream chains on a trail that already has rows: PostgreSQL migrated up to
 * the migration before it, rows appended as the previous code appended them (one chain over
 * the whole trail), then the migration, then new appends through appendToStream. The old rows
 * keep their hashes and verify as the global chain they were written as, the new ones per
 * stream (also in a stream that has old rows); the digest starts with the global chain's end;
 * a cut-off tail of the old chain is still found.
 */
import { createHash } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DataSource } from 'typeorm';
import {
  appendToStream,
  AUDIT_STREAMS,
  auditHash,
  auditHeadLine,
  createDataSource,
  GENESIS_HASH,
  MIGRATIONS,
  verifyAuditChain,
} from '../../libs/persistence';
import { getFreePort, PostgresHandle, startPostgres } from '../../tools/stack';

const LEGACY_ROWS = 40;
/** The schema as it was just before per-stream chains (later migrations come after it in MIGRATIONS). */
const CHAIN_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'AuditStreamChains1764420000000');
let dir: string;
let pg: PostgresHandle;
let db: DataSource;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aims-audit-migration-'));
  pg = await startPostgres({ dir: join(dir, 'postgres'), port: await getFreePort(), fast: true });
  const before = new DataSource({ ...createDataSource(pg.url).options, migrations: MIGRATIONS.slice(0, CHAIN_MIGRATION) } as never);
  await before.initialize();
  await before.runMigrations();
  // As the previous appendAuditEvent wrote them: each row chained to the globally previous one.
  let prev = GENESIS_HASH;
  for (let i = 0; i < LEGACY_ROWS; i++) {
    const e = {
      streamId: `system:legacy-${i % 3}`,
      idempotencyKey: `legacy:${i}`,
      event: 'system.changed',
      actorId: null,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      detail: { i },
    };
    const hash = auditHash(prev, e);
    await before.query(
      `INSERT INTO audit_events (stream_id, idempotency_key, event, actor_id, occurred_at, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [e.streamId, e.idempotencyKey, e.event, null, e.occurredAt, JSON.stringify(e.detail), prev, hash],
    );
    prev = hash;
  }
  await before.destroy();
  db = createDataSource(pg.url, { poolSize: 2 });
  await db.initialize();
  await db.runMigrations();
}, 120_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('verifies the rows written before as the global chain and the new ones per stream, the digest starting with the global end', async () => {
  const [legacyEnd] = await db.query(`SELECT length::int AS length, head_hash FROM audit_legacy_chain`);
  const [last] = await db.query(`SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1`);
  expect(legacyEnd).toEqual({ length: LEGACY_ROWS, head_hash: last.hash });
  expect(await db.query(`SELECT DISTINCT chain FROM audit_events`)).toEqual([{ chain: 'global' }]);

  for (let i = 0; i < 5; i++) {
    await db.transaction(async (tx) => {
      // One stream that has rows of the global chain, one new.
      await appendToStream(tx, AUDIT_STREAMS.system('legacy-0'), { event: 'system.changed', actorId: null, detail: { i } });
      await appendToStream(tx, AUDIT_STREAMS.system('new'), { event: 'system.changed', actorId: null, detail: { i } });
    });
  }
  // A retry of an event written under the global chain is still a no-op.
  await db.transaction(async (tx) => {
    expect(await appendToStream(tx, AUDIT_STREAMS.system('legacy-1'), { event: 'system.noted', onceFor: 'x', actorId: null })).toBe(true);
    const legacyKey = { streamId: 'system:legacy-1', freshKey: () => 'legacy:1' };
    expect(await appendToStream(tx, legacyKey, { event: 'system.changed', actorId: null })).toBe(false);
  });

  const heads: Array<{ stream_id: string; length: string; head_hash: string }> = await db.query(
    `SELECT stream_id, length, head_hash FROM audit_stream_heads ORDER BY stream_id`,
  );
  expect(heads.map((h) => [h.stream_id, Number(h.length)])).toEqual([
    ['system:legacy-0', 5],
    ['system:legacy-1', 1],
    ['system:new', 5],
  ]);
  const lines = [
    auditHeadLine({ length: LEGACY_ROWS, headHash: last.hash }),
    ...heads.map((h) => auditHeadLine({ streamId: h.stream_id, length: Number(h.length), headHash: h.head_hash })),
  ];
  expect(await verifyAuditChain(db)).toEqual({
    rows: LEGACY_ROWS + 11,
    streams: 3,
    headHash: createHash('sha256').update(lines.join('')).digest('hex'),
  });
});

it('names the global chain cut short, and refuses to change its recorded end', async () => {
  await expect(db.query(`UPDATE audit_legacy_chain SET length = 1`)).rejects.toThrow(/only grows/);
  const [tail] = await db.query(`SELECT seq FROM audit_events WHERE chain = 'global' ORDER BY seq DESC LIMIT 1`);
  const [before] = await db.query(`SELECT seq FROM audit_events WHERE chain = 'global' AND seq < $1 ORDER BY seq DESC LIMIT 1`, [tail.seq]);
  await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`);
  try {
    await db.query(`DELETE FROM audit_events WHERE seq = $1`, [tail.seq]);
  } finally {
    await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change`);
  }
  expect(await verifyAuditChain(db)).toMatchObject({
    rows: LEGACY_ROWS - 1,
    streams: 0,
    firstBroken: {
      seq: String(before.seq),
      streamId: null,
      reason: `the global chain ends at row ${LEGACY_ROWS - 1}, its recorded end is row ${LEGACY_ROWS}`,
    },
  });
});
