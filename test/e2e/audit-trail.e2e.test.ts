/**
 * The audit trail over HTTP, against the real stack: auditors and governance leads read it
 * filtered by stream, subject, actor and time range, in chain order; others get 403; bad
 * filters are field-level 400s. `GET /audit-trail/verify` walks the chain and names the
 * first row edited directly in PostgreSQL (behind the append-only trigger's back).
 */
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, registerPerson, RegisteredPerson, systemBody } from './support/fixtures';

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
  db = createDataSource(stack.databaseUrl, { poolSize: 2 });
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
  it("lists a subject's events in chain order, each with its hash linked to the one before", async () => {
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
    // Rows are chained: row n+1's prevHash is row n's hash (for consecutive seq).
    const all = await api().get('/audit-trail').query({ limit: 200 }).set(bearer(auditor.token));
    const rows = all.body.items as Array<{ seq: string; hash: string; prevHash: string }>;
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
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

describe('GET /audit-trail/verify', () => {
  it('reports an intact chain with its head, then names the first row edited directly in PostgreSQL', async () => {
    const intact = await api().get('/audit-trail/verify').set(bearer(auditor.token));
    expect(intact.status).toBe(200);
    const [{ n, head }] = await db.query(
      `SELECT count(*)::int AS n, (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS head FROM audit_events`,
    );
    expect(intact.body).toMatchObject({ intact: true, rows: n, headHash: head });
    expect(intact.body.firstBroken).toBeUndefined();

    // The append-only trigger refuses edits; someone with the database's owner rights can still
    // switch it off. The chain is what catches them.
    const [row] = await db.query(`SELECT seq FROM audit_events WHERE stream_id = $1 ORDER BY seq LIMIT 1`, [`system:${systemId}`]);
    await expect(db.query(`UPDATE audit_events SET event = 'tampered' WHERE seq = $1`, [row.seq])).rejects.toThrow(/append-only/);
    await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`);
    try {
      await db.query(`UPDATE audit_events SET detail = detail || '{"riskTier":"minimal"}'::jsonb WHERE seq = $1`, [row.seq]);
    } finally {
      await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change`);
    }
    const broken = await api().get('/audit-trail/verify').set(bearer(lead.token));
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({
      intact: false,
      firstBroken: { seq: String(row.seq), reason: 'hash does not match the row content' },
    });
    const [{ before }] = await db.query(`SELECT count(*)::int AS before FROM audit_events WHERE seq < $1`, [row.seq]);
    expect(broken.body.rows).toBe(before);
  });
});
