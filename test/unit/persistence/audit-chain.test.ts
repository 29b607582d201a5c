/**
 * verifyAuditChain walks the global chain (rows written before per-stream chains) by seq,
 * then every stream's chain by position, page by page (5,000 rows each), and checks each
 * stream's end against its head. An intact trail of several pages verifies with the digest of
 * its heads; an edited, deleted, inserted or reordered row is named, a cut-off tail by its
 * stream's last row, a removed stream by its head; wherever the page boundaries fall.
 * appendAuditEvents locks the heads of a multi-stream transaction in one order.
 */
import { createHash } from 'crypto';
import type { EntityManager } from 'typeorm';
import {
  appendAuditEvents,
  auditHash,
  auditHeadLine,
  compareStreamIds,
  GENESIS_HASH,
  streamAuditHash,
  verifyAuditChain,
} from '../../../libs/persistence';

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
  chain: 'global' | 'stream';
  stream_seq: string | null;
}
interface Head {
  stream_id: string;
  length: string;
  head_hash: string;
}
interface Trail {
  rows: Row[];
  heads: Head[];
  legacy?: { length: string; head_hash: string };
}

const STREAMS = ['system:a', 'person:b', 'task:c#1', 'system:A', 'policy:d', 'cadence:e', 'soa:A.8.3'];

function content(i: number, streamId: string) {
  return {
    streamId,
    idempotencyKey: `k${i}`,
    event: 'system.changed',
    actorId: i % 3 ? 'p1' : null,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    detail: { i, nested: { b: 2, a: 1 } },
  };
}

/** `legacy` rows of the global chain, then `n` rows over the streams (interleaved), seq with gaps (rolled-back appends use numbers too). */
function trail(n: number, legacy = 0): Trail {
  const rows: Row[] = [];
  let seq = 0;
  let prev = GENESIS_HASH;
  for (let i = 1; i <= legacy; i++) {
    const e = content(-i, STREAMS[i % STREAMS.length]);
    seq += 2;
    const hash = auditHash(prev, e);
    rows.push(row(String(seq), e, prev, hash, 'global', null));
    prev = hash;
  }
  const legacyHead = legacy ? { length: String(legacy), head_hash: prev } : undefined;
  const ends = new Map<string, { length: number; hash: string }>();
  for (let i = 1; i <= n; i++) {
    const streamId = STREAMS[i % STREAMS.length];
    const e = content(i, streamId);
    const end = ends.get(streamId) ?? { length: 0, hash: GENESIS_HASH };
    seq += 1 + (i % 2);
    const streamSeq = end.length + 1;
    const hash = streamAuditHash(end.hash, { ...e, seq: String(seq), streamSeq });
    rows.push(row(String(seq), e, end.hash, hash, 'stream', String(streamSeq)));
    ends.set(streamId, { length: streamSeq, hash });
  }
  const heads = [...ends].map(([stream_id, h]) => ({ stream_id, length: String(h.length), head_hash: h.hash }));
  return { rows, heads, legacy: legacyHead };
}

function row(seq: string, e: ReturnType<typeof content>, prev: string, hash: string, chain: Row['chain'], streamSeq: string | null): Row {
  return {
    seq,
    stream_id: e.streamId,
    idempotency_key: e.idempotencyKey,
    event: e.event,
    actor_id: e.actorId,
    occurred_at: e.occurredAt,
    detail: e.detail,
    prev_hash: prev,
    hash,
    chain,
    stream_seq: streamSeq,
  };
}

const byStream = (a: { stream_id: string }, b: { stream_id: string }) => compareStreamIds(a.stream_id, b.stream_id);

/** The queries verifyAuditChain sends, answered from memory as PostgreSQL would (keyset pages, "C" order). */
function db(t: Trail): { query: <T>(sql: string, params?: unknown[]) => Promise<T>; pages: number } {
  const fake = {
    pages: 0,
    async query<T>(sql: string, params: unknown[] = []): Promise<T> {
      const limit = Number(params.at(-1));
      if (sql.includes('FROM audit_legacy_chain')) return (t.legacy ? [t.legacy] : []) as T;
      fake.pages++;
      if (sql.includes('FROM audit_stream_heads')) {
        const after = params.length > 1 ? String(params[0]) : undefined;
        const heads = [...t.heads].sort(byStream).filter((h) => after === undefined || compareStreamIds(h.stream_id, after) > 0);
        return heads.slice(0, limit) as T;
      }
      if (sql.includes(`chain = 'global'`)) {
        const after = params.length > 1 ? Number(params[0]) : 0;
        return t.rows
          .filter((r) => r.chain === 'global' && Number(r.seq) > after)
          .sort((a, b) => Number(a.seq) - Number(b.seq))
          .slice(0, limit) as T;
      }
      if (sql.includes(`chain = 'stream'`)) {
        const after = params.length > 1 ? { stream_id: String(params[0]), stream_seq: Number(params[1]) } : undefined;
        const order = (a: { stream_id: string; stream_seq: number }, b: { stream_id: string; stream_seq: number }) =>
          byStream(a, b) || a.stream_seq - b.stream_seq;
        return t.rows
          .filter((r) => r.chain === 'stream')
          .map((r) => ({ r, k: { stream_id: r.stream_id, stream_seq: Number(r.stream_seq) } }))
          .filter(({ k }) => after === undefined || order(k, after) > 0)
          .sort((a, b) => order(a.k, b.k))
          .slice(0, limit)
          .map(({ r }) => r) as T;
      }
      throw new Error(`unexpected query: ${sql}`);
    },
  };
  return fake;
}

/** The digest of the heads: the global chain's end, then the streams' in byte order. */
function digest(t: Trail, heads = t.heads): string {
  const lines = [
    ...(t.legacy ? [auditHeadLine({ length: Number(t.legacy.length), headHash: t.legacy.head_hash })] : []),
    ...[...heads].sort(byStream).map((h) => auditHeadLine({ streamId: h.stream_id, length: Number(h.length), headHash: h.head_hash })),
  ];
  return createHash('sha256').update(lines.join('')).digest('hex');
}

const streamRows = (t: Trail, streamId: string) => t.rows.filter((r) => r.stream_id === streamId && r.chain === 'stream');
const without = (t: Trail, gone: Row): Trail => ({ ...t, rows: t.rows.filter((r) => r !== gone) });

it('verifies an empty trail as intact at the digest of no heads', async () => {
  expect(await verifyAuditChain(db({ rows: [], heads: [] }))).toEqual({
    rows: 0,
    streams: 0,
    headHash: createHash('sha256').update('').digest('hex'),
  });
});

it('verifies streams longer than two pages, reporting every row, every stream and the digest of their heads', async () => {
  const t = trail(12_001);
  const fake = db(t);
  expect(await verifyAuditChain(fake)).toEqual({ rows: 12_001, streams: STREAMS.length, headHash: digest(t) });
  // The global rows (none), three pages of stream rows, one of heads.
  expect(fake.pages).toBe(5);
  // The digest is of the heads' lines, in stream id byte order ('system:A' before 'system:a').
  const lines = [...t.heads]
    .sort(byStream)
    .map((h) => auditHeadLine({ streamId: h.stream_id, length: Number(h.length), headHash: h.head_hash }));
  expect(lines[0]).toMatch(/^\{"chain":"stream","streamId":"cadence:e","length":\d+,"headHash":"[0-9a-f]{64}"\}\n$/);
  expect(lines.findIndex((l) => l.includes('"system:A"'))).toBeLessThan(lines.findIndex((l) => l.includes('"system:a"')));
});

it('names an edited row by its own hash, and counts the rows walked before it', async () => {
  const t = trail(12_001);
  const target = streamRows(t, 'system:a')[1_000];
  target.detail = { ...target.detail, i: -1 };
  const report = await verifyAuditChain(db(t));
  expect(report.firstBroken).toEqual({ seq: target.seq, streamId: 'system:a', reason: 'hash does not match the row content' });
  // Walked first: the streams before system:a in byte order, then system:a's first 1,000 rows.
  const before = t.rows.filter((r) => compareStreamIds(r.stream_id, 'system:a') < 0).length;
  const streamsBefore = STREAMS.filter((id) => compareStreamIds(id, 'system:a') < 0).length;
  expect(report).toMatchObject({ rows: before + 1_000, streams: streamsBefore });
  expect(streamsBefore).toBe(5);
});

it('names the row after a deleted middle row of its stream, also across a page boundary', async () => {
  const t = trail(12_001);
  for (const [streamId, gone] of [
    ['cadence:e', 1],
    ['person:b', 700],
    ['soa:A.8.3', 1_000],
  ] as const) {
    const rows = streamRows(t, streamId);
    const report = await verifyAuditChain(db(without(t, rows[gone])));
    expect(report.firstBroken).toEqual({
      seq: rows[gone + 1].seq,
      streamId,
      reason: `stream position ${gone + 2} where ${gone + 1} was expected: a row is missing or moved`,
    });
  }
});

it("names a stream's last row when its tail was deleted, and the stream when all its rows were", async () => {
  const t = trail(3_000);
  const rows = streamRows(t, 'policy:d');
  const tail = await verifyAuditChain(db(without(t, rows.at(-1)!)));
  expect(tail.firstBroken).toEqual({
    seq: rows.at(-2)!.seq,
    streamId: 'policy:d',
    reason: `the stream ends at position ${rows.length - 1}, its head records ${rows.length}`,
  });

  const whole = await verifyAuditChain(db({ ...t, rows: t.rows.filter((r) => r.stream_id !== 'policy:d') }));
  expect(whole.firstBroken).toEqual({
    seq: null,
    streamId: 'policy:d',
    reason: `the stream's head records ${rows.length} rows, the trail has none`,
  });
  // The last stream in byte order too (no rows after it to notice it by).
  const last = [...t.heads].sort(byStream).at(-1)!.stream_id;
  const lastGone = await verifyAuditChain(db({ ...t, rows: t.rows.filter((r) => r.stream_id !== last) }));
  expect(lastGone.firstBroken).toMatchObject({ seq: null, streamId: last });
});

it("names a stream's last row when its head was deleted, and accepts an empty head with no rows", async () => {
  const t = trail(300);
  const report = await verifyAuditChain(db({ ...t, heads: t.heads.filter((h) => h.stream_id !== 'task:c#1') }));
  expect(report.firstBroken).toEqual({
    seq: streamRows(t, 'task:c#1').at(-1)!.seq,
    streamId: 'task:c#1',
    reason: 'the stream has no head',
  });
  // A first append whose key turned out to be there already leaves a head of length 0: consistent.
  const empty = { ...t, heads: [...t.heads, { stream_id: 'person:zz', length: '0', head_hash: GENESIS_HASH }] };
  expect(await verifyAuditChain(db(empty))).toEqual({ rows: 300, streams: STREAMS.length + 1, headHash: digest(empty) });
});

it('names an inserted row: at a position already taken, or after the end its head records', async () => {
  const t = trail(300);
  const rows = streamRows(t, 'system:a');
  const forged = { ...rows[10], seq: '100001', idempotency_key: 'forged', event: 'forged' };
  forged.hash = streamAuditHash(forged.prev_hash, { ...content(0, 'system:a'), seq: forged.seq, streamSeq: 11 });
  const twice = await verifyAuditChain(db({ ...t, rows: [...t.rows, forged] }));
  expect(twice.firstBroken).toMatchObject({ streamId: 'system:a' });
  expect([rows[10].seq, forged.seq]).toContain(twice.firstBroken!.seq);

  // Appended past the end with a valid hash and link: the head was not moved.
  const end = rows.at(-1)!;
  const e = { ...content(99_999, 'system:a'), seq: '100002', streamSeq: rows.length + 1 };
  const appended = row(e.seq, e, end.hash, streamAuditHash(end.hash, e), 'stream', String(e.streamSeq));
  expect((await verifyAuditChain(db({ ...t, rows: [...t.rows, appended] }))).firstBroken).toEqual({
    seq: appended.seq,
    streamId: 'system:a',
    reason: `the stream ends at position ${rows.length + 1}, its head records ${rows.length}`,
  });
});

it('names reordered rows: two rows of a stream swapped, or two rows trading their seq', async () => {
  const t = trail(300);
  const rows = streamRows(t, 'person:b');
  [rows[5].stream_seq, rows[6].stream_seq] = [rows[6].stream_seq, rows[5].stream_seq];
  expect((await verifyAuditChain(db(t))).firstBroken).toEqual({
    seq: rows[6].seq,
    streamId: 'person:b',
    reason: 'prev_hash does not match the previous row of its stream',
  });

  const u = trail(300);
  const [a, b] = [streamRows(u, 'cadence:e')[3], streamRows(u, 'soa:A.8.3')[3]];
  [a.seq, b.seq] = [b.seq, a.seq];
  expect((await verifyAuditChain(db(u))).firstBroken).toEqual({
    seq: a.seq,
    streamId: 'cadence:e',
    reason: 'hash does not match the row content',
  });
});

it('names a row whose content and hash were both rewritten by the next row of its stream', async () => {
  const t = trail(100);
  const rows = streamRows(t, 'system:a');
  const forged = { ...rows[4], event: 'forged' };
  forged.hash = streamAuditHash(forged.prev_hash, {
    streamId: forged.stream_id,
    idempotencyKey: forged.idempotency_key,
    event: forged.event,
    actorId: forged.actor_id,
    occurredAt: forged.occurred_at,
    detail: forged.detail,
    seq: forged.seq,
    streamSeq: 5,
  });
  t.rows[t.rows.indexOf(rows[4])] = forged;
  expect((await verifyAuditChain(db(t))).firstBroken).toEqual({
    seq: rows[5].seq,
    streamId: 'system:a',
    reason: 'prev_hash does not match the previous row of its stream',
  });
});

describe('rows of the global chain written before per-stream chains', () => {
  it('verify as that chain, then the streams, the digest starting with its end', async () => {
    const t = trail(6_000, 5_500);
    const report = await verifyAuditChain(db(t));
    expect(report).toEqual({ rows: 11_500, streams: STREAMS.length, headHash: digest(t) });
    expect(auditHeadLine({ length: 5_500, headHash: t.legacy!.head_hash })).toBe(
      `{"chain":"global","length":5500,"headHash":"${t.legacy!.head_hash}"}\n`,
    );
  });

  it('name an edited or deleted global row, a cut-off global tail, and global rows with no recorded end', async () => {
    const edited = trail(100, 6_000);
    edited.rows[5_200].event = 'tampered';
    expect((await verifyAuditChain(db(edited))).firstBroken).toEqual({
      seq: edited.rows[5_200].seq,
      streamId: edited.rows[5_200].stream_id,
      reason: 'hash does not match the row content',
    });

    const t = trail(100, 6_000);
    expect((await verifyAuditChain(db(without(t, t.rows[5_000])))).firstBroken).toEqual({
      seq: t.rows[5_001].seq,
      streamId: t.rows[5_001].stream_id,
      reason: 'prev_hash does not match the previous row',
    });
    const cut = await verifyAuditChain(db(without(t, t.rows[5_999])));
    expect(cut).toMatchObject({
      rows: 5_999,
      firstBroken: { seq: t.rows[5_998].seq, streamId: null, reason: 'the global chain ends at row 5999, its recorded end is row 6000' },
    });
    expect((await verifyAuditChain(db({ ...t, legacy: undefined }))).firstBroken).toEqual({
      seq: t.rows[0].seq,
      streamId: t.rows[0].stream_id,
      reason: 'a row of the global chain, but no end of that chain is recorded',
    });
  });

  it('do not verify under the stream rule, nor stream rows under the global one', () => {
    const e = content(1, 'system:a');
    expect(streamAuditHash(GENESIS_HASH, { ...e, seq: '1', streamSeq: 1 })).not.toBe(auditHash(GENESIS_HASH, e));
  });
});

it("appendAuditEvents locks its streams' heads in byte order, one stream's events in their given order, and answers in the given order", async () => {
  const locked: string[] = [];
  const appended: string[] = [];
  const tx = {
    async query(sql: string, params: unknown[]) {
      if (sql.includes('INSERT INTO audit_stream_heads')) {
        // A key already there: the upsert selects nothing to write, and no head is locked.
        if (params[2] === 'seen') return [];
        locked.push(String(params[0]));
        return [{ length: '0', head_hash: GENESIS_HASH, seq: String(locked.length) }];
      }
      appended.push(String(params[2]));
      return [{ n: 1, heads: 1 }];
    },
  } as unknown as EntityManager;
  const at = new Date();
  const event = (streamId: string, idempotencyKey: string) => ({ streamId, idempotencyKey, event: 'x', occurredAt: at });
  const answer = await appendAuditEvents(tx, [
    event('system:b', 'b1'),
    event('nonconformity:z', 'z1'),
    event('system:b', 'seen'),
    event('system:a', 'a1'),
    event('system:b', 'b2'),
  ]);
  expect(answer).toEqual([true, true, false, true, true]);
  expect(locked).toEqual(['nonconformity:z', 'system:a', 'system:b', 'system:b']);
  expect(appended).toEqual(['z1', 'a1', 'b1', 'b2']);
  await expect(appendAuditEvents(tx, [event('system a', 'k')])).rejects.toThrow(/without whitespace/);
});
