/**
 * verifyAuditChain walks the chain page by page (5,000 rows each): an intact chain of more
 * than two pages verifies with its head; an edited row is named by its own hash, a deleted
 * one by the next row's prev_hash, wherever the page boundaries fall.
 */
import { auditHash, GENESIS_HASH, verifyAuditChain } from '../../../libs/persistence';

interface Row {
  seq: string;
  stream_id: string;
  idempotency_key: string;
  event: string;
  actor_id: string | null;
  occurred_at: Date;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function chain(n: number): Row[] {
  const rows: Row[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = {
      streamId: `system:${i % 7}`,
      idempotencyKey: `k${i}`,
      event: 'system.changed',
      actorId: i % 3 ? 'p1' : null,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
      detail: { i, nested: { b: 2, a: 1 } },
    };
    const hash = auditHash(prev, e);
    rows.push({
      seq: String(i * 2), // seq has gaps (rolled-back appends use numbers too)
      stream_id: e.streamId,
      idempotency_key: e.idempotencyKey,
      event: e.event,
      actor_id: e.actorId,
      occurred_at: e.occurredAt,
      detail: e.detail,
      prev_hash: prev,
      hash,
    });
    prev = hash;
  }
  return rows;
}

/** The one query verifyAuditChain sends: rows after a seq, in seq order, a page at a time. */
function db(rows: Row[]): { query: <T>(sql: string, params?: unknown[]) => Promise<T>; pages: number } {
  const fake = {
    pages: 0,
    async query<T>(_sql: string, params: unknown[] = []): Promise<T> {
      const [after, limit] = params;
      fake.pages++;
      return rows.filter((r) => Number(r.seq) > Number(after)).slice(0, Number(limit)) as T;
    },
  };
  return fake;
}

it('verifies an empty trail as intact at the genesis hash', async () => {
  expect(await verifyAuditChain(db([]))).toEqual({ rows: 0, headHash: GENESIS_HASH });
});

it('verifies a chain longer than two pages, reporting every row and the head', async () => {
  const rows = chain(12_001);
  const fake = db(rows);
  expect(await verifyAuditChain(fake)).toEqual({ rows: 12_001, headHash: rows[12_000].hash });
  expect(fake.pages).toBe(3);
});

it('names an edited row by its own hash, and counts the rows before it', async () => {
  const rows = chain(12_001);
  rows[7_000] = { ...rows[7_000], detail: { ...rows[7_000].detail, i: -1 } };
  expect(await verifyAuditChain(db(rows))).toEqual({
    rows: 7_000,
    headHash: rows[6_999].hash,
    firstBroken: { seq: rows[7_000].seq, reason: 'hash does not match the row content' },
  });
});

it('names the row after a deleted one, also across a page boundary', async () => {
  for (const gone of [4_999, 5_000, 11_000]) {
    const rows = chain(12_001);
    rows.splice(gone, 1);
    expect(await verifyAuditChain(db(rows))).toEqual({
      rows: gone,
      headHash: rows[gone - 1].hash,
      firstBroken: { seq: rows[gone].seq, reason: 'prev_hash does not match the previous row' },
    });
  }
});

it('names a row whose content and hash were both rewritten by the next row', async () => {
  const rows = chain(100);
  const forged = { ...rows[40], event: 'forged' };
  forged.hash = auditHash(forged.prev_hash, {
    streamId: forged.stream_id,
    idempotencyKey: forged.idempotency_key,
    event: forged.event,
    actorId: forged.actor_id,
    occurredAt: forged.occurred_at,
    detail: forged.detail,
  });
  rows[40] = forged;
  expect((await verifyAuditChain(db(rows))).firstBroken).toEqual({
    seq: rows[41].seq,
    reason: 'prev_hash does not match the previous row',
  });
});
