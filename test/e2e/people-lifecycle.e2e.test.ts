/**
 * Tokens and people with a lifecycle, against the real stack: tokens listed without their
 * secret, revoked (idempotently) and expiring; people deactivated (their tokens revoked,
 * refused while they own open work, which the 409 names) and reactivated; a deactivated
 * person cannot authenticate nor be given new work; the bootstrap and the last active admin
 * stay. A refused request changes no row.
 */
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, expectFieldError, eventually, registerPerson, RegisteredPerson, streamEvents, systemBody } from './support/fixtures';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

let stack: TestStack;
let db: DataSource;
const uniq = Date.now().toString(36);

let lead: RegisteredPerson;
let owner: RegisteredPerson;
let other: RegisteredPerson;

function api() {
  return request(stack.apiUrl);
}
const admin = () => bearer(stack.adminToken);
const person = (name: string, role: string, managerId?: string) => registerPerson(stack, name, role, uniq, managerId);

/** What a refused request must leave as it was: the people and token rows and the person audit streams. */
async function snapshot(): Promise<unknown> {
  return {
    people: await db.query(`SELECT id, name, email, role, manager_id, active, deactivated_at, updated_at FROM people ORDER BY id`),
    tokens: await db.query(`SELECT id, person_id, label, expires_at, revoked_at FROM api_tokens ORDER BY id`),
    audit: await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE stream_id LIKE 'person:%' OR stream_id LIKE 'system:%'`),
    systems: await db.query(`SELECT id, owner_id, lifecycle_stage FROM ai_systems ORDER BY id`),
    incidents: await db.query(`SELECT count(*)::int AS n FROM incidents`),
    nonconformities: await db.query(`SELECT count(*)::int AS n FROM nonconformities`),
  };
}

async function issue(personId: string, body: Record<string, unknown> = {}): Promise<request.Response> {
  return api().post(`/people/${personId}/tokens`).set(admin()).send(body);
}

const personEvents = (personId: string) => streamEvents(db, `person:${personId}`);

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
  db = createDataSource(stack.databaseUrl, { poolSize: 2 });
  await db.initialize();
  lead = await person('Lena Lead', 'governance_lead');
  owner = await person('Omar Owner', 'owner');
  other = await person('Olive Other', 'owner');
}, 300_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
  await stack?.stop();
}, 120_000);

describe('tokens', () => {
  it('issues a token with an expiry; the list shows label, created, last used, expiry and state, never the secret', async () => {
    const expiresAt = new Date(Date.now() + 30 * DAY_MS).toISOString();
    const res = await issue(owner.id, { label: 'laptop', expiresAt });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ personId: owner.id, label: 'laptop', expiresAt });
    const secret: string = res.body.token;
    expect((await api().get('/people').set(bearer(secret))).status).toBe(200);

    const [hash] = await db.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [res.body.id]);
    const list = await eventually(async () => {
      const l = await api().get(`/people/${owner.id}/tokens`).set(bearer(owner.token));
      const row = l.body.items?.find((t: { id: string }) => t.id === res.body.id);
      return l.status === 200 && row?.lastUsedAt ? l : undefined;
    }, 'lastUsedAt of the new token');
    const raw = JSON.stringify(list.body);
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(hash.token_hash);
    expect(raw).not.toContain(owner.token);
    expect(list.body.total).toBe(2);
    const row = list.body.items.find((t: { id: string }) => t.id === res.body.id);
    expect(Object.keys(row).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'lastUsedAt', 'personId', 'revokedAt', 'state']);
    expect(row).toMatchObject({ label: 'laptop', expiresAt, revokedAt: null, state: 'active' });
    expect(Date.parse(row.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(list.body.items.find((t: { label: string }) => t.label === 'e2e')).toMatchObject({ expiresAt: null, state: 'active' });

    const events = await personEvents(owner.id);
    expect(events.find((e) => e.event === 'token.issued' && e.detail.tokenId === res.body.id)?.detail).toMatchObject({ expiresAt });
  });

  it('an expired token gets 401 and is listed as expired', async () => {
    const res = await issue(other.id, { label: 'short-lived', expiresAt: new Date(Date.now() + 3_000).toISOString() });
    expect(res.status).toBe(201);
    expect((await api().get('/people').set(bearer(res.body.token))).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(res.body.expiresAt) - Date.now()) + 500));
    const refused = await api().get('/people').set(bearer(res.body.token));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('invalid, revoked or expired token');
    const list = await api().get(`/people/${other.id}/tokens`).set(admin());
    expect(list.body.items.find((t: { id: string }) => t.id === res.body.id)).toMatchObject({ state: 'expired', revokedAt: null });
  });

  it('refuses an expiry in the past, too far ahead, malformed or on a date alone (400), and adds no row', async () => {
    const before = await snapshot();
    expectFieldError(await issue(other.id, { expiresAt: new Date(Date.now() - 60_000).toISOString() }), 'expiresAt');
    expectFieldError(await issue(other.id, { expiresAt: new Date(Date.now() + 366 * DAY_MS).toISOString() }), 'expiresAt');
    expectFieldError(await issue(other.id, { expiresAt: 'tomorrow' }), 'expiresAt');
    expectFieldError(await issue(other.id, { expiresAt: '2099-01-01' }), 'expiresAt');
    expectFieldError(await issue(other.id, { expiresAt: 12 }), 'expiresAt');
    expect(await snapshot()).toEqual(before);
  });

  it('revokes a token at once (401 after), idempotently; 404 for an unknown token or one of someone else', async () => {
    const res = await issue(other.id, { label: 'to revoke' });
    const secret = res.body.token;
    expect((await api().get('/people').set(bearer(secret))).status).toBe(200);

    const revoked = await api().delete(`/people/${other.id}/tokens/${res.body.id}`).set(bearer(lead.token));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: res.body.id, personId: other.id, label: 'to revoke', state: 'revoked' });
    expect(JSON.stringify(revoked.body)).not.toContain(secret);
    const refused = await api().get('/people').set(bearer(secret));
    expect(refused.status).toBe(401);

    const before = await snapshot();
    const again = await api().delete(`/people/${other.id}/tokens/${res.body.id}`).set(admin());
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await api().delete(`/people/${other.id}/tokens/${UNKNOWN_ID}`).set(admin())).status).toBe(404);
    // The token exists, but not as one of owner's.
    expect((await api().delete(`/people/${owner.id}/tokens/${res.body.id}`).set(admin())).status).toBe(404);
    expect((await api().delete(`/people/${UNKNOWN_ID}/tokens/${res.body.id}`).set(admin())).status).toBe(404);
    expectFieldError(await api().delete(`/people/${other.id}/tokens/not-a-uuid`).set(admin()), 'tokenId');
    expect(await snapshot()).toEqual(before);

    const events = (await personEvents(other.id)).filter((e) => e.event === 'token.revoked');
    expect(events).toEqual([{ event: 'token.revoked', detail: { tokenId: res.body.id, label: 'to revoke' } }]);
  });

  it('a person lists and revokes their own tokens, not anyone else’s (403); an admin or governance lead manages anyone’s', async () => {
    const mine = await issue(owner.id, { label: 'mine' });
    const theirs = await issue(other.id, { label: 'theirs' });
    expect((await api().get(`/people/${owner.id}/tokens`).set(bearer(owner.token))).status).toBe(200);
    expect((await api().get(`/people/${other.id}/tokens`).set(bearer(lead.token))).status).toBe(200);

    const before = await snapshot();
    expect((await api().get(`/people/${other.id}/tokens`).set(bearer(owner.token))).status).toBe(403);
    expect((await api().delete(`/people/${other.id}/tokens/${theirs.body.id}`).set(bearer(owner.token))).status).toBe(403);
    expect((await api().get(`/people/${other.id}/tokens`)).status).toBe(401);
    // Issuing stays admin-only, even for oneself.
    expect((await api().post(`/people/${owner.id}/tokens`).set(bearer(owner.token)).send({})).status).toBe(403);
    expect(await snapshot()).toEqual(before);
    expect((await api().get('/people').set(bearer(theirs.body.token))).status).toBe(200);

    const own = await api().delete(`/people/${owner.id}/tokens/${mine.body.id}`).set(bearer(owner.token));
    expect(own.status).toBe(200);
    expect(own.body.state).toBe('revoked');
    expect((await api().get('/people').set(bearer(mine.body.token))).status).toBe(401);
  });
});

describe('deactivating a person', () => {
  let busy: RegisteredPerson;
  let manager: RegisteredPerson;
  let report: RegisteredPerson;
  let systemId: string;
  let incidentId: string;
  let nonconformityId: string;
  let draftTaskId: string;

  beforeAll(async () => {
    busy = await person('Bo Busy', 'responder');
    manager = await person('Mia Manager', 'management');
    report = await person('Ray Report', 'owner', manager.id);
    const sys = await api()
      .post('/systems')
      .set(bearer(lead.token))
      .send(
        systemBody({ name: `Lifecycle chatbot ${uniq}`, ownerId: busy.id, riskTier: 'limited', lifecycleStage: 'design_and_development' }),
      );
    expect(sys.status).toBe(201);
    systemId = sys.body.id;
    const inc = await api()
      .post('/incidents')
      .set(bearer(lead.token))
      .send({
        systemId,
        title: `Wrong answer ${uniq}`,
        description: 'The chatbot gave a wrong refund amount.',
        severity: 'low',
        detectedAt: new Date(Date.now() - HOUR_MS).toISOString(),
        responderId: busy.id,
      });
    expect(inc.status).toBe(201);
    incidentId = inc.body.incidentId;
    const nc = await api()
      .post('/nonconformities')
      .set(bearer(lead.token))
      .send({
        source: { type: 'audit-finding', ref: `IA-${uniq}` },
        title: `No refund checks ${uniq}`,
        description: 'x',
        grade: 'minor',
        actionOwnerId: busy.id,
        verifierId: lead.id,
      });
    expect(nc.status).toBe(201);
    nonconformityId = nc.body.nonconformityId;
    draftTaskId = `incident-report:${incidentId}:draft`;
    await eventually(async () => {
      const [row] = await db.query(`SELECT 1 FROM tasks WHERE id = $1 AND owner_id = $2`, [draftTaskId, busy.id]);
      return !!row;
    }, 'the draft report task in the read model');
  }, 120_000);

  it('409 while they own open work, naming the tasks, incidents, nonconformities and systems; nothing changes', async () => {
    const before = await snapshot();
    const res = await api().patch(`/people/${busy.id}`).set(bearer(lead.token)).send({ active: false });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain(draftTaskId);
    expect(res.body.message).toContain(incidentId);
    expect(res.body.message).toContain(nonconformityId);
    expect(res.body.message).toContain(systemId);
    expect(res.body.openWork.tasks.map((t: { id: string }) => t.id)).toContain(draftTaskId);
    expect(res.body.openWork.incidents).toEqual([{ id: incidentId, title: `Wrong answer ${uniq}` }]);
    expect(res.body.openWork.nonconformities).toEqual([{ id: nonconformityId, title: `No refund checks ${uniq}`, as: 'actionOwner' }]);
    expect(res.body.openWork.systems).toEqual([{ id: systemId, name: `Lifecycle chatbot ${uniq}` }]);
    // The verifier of an open nonconformity is held too.
    const asVerifier = await api().patch(`/people/${lead.id}`).set(admin()).send({ active: false });
    expect(asVerifier.status).toBe(409);
    expect(asVerifier.body.openWork.nonconformities).toEqual([expect.objectContaining({ id: nonconformityId, as: 'verifier' })]);
    expect(await snapshot()).toEqual(before);
    expect((await api().get('/people').set(bearer(busy.token))).status).toBe(200);
  });

  it('409 for a manager of active people, naming them', async () => {
    const before = await snapshot();
    const res = await api().patch(`/people/${manager.id}`).set(admin()).send({ active: false });
    expect(res.status).toBe(409);
    expect(res.body.openWork.directReports).toEqual([{ id: report.id, name: `Ray Report ${uniq}` }]);
    expect(await snapshot()).toEqual(before);
  });

  it('deactivates a person without open work: every token revoked (401), recorded; a token cannot be issued (409)', async () => {
    const second = await issue(report.id, { label: 'second', expiresAt: new Date(Date.now() + DAY_MS).toISOString() });
    const res = await api().patch(`/people/${report.id}`).set(bearer(lead.token)).send({ active: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: report.id, active: false });
    expect(Date.parse(res.body.deactivatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await api().get(`/people/${report.id}`).set(admin())).body).toMatchObject({
      active: false,
      deactivatedAt: res.body.deactivatedAt,
    });

    for (const token of [report.token, second.body.token]) {
      const r = await api().get('/people').set(bearer(token));
      expect(r.status).toBe(401);
    }
    const list = await api().get(`/people/${report.id}/tokens`).set(admin());
    expect(list.body.items.map((t: { state: string }) => t.state)).toEqual(['revoked', 'revoked']);
    const events = await personEvents(report.id);
    const deactivated = events.filter((e) => e.event === 'person.deactivated');
    expect(deactivated).toHaveLength(1);
    expect((deactivated[0].detail.revokedTokenIds as string[]).sort()).toEqual(list.body.items.map((t: { id: string }) => t.id).sort());

    // Deactivating again changes nothing.
    const before = await snapshot();
    expect((await api().patch(`/people/${report.id}`).set(admin()).send({ active: false })).status).toBe(200);
    const refused = await issue(report.id, { label: 'nope' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('deactivated');
    expect(await snapshot()).toEqual(before);

    // Now the manager has no active report, and can go.
    const mgr = await api().patch(`/people/${manager.id}`).set(admin()).send({ active: false });
    expect(mgr.status).toBe(200);
  });

  it('a deactivated person cannot be given new work: owner, responder, action owner, verifier, task owner, manager (400 naming the field)', async () => {
    const before = await snapshot();
    expectFieldError(
      await api()
        .post('/systems')
        .set(bearer(lead.token))
        .send(systemBody({ name: `Never ${uniq}`, ownerId: report.id, riskTier: 'limited', lifecycleStage: 'design_and_development' })),
      'ownerId',
    );
    expectFieldError(await api().patch(`/systems/${systemId}`).set(bearer(lead.token)).send({ ownerId: report.id }), 'ownerId');
    expectFieldError(
      await api()
        .post('/incidents')
        .set(bearer(lead.token))
        .send({ systemId, title: 't', description: 'd', severity: 'low', detectedAt: new Date().toISOString(), responderId: report.id }),
      'responderId',
    );
    const nc = (over: Record<string, unknown>) =>
      api()
        .post('/nonconformities')
        .set(bearer(lead.token))
        .send({
          source: { type: 'other', ref: 'x' },
          title: 't',
          description: 'd',
          grade: 'minor',
          actionOwnerId: owner.id,
          verifierId: lead.id,
          ...over,
        });
    expectFieldError(await nc({ actionOwnerId: report.id }), 'actionOwnerId');
    expectFieldError(await nc({ verifierId: report.id }), 'verifierId');
    expectFieldError(
      await api().post(`/tasks/${draftTaskId}/reassign`).set(bearer(lead.token)).send({ newOwnerId: report.id, reason: 'cover' }),
      'newOwnerId',
    );
    expectFieldError(await api().patch(`/people/${owner.id}`).set(bearer(lead.token)).send({ managerId: report.id }), 'managerId');
    expectFieldError(
      await api()
        .post('/people')
        .set(bearer(lead.token))
        .send({ name: 'N', email: `n.${uniq}@example.test`, role: 'owner', managerId: report.id }),
      'managerId',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('reactivates with active: true: old tokens stay revoked, a new one works; recorded', async () => {
    const res = await api().patch(`/people/${report.id}`).set(bearer(lead.token)).send({ active: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, deactivatedAt: null });
    expect((await api().get('/people').set(bearer(report.token))).status).toBe(401);
    const fresh = await issue(report.id, { label: 'back' });
    expect(fresh.status).toBe(201);
    expect((await api().get('/people').set(bearer(fresh.body.token))).status).toBe(200);
    expect((await personEvents(report.id)).map((e) => e.event)).toEqual(
      expect.arrayContaining(['person.deactivated', 'person.reactivated', 'token.issued']),
    );
  });

  it('400 for a non-boolean active, and nothing changes', async () => {
    const before = await snapshot();
    expectFieldError(await api().patch(`/people/${other.id}`).set(admin()).send({ active: 'no' }), 'active');
    expectFieldError(await api().patch(`/people/${other.id}`).set(admin()).send({ active: null }), 'active');
    expectFieldError(await api().patch(`/people/${other.id}`).set(admin()).send({ active: 0 }), 'active');
    expect((await api().patch(`/people/${other.id}`).set(bearer(owner.token)).send({ active: false })).status).toBe(403);
    expect((await api().patch(`/people/${UNKNOWN_ID}`).set(admin()).send({ active: false })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe('admins', () => {
  it('the bootstrap admin and the last active admin cannot be deactivated (409); nothing changes', async () => {
    const [bootstrap] = await db.query(
      `SELECT substring(stream_id FROM 8) AS id FROM audit_events WHERE event = 'person.registered' AND detail->>'bootstrap' = 'true'`,
    );
    const second = await person('Ada Admin', 'admin');
    let before = await snapshot();
    const res = await api().patch(`/people/${bootstrap.id}`).set(bearer(second.token)).send({ active: false });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('bootstrap admin');
    expect(await snapshot()).toEqual(before);

    // With the bootstrap admin no longer an admin, the second one is the last active admin.
    expect((await api().patch(`/people/${bootstrap.id}`).set(bearer(second.token)).send({ role: 'governance_lead' })).status).toBe(200);
    try {
      before = await snapshot();
      const last = await api().patch(`/people/${second.id}`).set(bearer(lead.token)).send({ active: false });
      expect(last.status).toBe(409);
      expect(last.body.message).toContain('last active admin');
      expect(await snapshot()).toEqual(before);
    } finally {
      expect((await api().patch(`/people/${bootstrap.id}`).set(bearer(second.token)).send({ role: 'admin' })).status).toBe(200);
    }
    // With two active admins, the second may go.
    expect((await api().patch(`/people/${second.id}`).set(admin()).send({ active: false })).status).toBe(200);
    expect((await api().get('/people').set(bearer(second.token))).status).toBe(401);
  });
});
