/**
 * The audit trail over HTTP, against the real stack: auditors and governance leads read it
 * filtered by stream, subject, actor and time range, in seq order, each stream chained by
 * position; others get 403; bad filters are field-level 400s. Appends to different streams
 * do not wait for each other (a transaction holding one stream's head does not block another
 * stream's append), appends to one stream queue in order, and many concurrent writers with
 * the API's own writes leave a trail that verifies. `GET /audit-trail/verify` walks every
 * chain and names the row edited, and the row after the one deleted, directly in PostgreSQL
 * (behind the append-only trigger's back).
 */
import { createHash } from 'crypto';
import request from 'supertest';
import type { DataSource, EntityManager } from 'typeorm';
import {
  appendToStream,
  appendToStreams,
  appendTransition,
  AUDIT_STREAMS,
  auditHeadLines,
  createDataSource,
  streamEvent,
} from '../../libs/persistence';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, registerPerson, RegisteredPerson, systemBody } from './support/fixtures';

let stack: TestStack;
let db: DataSource;
const uniq = Date.now().toString(36);
let lead: RegisteredPerson;
let auditor: RegisteredPerson;
let owner: RegisteredPerson;
let systemId: string;
let registeredAt: string;

const api = () => request(stack.apiUrl);

function fieldsOf(res: request.Response): string[] {
  expect(res.status).toBe(400);
  return (res.body.errors as Array<{ field: string }>).map((e) => e.field);
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  db = createDataSource(stack.databaseUrl, { poolSize: 12 });
  await db.initialize();
  lead = await registerPerson(stack, 'Lena Lead', 'governance_lead', uniq);
  auditor = await registerPerson(stack, 'Aude Auditor', 'auditor', uniq);
  owner = await registerPerson(stack, 'Omar Owner', 'owner', uniq);
  registeredAt = new Date().toISOString();
  const res = await api()
    .post('/systems')
    .set(bearer(lead.token))
    .send(systemBody({ name: `Trail ${uniq}`, ownerId: owner.id, riskTier: 'limited', lifecycleStage: 'design_and_development' }));
  expect(res.status).toBe(201);
  systemId = res.body.id;
}, 300_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
  await stack?.stop();
}, 120_000);

describe('GET /audit-trail', () => {
  it("lists a subject's events in seq order, each stream's rows linked by position to the one before", async () => {
    const res = await api().get('/audit-trail').query({ subject: systemId }).set(bearer(auditor.token));
    expect(res.status).toBe(200);
    const items = res.body.items as Array<{
      seq: string;
      streamId: string;
      event: string;
      actorId: string;
      hash: string;
      prevHash: string;
    }>;
    expect(items.length).toBeGreaterThan(0);
    expect(res.body.total).toBe(items.length);
    expect(items[0]).toMatchObject({ streamId: `system:${systemId}`, actorId: lead.id });
    for (const e of items) expect(e.streamId).toContain(systemId);
    const seqs = items.map((e) => Number(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Each stream is chained by position: its row n + 1's prevHash is its row n's hash.
    const all = await api().get('/audit-trail').query({ limit: 200 }).set(bearer(auditor.token));
    const rows = all.body.items as Array<{
      seq: string;
      streamId: string;
      chain: string;
      streamSeq: number;
      hash: string;
      prevHash: string;
    }>;
    const ends = new Map<string, { streamSeq: number; hash: string }>();
    for (const r of rows) {
      expect(r.chain).toBe('stream');
      const end = ends.get(r.streamId) ?? { streamSeq: 0, hash: '0'.repeat(64) };
      expect({ streamSeq: r.streamSeq, prevHash: r.prevHash }).toEqual({ streamSeq: end.streamSeq + 1, prevHash: end.hash });
      ends.set(r.streamId, r);
    }
    expect(ends.size).toBeGreaterThan(1);
  });

  it('filters by stream, actor and time range, and pages', async () => {
    const byStream = await api()
      .get('/audit-trail')
      .query({ stream: `person:${owner.id}` })
      .set(bearer(lead.token));
    expect(byStream.status).toBe(200);
    expect(byStream.body.items.length).toBeGreaterThan(0);
    for (const e of byStream.body.items) expect(e.streamId).toBe(`person:${owner.id}`);

    const byActor = await api().get('/audit-trail').query({ actor: lead.id }).set(bearer(auditor.token));
    expect(byActor.body.items.map((e: { event: string }) => e.event)).toContain('system.registered');
    for (const e of byActor.body.items) expect(e.actorId).toBe(lead.id);

    const since = await api().get('/audit-trail').query({ from: registeredAt }).set(bearer(auditor.token));
    for (const e of since.body.items) expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(Date.parse(registeredAt));
    expect(since.body.items.some((e: { streamId: string }) => e.streamId === `system:${systemId}`)).toBe(true);
    const before = await api().get('/audit-trail').query({ to: registeredAt, subject: systemId }).set(bearer(auditor.token));
    expect(before.body).toMatchObject({ items: [], total: 0 });

    const page = await api().get('/audit-trail').query({ limit: 1, offset: 1 }).set(bearer(auditor.token));
    expect(page.body).toMatchObject({ limit: 1, offset: 1 });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(2);
  });

  it('refuses bad filters with field-level reasons, and readers other than auditors and governance leads', async () => {
    expect(fieldsOf(await api().get('/audit-trail').query({ subject: 'nope' }).set(bearer(auditor.token)))).toEqual(['subject']);
    expect(fieldsOf(await api().get('/audit-trail').query({ from: '2026-13-01' }).set(bearer(auditor.token)))).toEqual(['from']);
    // A query instant is RFC 3339, as its schema's `format: date-time` says: seconds required.
    expect(fieldsOf(await api().get('/audit-trail').query({ to: '2026-12-01T00:00Z' }).set(bearer(auditor.token)))).toEqual(['to']);
    expect(
      fieldsOf(
        await api().get('/audit-trail').query({ from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }).set(bearer(auditor.token)),
      ),
    ).toEqual(['to']);
    expect(fieldsOf(await api().get('/audit-trail').query({ stream: 'a b' }).set(bearer(auditor.token)))).toEqual(['stream']);
    expect(fieldsOf(await api().get('/audit-trail').query({ what: 1 }).set(bearer(auditor.token)))).toEqual(['what']);
    expect((await api().get('/audit-trail').set(bearer(owner.token))).status).toBe(403);
    expect((await api().get('/audit-trail/verify').set(bearer(owner.token))).status).toBe(403);
    expect((await api().get('/audit-trail')).status).toBe(401);
  });
});

/** A transaction of its own on a connection of its own, until `end`. */
async function openTransaction(): Promise<{ tx: EntityManager; pid: number; end: (commit: boolean) => Promise<void> }> {
  const runner = db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  const [{ pid }] = await runner.query(`SELECT pg_backend_pid() AS pid`);
  return {
    tx: runner.manager,
    pid,
    end: async (commit) => {
      if (commit) await runner.commitTransaction();
      else await runner.rollbackTransaction();
      await runner.release();
    },
  };
}

const append = (tx: EntityManager, streamId: string, detail: Record<string, unknown>) =>
  appendToStream(
    tx,
    { streamId, freshKey: (event) => `${event}:${streamId}:${JSON.stringify(detail)}` },
    { event: 'test.appended', actorId: null, detail },
  );

async function verify(token = auditor.token) {
  const res = await api().get('/audit-trail/verify').set(bearer(token));
  expect(res.status).toBe(200);
  return res.body;
}

/** The digest of the heads as the database holds them: what verify answers when the trail is intact. */
async function headsDigest(): Promise<string> {
  const hash = createHash('sha256');
  for await (const line of auditHeadLines(db)) hash.update(line);
  return hash.digest('hex');
}

describe('appends', () => {
  it("to different streams do not wait: a transaction holding one stream's head does not block another stream", async () => {
    const first = await openTransaction();
    const second = await openTransaction();
    try {
      expect(await append(first.tx, `lock-test:${uniq}:a`, { n: 1 })).toBe(true);
      // A wait for any lock (the old global advisory lock too) fails this append instead of hanging.
      await second.tx.query(`SET LOCAL lock_timeout = '5s'`);
      expect(await append(second.tx, `lock-test:${uniq}:b`, { n: 1 })).toBe(true);
      await second.end(true);
    } finally {
      await first.end(true);
    }
    expect((await verify()).intact).toBe(true);
  });

  it('to the same stream queue behind the open transaction, then chain after its row', async () => {
    const streamId = `lock-test:${uniq}:same`;
    const first = await openTransaction();
    const second = await openTransaction();
    expect(await append(first.tx, streamId, { n: 1 })).toBe(true);
    const queued = append(second.tx, streamId, { n: 2 });
    // The second append waits on the stream's head (a lock held by the first transaction).
    await eventually(async () => {
      const [a] = await db.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [second.pid]);
      const blockers: Array<{ b: number[] }> = await db.query(`SELECT pg_blocking_pids($1) AS b`, [second.pid]);
      return a?.wait_event_type === 'Lock' && blockers[0].b.includes(first.pid);
    }, 'the second append to wait for the first transaction');
    await first.end(true);
    expect(await queued).toBe(true);
    await second.end(true);
    const rows = await db.query(
      `SELECT seq, stream_seq::int AS position, prev_hash, hash, detail FROM audit_events WHERE stream_id = $1 ORDER BY stream_seq`,
      [streamId],
    );
    expect(rows.map((r: { position: number; detail: { n: number } }) => [r.position, r.detail.n])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(Number(rows[1].seq)).toBeGreaterThan(Number(rows[0].seq));
    const [head] = await db.query(`SELECT length::int AS length, head_hash FROM audit_stream_heads WHERE stream_id = $1`, [streamId]);
    expect(head).toEqual({ length: 2, head_hash: rows[1].hash });
  });

  it('from 8 concurrent writers (50 transactions each, across shared streams) and the API at once verify intact', async () => {
    const WRITERS = 8;
    const APPENDS = 50;
    const [{ before }] = await db.query(`SELECT count(*)::int AS before FROM audit_events`);
    const writer = async (w: number) => {
      for (let i = 0; i < APPENDS; i++) {
        // Its own stream; every fifth transaction also two streams all writers share, named in
        // opposite orders by odd and even writers (appendToStreams locks them in one order: no deadlock).
        await db.transaction(async (tx) => {
          const own = AUDIT_STREAMS.task(`load:${uniq}:writer-${w}`);
          await appendTransition(tx, own, { event: 'load', version: i, actorId: null, at: new Date().toISOString(), detail: { w, i } });
          if (i % 5 !== 0) return;
          const shared = [0, 1].map((k) =>
            streamEvent(AUDIT_STREAMS.task(`load:${uniq}:shared-${k}`), { event: 'load', actorId: null, detail: { w, i } }),
          );
          expect(await appendToStreams(tx, w % 2 ? shared.reverse() : shared)).toEqual([true, true]);
        });
      }
    };
    const apiWrites = async () => {
      for (let i = 0; i < 6; i++) {
        const res = await api()
          .post('/systems')
          .set(bearer(lead.token))
          .send(
            systemBody({ name: `Load ${uniq} ${i}`, ownerId: owner.id, riskTier: 'minimal', lifecycleStage: 'design_and_development' }),
          );
        expect(res.status).toBe(201);
      }
    };
    await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), apiWrites()]);
    const [{ after }] = await db.query(`SELECT count(*)::int AS after FROM audit_events`);
    expect(after - before).toBeGreaterThanOrEqual(WRITERS * APPENDS + WRITERS * 10 * 2 + 6);
    const report = await verify();
    expect(report).toMatchObject({ intact: true, rows: after, headHash: await headsDigest() });
    const shared = await db.query(`SELECT count(*)::int AS n, max(stream_seq)::int AS top FROM audit_events WHERE stream_id = $1`, [
      `load:${uniq}:shared-0`,
    ]);
    expect(shared[0]).toEqual({ n: WRITERS * 10, top: WRITERS * 10 });
    // A retried append is a no-op, also for a stream whose head now exists.
    await db.transaction(async (tx) => {
      const own = AUDIT_STREAMS.task(`load:${uniq}:writer-0`);
      expect(await appendTransition(tx, own, { event: 'load', version: 0, actorId: null, at: new Date().toISOString(), detail: {} })).toBe(
        false,
      );
    });
  }, 170_000);
});

/** Runs `sql` with the append-only trigger off, as someone with the database owner's rights could. */
async function behindTheTrigger(sql: string, params: unknown[]): Promise<void> {
  await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`);
  try {
    await db.query(sql, params);
  } finally {
    await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change`);
  }
}

describe('GET /audit-trail/verify', () => {
  it('reports an intact trail with the digest of its heads, then names the row edited directly in PostgreSQL', async () => {
    const intact = await verify();
    const [{ n, streams }] = await db.query(
      `SELECT (SELECT count(*)::int FROM audit_events) AS n, (SELECT count(*)::int FROM audit_stream_heads) AS streams`,
    );
    expect(intact).toMatchObject({ intact: true, rows: n, streams, headHash: await headsDigest() });
    expect(intact.firstBroken).toBeUndefined();

    // The append-only trigger refuses edits; someone with the database's owner rights can still
    // switch it off. The chain is what catches them.
    const [row] = await db.query(`SELECT seq, detail FROM audit_events WHERE stream_id = $1 ORDER BY seq LIMIT 1`, [`system:${systemId}`]);
    await expect(db.query(`UPDATE audit_events SET event = 'tampered' WHERE seq = $1`, [row.seq])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_stream_heads WHERE stream_id = $1`, [`system:${systemId}`])).rejects.toThrow(/only grows/);
    await behindTheTrigger(`UPDATE audit_events SET detail = detail || '{"riskTier":"minimal"}'::jsonb WHERE seq = $1`, [row.seq]);
    const broken = await verify(lead.token);
    expect(broken).toMatchObject({
      intact: false,
      firstBroken: { seq: String(row.seq), streamId: `system:${systemId}`, reason: 'hash does not match the row content' },
    });
    expect(broken.rows).toBeLessThan(n);
    // Put back as it was, the trail verifies again.
    await behindTheTrigger(`UPDATE audit_events SET detail = $2 WHERE seq = $1`, [row.seq, JSON.stringify(row.detail)]);
    expect((await verify()).intact).toBe(true);
  });

  it('names the row after one deleted from the middle of its stream, and the stream whose last row was deleted', async () => {
    const streamId = `load:${uniq}:shared-0`;
    const rows = await db.query(`SELECT * FROM audit_events WHERE stream_id = $1 ORDER BY stream_seq`, [streamId]);
    expect(rows.length).toBeGreaterThan(3);
    const restore = async (r: Record<string, unknown>) => {
      const columns = Object.keys(r);
      await db.query(
        `INSERT INTO audit_events (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => (c === 'detail' ? JSON.stringify(r[c]) : r[c])),
      );
    };

    await behindTheTrigger(`DELETE FROM audit_events WHERE seq = $1`, [rows[1].seq]);
    expect(await verify()).toMatchObject({
      intact: false,
      firstBroken: { seq: String(rows[2].seq), streamId, reason: 'stream position 3 where 2 was expected: a row is missing or moved' },
    });
    await restore(rows[1]);

    await behindTheTrigger(`DELETE FROM audit_events WHERE seq = $1`, [rows.at(-1).seq]);
    expect(await verify()).toMatchObject({
      intact: false,
      firstBroken: {
        seq: String(rows.at(-2).seq),
        streamId,
        reason: `the stream ends at position ${rows.length - 1}, its head records ${rows.length}`,
      },
    });
    await restore(rows.at(-1));
    expect((await verify()).intact).toBe(true);
  });
});
