/**
 * The append-only audit trail: one hash chain per stream, so writers on different streams
 * never wait for each other.
 *
 * A `stream` row's prev_hash is the hash of the previous row of its own stream (its
 * stream_seq - 1; GENESIS_HASH at position 1), and its hash covers its content, its seq, its
 * stream position and prev_hash. `audit_stream_heads` holds each stream's length and last hash,
 * written in the appending transaction: an append locks only its stream's head row, so
 * appends to one stream stay in order while different streams append in parallel. (Until
 * migration 1764420000000 every append took one advisory lock and chained to the globally
 * previous row: all recording was serialised behind it.) Those earlier rows are the `global`
 * chain, verified as they were written; their end is recorded in `audit_legacy_chain`.
 *
 * Verification walks the global chain by seq, then every stream by (stream_id, stream_seq),
 * and checks each stream's last row against its head: an edited, inserted, deleted or
 * reordered row breaks a hash, a link or a position; a deleted tail or a deleted stream no
 * longer reaches its head. The report's headHash is the SHA-256 of the head lines
 * (`auditHeadLine`, in stream id byte order): what an auditor keeps to compare later.
 */
import { createHash } from 'crypto';
import type { EntityManager } from 'typeorm';

export const GENESIS_HASH = '0'.repeat(64);

/** `global`: a row of the one chain written before per-stream chains; `stream`: a row of its stream's chain. */
export type AuditChain = 'global' | 'stream';

export interface AuditEventInput {
  /** What the event is about: a task's workflow id, `person:<id>`, `system:<id>`. No whitespace. */
  streamId: string;
  /** Unique per logical event, e.g. `<workflowId>#<version>`. */
  idempotencyKey: string;
  event: string;
  actorId?: string | null;
  occurredAt: Date;
  detail?: Record<string, unknown>;
}

/** JSON with sorted keys, so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function content(e: AuditEventInput): Record<string, unknown> {
  return {
    streamId: e.streamId,
    idempotencyKey: e.idempotencyKey,
    event: e.event,
    actorId: e.actorId ?? null,
    occurredAt: e.occurredAt.toISOString(),
    detail: e.detail ?? {},
  };
}

/** The `global` chain's rule (rows written before per-stream chains): content and the globally previous row's hash. */
export function auditHash(prevHash: string, e: AuditEventInput): string {
  return sha256(canonical({ prevHash, ...content(e) }));
}

/** A `stream` row's position: its seq (the table's order) and its place in its stream (1, 2, ...). */
export interface StreamPosition {
  seq: string;
  streamSeq: number;
}

/**
 * The `stream` chain's rule: content, seq, stream position and the previous row of the same
 * stream's hash. The object has members a `global` row's has not, so no row verifies under the
 * other rule; seq and streamSeq make a moved or renumbered row fail its own hash.
 */
export function streamAuditHash(prevHash: string, e: AuditEventInput & StreamPosition): string {
  return sha256(canonical({ prevHash, seq: e.seq, streamSeq: e.streamSeq, ...content(e) }));
}

/** A row as the trail lists it (and as the audit package writes it): its hash by the rule of its chain. */
export function auditRowHash(
  r: AuditEventInput & { chain: AuditChain; prevHash: string; seq: string; streamSeq?: number | string | null },
): string {
  return r.chain === 'global' ? auditHash(r.prevHash, r) : streamAuditHash(r.prevHash, { ...r, streamSeq: Number(r.streamSeq) });
}

/** A stream id is one token: it keys the head lines, which are compared byte by byte. */
function assertStreamId(streamId: string): void {
  if (!streamId || /\s/.test(streamId))
    throw new Error(`audit stream id must be non-empty without whitespace: ${JSON.stringify(streamId)}`);
}

/**
 * Appends within the caller's transaction (the manager must be transactional). Returns false
 * if the idempotency key is already there. A transaction appending to more than one stream
 * appends them all with one `appendAuditEvents`, which locks their heads in one order.
 */
export async function appendAuditEvent(tx: EntityManager, e: AuditEventInput): Promise<boolean> {
  assertStreamId(e.streamId);
  // Locks the stream's head (a new stream's is created at length 0), held until commit. The
  // upsert answers the latest committed head even after waiting for another writer. The row's
  // seq is drawn here, under the lock, so the hash can cover it and seq grows along a stream.
  // A retry whose row is committed (a row of the global chain too) selects nothing to upsert:
  // it answers no head, without waiting for one, in the same round trip.
  const [head]: Array<{ length: string; head_hash: string; seq: string } | undefined> = await tx.query(
    `INSERT INTO audit_stream_heads (stream_id, length, head_hash)
     SELECT $1, 0, $2 WHERE NOT EXISTS (SELECT 1 FROM audit_events WHERE idempotency_key = $3)
     ON CONFLICT (stream_id) DO UPDATE SET length = audit_stream_heads.length
     RETURNING length, head_hash, nextval('audit_events_seq_seq')::text AS seq`,
    [e.streamId, GENESIS_HASH, e.idempotencyKey],
  );
  if (!head) return false;
  const streamSeq = Number(head.length) + 1;
  const hash = streamAuditHash(head.head_hash, { ...e, seq: head.seq, streamSeq });
  // A twin append with the same key committed while this one waited for the head: nothing is
  // inserted (ON CONFLICT reads committed rows), the head stays, and the append is a no-op.
  const [written]: Array<{ n: number }> = await tx.query(
    `WITH e AS (
       INSERT INTO audit_events (seq, stream_id, idempotency_key, event, actor_id, occurred_at, detail, prev_hash, hash, chain, stream_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'stream', $10)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING seq),
     h AS (UPDATE audit_stream_heads SET length = $10, head_hash = $9 WHERE stream_id = $2 AND EXISTS (SELECT 1 FROM e) RETURNING 1)
     SELECT (SELECT count(*) FROM e)::int AS n, (SELECT count(*) FROM h)::int AS heads`,
    [
      head.seq,
      e.streamId,
      e.idempotencyKey,
      e.event,
      e.actorId ?? null,
      e.occurredAt,
      JSON.stringify(e.detail ?? {}),
      head.head_hash,
      hash,
      streamSeq,
    ],
  );
  return written.n === 1;
}

/** The byte order of UTF-8, as PostgreSQL's "C" collation sorts: every process locks heads in this one order. */
export function compareStreamIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Appends several events in one transaction, their streams' heads locked in stream id order
 * (events of one stream keep their given order), so two transactions appending to the same
 * streams never hold one head each while waiting for the other's. Answers, in the given order,
 * whether each was appended (false: its key was already there).
 */
export async function appendAuditEvents(tx: EntityManager, events: readonly AuditEventInput[]): Promise<boolean[]> {
  const order = events.map((_, i) => i).sort((a, b) => compareStreamIds(events[a].streamId, events[b].streamId) || a - b);
  const appended = new Array<boolean>(events.length);
  for (const i of order) appended[i] = await appendAuditEvent(tx, events[i]);
  return appended;
}

// ---------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------

/** A chain's recorded end: the global chain's (`streamId` undefined) or a stream's. */
export interface AuditHead {
  streamId?: string;
  length: number;
  headHash: string;
}

/**
 * One line of the heads digest (and of the audit package's audit-heads.jsonl): the global
 * chain's end first, if there are rows of it, then every stream's, by stream id in byte order.
 */
export function auditHeadLine(h: AuditHead): string {
  return h.streamId === undefined
    ? `${JSON.stringify({ chain: 'global', length: h.length, headHash: h.headHash })}\n`
    : `${JSON.stringify({ chain: 'stream', streamId: h.streamId, length: h.length, headHash: h.headHash })}\n`;
}

/** What a walk of the chains found: every row checked, the heads' digest, and the first row that breaks one. */
export interface AuditChainReport {
  /** Rows walked (all of them, or up to the first broken one): the global chain's by seq, then each stream's by position. */
  rows: number;
  /** Stream chains walked to their heads. */
  streams: number;
  /**
   * SHA-256 of the head lines verified (`auditHeadLine`; all of them when intact): one digest
   * over every chain's end. Keep it: a tail cut off, a stream removed or a row appended since
   * changes it. (The SHA-256 of no lines, e3b0...b855, for an empty trail.)
   */
  headHash: string;
  /** The first row that breaks a chain; seq is null when no row can be named (a stream whose rows are all gone). */
  firstBroken?: { seq: string | null; streamId: string | null; reason: string };
}

const VERIFY_BATCH = 5_000;

type Db = Pick<EntityManager, 'query'>;
type Row = Record<string, any>;

const ROW_COLUMNS = 'seq, stream_id, idempotency_key, event, actor_id, occurred_at, detail, prev_hash, hash, stream_seq';

/** Keyset pages of a query, a row at a time: `next` gives the parameters after the last row (undefined: the first page). */
async function* keyset(db: Db, sql: (first: boolean) => string, next: (last: Row | undefined) => unknown[]): AsyncIterable<Row> {
  let last: Row | undefined;
  for (;;) {
    const page: Row[] = await db.query(sql(last === undefined), [...next(last), VERIFY_BATCH]);
    for (const r of page) yield r;
    if (page.length < VERIFY_BATCH) return;
    last = page[page.length - 1];
  }
}

const rowInput = (r: Row): AuditEventInput => ({
  streamId: r.stream_id,
  idempotencyKey: r.idempotency_key,
  event: r.event,
  actorId: r.actor_id,
  occurredAt: new Date(r.occurred_at),
  detail: r.detail,
});

/** The stream heads in stream id byte order, in pages. */
function streamHeads(db: Db): AsyncIterable<Row> {
  return keyset(
    db,
    (first) =>
      `SELECT stream_id, length, head_hash FROM audit_stream_heads ${first ? '' : 'WHERE stream_id > $1'} ORDER BY stream_id LIMIT $${first ? 1 : 2}`,
    (last) => (last ? [last.stream_id] : []),
  );
}

/** The global chain's recorded end, if the trail had rows before per-stream chains. */
async function legacyHead(db: Db): Promise<AuditHead | undefined> {
  const [h]: Row[] = await db.query(`SELECT length, head_hash FROM audit_legacy_chain`);
  return h ? { length: Number(h.length), headHash: h.head_hash } : undefined;
}

/** Every head line, as the digest covers them: for the audit package's audit-heads.jsonl (read in the snapshot that was verified). */
export async function* auditHeadLines(db: Db): AsyncIterable<string> {
  const legacy = await legacyHead(db);
  if (legacy) yield auditHeadLine(legacy);
  for await (const h of streamHeads(db)) yield auditHeadLine({ streamId: h.stream_id, length: Number(h.length), headHash: h.head_hash });
}

/**
 * Recomputes every chain from its first row, in pages (never the whole table in memory): the
 * global chain by seq, then the streams in one ordered scan of (stream_id, stream_seq) merged
 * with the heads. An edited row breaks its own hash; a deleted, inserted or moved row breaks
 * the next row's position or prev_hash; a deleted tail, stream or head no longer matches.
 */
export async function verifyAuditChain(db: Db): Promise<AuditChainReport> {
  const digest = createHash('sha256');
  let rows = 0;
  let streams = 0;
  const broken = (seq: string | null, streamId: string | null, reason: string): AuditChainReport => ({
    rows,
    streams,
    headHash: digest.copy().digest('hex'),
    firstBroken: { seq, streamId, reason },
  });

  // The global chain: rows written before per-stream chains, each linked to the one before it by seq.
  const legacy = await legacyHead(db);
  let prev = GENESIS_HASH;
  let length = 0;
  let lastSeq: string | null = null;
  const globalRows = keyset(
    db,
    (first) =>
      `SELECT ${ROW_COLUMNS} FROM audit_events WHERE chain = 'global' ${first ? '' : 'AND seq > $1'} ORDER BY seq LIMIT $${first ? 1 : 2}`,
    (last) => (last ? [last.seq] : []),
  );
  for await (const r of globalRows) {
    const seq = String(r.seq);
    if (!legacy) return broken(seq, r.stream_id, 'a row of the global chain, but no end of that chain is recorded');
    if (r.prev_hash !== prev) return broken(seq, r.stream_id, 'prev_hash does not match the previous row');
    if (auditHash(prev, rowInput(r)) !== r.hash) return broken(seq, r.stream_id, 'hash does not match the row content');
    prev = r.hash;
    length++;
    rows++;
    lastSeq = seq;
  }
  if (legacy) {
    if (length !== legacy.length || prev !== legacy.headHash)
      return broken(lastSeq, null, `the global chain ends at row ${length}, its recorded end is row ${legacy.length}`);
    digest.update(auditHeadLine(legacy));
  }

  // The streams: rows by (stream_id, stream_seq), merged with the heads in the same order.
  const heads = streamHeads(db)[Symbol.asyncIterator]();
  let head: Row | undefined = (await heads.next()).value;
  const headLine = (h: Row) => auditHeadLine({ streamId: h.stream_id, length: Number(h.length), headHash: h.head_hash });
  /** Heads before `streamId` (all that are left if undefined) have no rows: only an empty one may. */
  const headsWithoutRows = async (streamId?: string): Promise<AuditChainReport | undefined> => {
    while (head && (streamId === undefined || compareStreamIds(head.stream_id, streamId) < 0)) {
      if (Number(head.length) > 0) return broken(null, head.stream_id, `the stream's head records ${head.length} rows, the trail has none`);
      digest.update(headLine(head));
      streams++;
      head = (await heads.next()).value;
    }
    return undefined;
  };
  interface Walked {
    id: string;
    length: number;
    prev: string;
    lastSeq: string;
  }
  let walked: Walked | undefined;
  /** The stream walked reaches its head. */
  const close = async (s: Walked): Promise<AuditChainReport | undefined> => {
    if (!head || head.stream_id !== s.id) return broken(s.lastSeq, s.id, 'the stream has no head');
    if (Number(head.length) !== s.length || head.head_hash !== s.prev)
      return broken(s.lastSeq, s.id, `the stream ends at position ${s.length}, its head records ${head.length}`);
    digest.update(headLine(head));
    streams++;
    head = (await heads.next()).value;
    return undefined;
  };
  const streamRows = keyset(
    db,
    (first) =>
      `SELECT ${ROW_COLUMNS} FROM audit_events WHERE chain = 'stream'
       ${first ? '' : 'AND (stream_id COLLATE "C", stream_seq) > ($1::text COLLATE "C", $2::bigint)'}
       ORDER BY stream_id COLLATE "C", stream_seq LIMIT $${first ? 1 : 3}`,
    (last) => (last ? [last.stream_id, last.stream_seq] : []),
  );
  for await (const r of streamRows) {
    const seq = String(r.seq);
    let stream = walked;
    if (!stream || stream.id !== r.stream_id) {
      const failed = (stream && (await close(stream))) || (await headsWithoutRows(r.stream_id));
      if (failed) return failed;
      stream = walked = { id: r.stream_id, length: 0, prev: GENESIS_HASH, lastSeq: seq };
    }
    const streamSeq = Number(r.stream_seq);
    if (streamSeq !== stream.length + 1)
      return broken(seq, stream.id, `stream position ${streamSeq} where ${stream.length + 1} was expected: a row is missing or moved`);
    if (r.prev_hash !== stream.prev) return broken(seq, stream.id, 'prev_hash does not match the previous row of its stream');
    if (streamAuditHash(stream.prev, { ...rowInput(r), seq, streamSeq }) !== r.hash)
      return broken(seq, stream.id, 'hash does not match the row content');
    stream.prev = r.hash;
    stream.length++;
    stream.lastSeq = seq;
    rows++;
  }
  const failed = (walked && (await close(walked))) || (await headsWithoutRows());
  return failed ?? { rows, streams, headHash: digest.digest('hex') };
}
