/**
 * People, tokens, roles and the AI system inventory against the real stack (PostgreSQL,
 * Temporal, worker, API as child processes): authentication and roles, CRUD, bad input to
 * every endpoint (400 naming the field), 404s, 409s, and that a refused request leaves no
 * row behind. Also: Temporal unreachable -> 503 and nothing saved; two API processes
 * bootstrapping one fresh database at once create one admin.
 */
import { createHash } from 'crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { runMigrations } from '../../apps/migrate/main';
import { createDataSource } from '../../libs/persistence';
import { startTestStack, TestStack } from '../support/stack';
import { ApiProcess, startApi, unreachableAddress } from './support/api-process';

/** `GET /systems/:id`'s recertification of a system no round has covered yet. */
const NO_RECERTIFICATION_YET = { state: 'current', period: null, taskId: null, dueAt: null, lastConfirmedAt: null, lastConfirmedBy: null };

let stack: TestStack;
let db: DataSource;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function api() {
  return request(stack.apiUrl);
}
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const admin = () => bearer(stack.adminToken);

async function count(table: 'people' | 'ai_systems' | 'api_tokens' | 'audit_events'): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

/**
 * Audit events the API writes itself (people, tokens, systems). Task workflows opened by
 * earlier, accepted requests (a go-live AIIA) append their own events in the background,
 * so counting the whole table would blame a refused request for them.
 */
async function apiAuditEvents(): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE stream_id LIKE 'person:%' OR stream_id LIKE 'system:%'`);
  return row.n;
}

async function counts() {
  return {
    people: await count('people'),
    systems: await count('ai_systems'),
    tokens: await count('api_tokens'),
    audit: await apiAuditEvents(),
  };
}

/** Asserts a 400 in the validation format naming `field`. */
function expectFieldError(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'Validation failed' });
  const fields = (res.body.errors as Array<{ field: string; messages: string[] }>).map((e) => e.field);
  if (!fields.includes(field)) throw new Error(`expected an error on '${field}', got ${JSON.stringify(res.body.errors)}`);
  for (const e of res.body.errors) {
    expect(e.messages.length).toBeGreaterThan(0);
    for (const m of e.messages) expect(typeof m).toBe('string');
  }
}

let seq = 0;
function uniq(prefix: string): string {
  seq += 1;
  return `${prefix} ${Date.now().toString(36)}-${seq}`;
}

async function createPerson(body: Record<string, unknown>, auth = admin()): Promise<any> {
  const res = await api().post('/people').set(auth).send(body);
  expect(res.status).toBe(201);
  return res.body;
}

async function issueToken(personId: string, label?: string): Promise<string> {
  const res = await api()
    .post(`/people/${personId}/tokens`)
    .set(admin())
    .send(label === undefined ? {} : { label });
  expect(res.status).toBe(201);
  return res.body.token;
}

// People and tokens shared by the tests below.
let lead: any;
let owner: any;
let auditor: any;
let leadToken: string;
let ownerToken: string;
let auditorToken: string;

function validSystem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: uniq('Credit scoring'),
    description: 'Scores consumer credit applications',
    purpose: 'Decide on consumer loans up to 50k EUR',
    provider: { type: 'third_party', name: 'Acme AI Ltd' },
    deployer: 'Retail lending operations',
    ownerId: owner.id,
    businessUnit: 'Retail',
    riskTier: 'limited',
    lifecycleStage: 'design_and_development',
    dataInputs: ['application form', 'credit bureau record'],
    dataOutputs: ['score', 'reason codes'],
    oversightMeasures: ['human review of every decline'],
    ...overrides,
  };
}

function without(key: string, body = validSystem()): Record<string, unknown> {
  const copy = { ...body };
  delete copy[key];
  return copy;
}

beforeAll(async () => {
  stack = await startTestStack();
  db = createDataSource(stack.databaseUrl, { poolSize: 2 });
  await db.initialize();

  lead = await createPerson({ name: 'Grace Lead', email: 'grace.lead@example.test', role: 'governance_lead' });
  owner = await createPerson({ name: 'Olga Owner', email: 'olga.owner@example.test', role: 'owner', managerId: lead.id });
  auditor = await createPerson({ name: 'Aldo Auditor', email: 'aldo.auditor@example.test', role: 'auditor' });
  leadToken = await issueToken(lead.id, 'lead laptop');
  ownerToken = await issueToken(owner.id);
  auditorToken = await issueToken(auditor.id, 'audit');
}, 300_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
  await stack?.stop();
}, 120_000);

describe('health and docs', () => {
  it('GET /health is public and reports both dependencies up', async () => {
    const res = await api().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up', temporal: 'up' }, checkedAt: expect.any(String) });
    // The last background check's time: recent, never in the future.
    const age = Date.now() - Date.parse(res.body.checkedAt);
    expect(age).toBeGreaterThanOrEqual(-1_000);
    expect(age).toBeLessThan(60_000);
  });

  it('serves the OpenAPI document with bearer auth at /docs-json and the UI at /docs', async () => {
    const json = await api().get('/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/people', '/people/{id}', '/people/{id}/tokens', '/systems', '/systems/{id}']),
    );
    expect(JSON.stringify(json.body.components.securitySchemes)).toContain('bearer');
    const ui = await api().get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});

describe('authentication and roles', () => {
  it('401 without a token, with an unknown token and with a malformed header', async () => {
    for (const headers of [
      {},
      bearer('aims_not-a-real-token'),
      { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { Authorization: 'Bearer' },
    ]) {
      for (const [method, url] of [
        ['get', '/people'],
        ['get', '/systems'],
        ['post', '/systems'],
        ['post', `/people/${owner.id}/tokens`],
      ] as const) {
        const res = await api()[method](url).set(headers).send({});
        expect(res.status).toBe(401);
        expect(res.body.statusCode).toBe(401);
        expect(typeof res.body.message).toBe('string');
      }
    }
  });

  it('accepts the bootstrap admin token from AIMS_ADMIN_TOKEN and knows who is calling', async () => {
    const res = await api().get('/people?role=admin').set(admin());
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: any) => p.email)).toContain('admin@aims.local');
  });

  it('403 for an auditor writing the inventory or people; reads are allowed', async () => {
    const before = await counts();
    const auth = bearer(auditorToken);
    expect((await api().post('/systems').set(auth).send(validSystem())).status).toBe(403);
    expect((await api().patch(`/systems/${UNKNOWN_ID}`).set(auth).send({ riskTier: 'high' })).status).toBe(403);
    expect((await api().post('/people').set(auth).send({ name: 'X', email: 'x@example.test', role: 'owner' })).status).toBe(403);
    expect((await api().patch(`/people/${owner.id}`).set(auth).send({ name: 'Renamed' })).status).toBe(403);
    const token = await api().post(`/people/${auditor.id}/tokens`).set(auth).send({});
    expect(token.status).toBe(403);
    expect(token.body).toMatchObject({ statusCode: 403 });
    expect(await counts()).toEqual(before);

    expect((await api().get('/people').set(auth)).status).toBe(200);
    expect((await api().get('/systems').set(auth)).status).toBe(200);
    expect((await api().get(`/people/${owner.id}`).set(auth)).status).toBe(200);
  });

  it('a system owner may not register systems; only admin issues tokens, even for a governance lead', async () => {
    expect((await api().post('/systems').set(bearer(ownerToken)).send(validSystem())).status).toBe(403);
    expect((await api().post(`/people/${owner.id}/tokens`).set(bearer(leadToken)).send({})).status).toBe(403);
  });
});

describe('people', () => {
  it('registers people with a manager, lists with filters and pagination, reads one', async () => {
    const p = await createPerson(
      { name: 'Rita Responder', email: 'Rita.Responder@Example.test', role: 'responder', managerId: lead.id },
      bearer(leadToken),
    );
    expect(p).toMatchObject({ name: 'Rita Responder', email: 'Rita.Responder@Example.test', role: 'responder', managerId: lead.id });
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);

    const one = await api().get(`/people/${p.id}`).set(bearer(ownerToken));
    expect(one.status).toBe(200);
    expect(one.body).toEqual(p);

    const responders = await api().get('/people?role=responder').set(admin());
    expect(responders.status).toBe(200);
    expect(responders.body.items.every((x: any) => x.role === 'responder')).toBe(true);
    expect(responders.body.items.map((x: any) => x.id)).toContain(p.id);

    const reports = await api().get(`/people?managerId=${lead.id}`).set(admin());
    expect(reports.body.items.map((x: any) => x.id)).toEqual(expect.arrayContaining([owner.id, p.id]));

    const page = await api().get('/people?limit=2&offset=1').set(admin());
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body).toMatchObject({ limit: 2, offset: 1 });
    expect(page.body.total).toBeGreaterThanOrEqual(5);

    const [audit] = await db.query(`SELECT event, actor_id, detail FROM audit_events WHERE stream_id = $1 ORDER BY seq`, [
      `person:${p.id}`,
    ]);
    expect(audit).toMatchObject({ event: 'person.registered', actor_id: lead.id });
    expect(audit.detail).toMatchObject({ email: 'Rita.Responder@Example.test', role: 'responder' });
  });

  it('issues a token shown once, stores only its hash, and the token authenticates as that person', async () => {
    const res = await api().post(`/people/${owner.id}/tokens`).set(admin()).send({ label: 'ci pipeline' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      token: expect.stringMatching(/^aims_[A-Za-z0-9_-]{43}$/),
      id: expect.any(String),
      personId: owner.id,
      label: 'ci pipeline',
    });

    const rows = await db.query(`SELECT token_hash, label, revoked_at FROM api_tokens WHERE id = $1`, [res.body.id]);
    expect(rows).toEqual([{ token_hash: sha256(res.body.token), label: 'ci pipeline', revoked_at: null }]);
    const leaked = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE detail::text LIKE $1`, [`%${res.body.token}%`]);
    expect(leaked[0].n).toBe(0);
    const [audit] = await db.query(`SELECT event, detail FROM audit_events WHERE idempotency_key = $1`, [`token.issued:${res.body.id}`]);
    expect(audit).toEqual({ event: 'token.issued', detail: { tokenId: res.body.id, label: 'ci pipeline' } });

    // The owner may read but not write the inventory: proves the token is theirs.
    expect((await api().get('/systems').set(bearer(res.body.token))).status).toBe(200);
    expect((await api().post('/systems').set(bearer(res.body.token)).send(validSystem())).status).toBe(403);

    const noBody = await api().post(`/people/${auditor.id}/tokens`).set(admin());
    expect(noBody.status).toBe(201);
    expect(noBody.body.label).toBe('');
  });

  it('409 on a duplicate email, case-insensitively, and no row is added', async () => {
    const before = await counts();
    const res = await api().post('/people').set(admin()).send({ name: 'Olga Again', email: 'OLGA.OWNER@example.test', role: 'owner' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, message: expect.stringContaining('email') });
    expect(await counts()).toEqual(before);
  });

  it('404 when the manager does not exist, and no row is added', async () => {
    const before = await counts();
    const res = await api()
      .post('/people')
      .set(admin())
      .send({ name: 'Nobody', email: 'nobody@example.test', role: 'owner', managerId: UNKNOWN_ID });
    expect(res.status).toBe(404);
    expect(res.body.message).toContain(`manager ${UNKNOWN_ID} not found`);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['missing name', { email: 'a1@example.test', role: 'owner' }, 'name'],
    ['empty name', { name: '   ', email: 'a2@example.test', role: 'owner' }, 'name'],
    ['wrong-typed name', { name: 42, email: 'a3@example.test', role: 'owner' }, 'name'],
    ['too long name', { name: 'x'.repeat(201), email: 'a4@example.test', role: 'owner' }, 'name'],
    ['missing email', { name: 'A', role: 'owner' }, 'email'],
    ['invalid email', { name: 'A', email: 'not-an-email', role: 'owner' }, 'email'],
    ['wrong-typed email', { name: 'A', email: ['a@example.test'], role: 'owner' }, 'email'],
    ['missing role', { name: 'A', email: 'a5@example.test' }, 'role'],
    ['unknown role', { name: 'A', email: 'a6@example.test', role: 'superuser' }, 'role'],
    ['malformed managerId', { name: 'A', email: 'a7@example.test', role: 'owner', managerId: 'abc' }, 'managerId'],
    ['wrong-typed managerId', { name: 'A', email: 'a8@example.test', role: 'owner', managerId: 7 }, 'managerId'],
    ['unknown field', { name: 'A', email: 'a9@example.test', role: 'owner', salary: 1 }, 'salary'],
  ])('POST /people refuses %s (400, field named, no row)', async (_label, body, field) => {
    const before = await counts();
    expectFieldError(await api().post('/people').set(admin()).send(body), field);
    expect(await counts()).toEqual(before);
  });

  it('POST /people refuses a body that is not an object, and malformed JSON', async () => {
    expectFieldError(
      await api()
        .post('/people')
        .set(admin())
        .send([{ name: 'A' }]),
      'body',
    );
    const bad = await api().post('/people').set(admin()).set('Content-Type', 'application/json').send('{"name": "A",');
    expect(bad.status).toBe(400);
    expect(bad.body.statusCode).toBe(400);
  });

  it('GET /people/:id: 400 for a malformed id, 404 for an unknown one', async () => {
    expectFieldError(await api().get('/people/not-a-uuid').set(admin()), 'id');
    const res = await api().get(`/people/${UNKNOWN_ID}`).set(admin());
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: `person ${UNKNOWN_ID} not found` });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
    ['role=king', 'role'],
    ['managerId=xyz', 'managerId'],
    ['sort=name', 'sort'],
  ])('GET /people?%s -> 400 on %s', async (query, field) => {
    expectFieldError(await api().get(`/people?${query}`).set(admin()), field);
  });

  it('PATCH /people/:id changes fields, records the change, and clears the manager with null', async () => {
    const p = await createPerson({ name: 'Mona Manager', email: 'mona@example.test', role: 'owner', managerId: lead.id });
    const res = await api().patch(`/people/${p.id}`).set(bearer(leadToken)).send({ name: 'Mona M.', role: 'management', managerId: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, name: 'Mona M.', role: 'management', managerId: null, email: 'mona@example.test' });
    expect((await api().get(`/people/${p.id}`).set(admin())).body).toEqual(res.body);

    const audit = await db.query(`SELECT event, actor_id, detail FROM audit_events WHERE stream_id = $1 AND event = 'person.updated'`, [
      `person:${p.id}`,
    ]);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(lead.id);
    expect(audit[0].detail.changes).toEqual({
      name: { from: 'Mona Manager', to: 'Mona M.' },
      role: { from: 'owner', to: 'management' },
      managerId: { from: lead.id, to: null },
    });
  });

  it('PATCH /people/:id refuses a manager cycle (400) and oneself as manager', async () => {
    const a = await createPerson({ name: 'Cy A', email: 'cy.a@example.test', role: 'owner' });
    const b = await createPerson({ name: 'Cy B', email: 'cy.b@example.test', role: 'owner', managerId: a.id });
    const c = await createPerson({ name: 'Cy C', email: 'cy.c@example.test', role: 'owner', managerId: b.id });
    const before = await counts();
    expectFieldError(await api().patch(`/people/${a.id}`).set(admin()).send({ managerId: c.id }), 'managerId');
    expectFieldError(await api().patch(`/people/${a.id}`).set(admin()).send({ managerId: b.id }), 'managerId');
    expectFieldError(await api().patch(`/people/${a.id}`).set(admin()).send({ managerId: a.id }), 'managerId');
    expect((await api().get(`/people/${a.id}`).set(admin())).body.managerId).toBeNull();
    expect(await counts()).toEqual(before);
    // Not a cycle: moving C under A directly.
    const ok = await api().patch(`/people/${c.id}`).set(admin()).send({ managerId: a.id });
    expect(ok.status).toBe(200);
    expect(ok.body.managerId).toBe(a.id);
  });

  it('PATCH /people/:id: 404 unknown person or manager, 409 duplicate email, 400 empty / bad / unknown fields', async () => {
    const p = await createPerson({ name: 'Pat Patch', email: 'pat@example.test', role: 'owner' });
    const before = await counts();
    const unknown = await api().patch(`/people/${UNKNOWN_ID}`).set(admin()).send({ name: 'X' });
    expect(unknown.status).toBe(404);
    const noManager = await api().patch(`/people/${p.id}`).set(admin()).send({ managerId: UNKNOWN_ID });
    expect(noManager.status).toBe(404);
    expect(noManager.body.message).toContain('manager');
    const dup = await api().patch(`/people/${p.id}`).set(admin()).send({ email: 'Grace.Lead@example.test' });
    expect(dup.status).toBe(409);
    expectFieldError(await api().patch('/people/123').set(admin()).send({ name: 'X' }), 'id');
    expectFieldError(await api().patch(`/people/${p.id}`).set(admin()).send({}), 'body');
    expectFieldError(await api().patch(`/people/${p.id}`).set(admin()).send({ name: null }), 'name');
    expectFieldError(
      await api()
        .patch(`/people/${p.id}`)
        .set(admin())
        .send({ name: 'x'.repeat(201) }),
      'name',
    );
    expectFieldError(await api().patch(`/people/${p.id}`).set(admin()).send({ email: 'nope' }), 'email');
    expectFieldError(await api().patch(`/people/${p.id}`).set(admin()).send({ role: 'root' }), 'role');
    expectFieldError(await api().patch(`/people/${p.id}`).set(admin()).send({ role: null }), 'role');
    expectFieldError(await api().patch(`/people/${p.id}`).set(admin()).send({ managerId: 'x' }), 'managerId');
    expectFieldError(await api().patch(`/people/${p.id}`).set(admin()).send({ nickname: 'P' }), 'nickname');
    expect(await counts()).toEqual(before);
    expect((await api().get(`/people/${p.id}`).set(admin())).body).toEqual(p);
  });

  it('POST /people/:id/tokens: 404 unknown person, 400 malformed id / bad label / unknown field, no row', async () => {
    const before = await counts();
    const res = await api().post(`/people/${UNKNOWN_ID}/tokens`).set(admin()).send({});
    expect(res.status).toBe(404);
    expectFieldError(await api().post('/people/zzz/tokens').set(admin()).send({}), 'id');
    expectFieldError(await api().post(`/people/${owner.id}/tokens`).set(admin()).send({ label: 5 }), 'label');
    expectFieldError(
      await api()
        .post(`/people/${owner.id}/tokens`)
        .set(admin())
        .send({ label: 'l'.repeat(101) }),
      'label',
    );
    expectFieldError(await api().post(`/people/${owner.id}/tokens`).set(admin()).send({ token: 'mine' }), 'token');
    expect(await counts()).toEqual(before);
  });
});

describe('AI systems', () => {
  it('registers, reads, lists with filters and updates a system; each change is audited', async () => {
    const body = validSystem({
      riskTier: 'high',
      lifecycleStage: 'operation_and_monitoring',
      goLiveDate: '2026-01-15',
      complianceStatus: 'partially_compliant',
    });
    const created = await api().post('/systems').set(bearer(leadToken)).send(body);
    expect(created.status).toBe(201);
    const s = created.body;
    expect(s).toMatchObject({ ...body, id: expect.any(String), createdAt: expect.any(String), updatedAt: expect.any(String) });

    // The one system, and (GET only) its recertification: none owed before its first round.
    expect((await api().get(`/systems/${s.id}`).set(bearer(auditorToken))).body).toEqual({ ...s, recertification: NO_RECERTIFICATION_YET });
    const byTier = await api().get('/systems?riskTier=high').set(admin());
    expect(byTier.body.items.map((x: any) => x.id)).toContain(s.id);
    expect(byTier.body.items.every((x: any) => x.riskTier === 'high')).toBe(true);
    const byStage = await api().get('/systems?lifecycleStage=retirement').set(admin());
    expect(byStage.body.items.map((x: any) => x.id)).not.toContain(s.id);
    const byOwner = await api().get(`/systems?ownerId=${owner.id}&riskTier=high&lifecycleStage=operation_and_monitoring`).set(admin());
    expect(byOwner.body.items.map((x: any) => x.id)).toContain(s.id);
    const nobody = await api().get(`/systems?ownerId=${UNKNOWN_ID}`).set(admin());
    expect(nobody.body).toMatchObject({ items: [], total: 0 });

    const [registered] = await db.query(`SELECT event, actor_id, detail FROM audit_events WHERE stream_id = $1 ORDER BY seq`, [
      `system:${s.id}`,
    ]);
    expect(registered).toMatchObject({ event: 'system.registered', actor_id: lead.id });
    expect(registered.detail.system).toMatchObject({ name: body.name, riskTier: 'high' });

    const patched = await api()
      .patch(`/systems/${s.id}`)
      .set(bearer(leadToken))
      .send({ riskTier: 'limited', businessUnit: null, provider: { type: 'internal' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: s.id,
      riskTier: 'limited',
      businessUnit: null,
      provider: { type: 'internal', name: null },
      name: body.name,
    });
    expect((await api().get(`/systems/${s.id}`).set(admin())).body).toEqual({ ...patched.body, recertification: NO_RECERTIFICATION_YET });

    const updates = await db.query(`SELECT detail FROM audit_events WHERE stream_id = $1 AND event = 'system.updated'`, [`system:${s.id}`]);
    expect(updates).toHaveLength(1);
    expect(updates[0].detail.changes).toMatchObject({
      riskTier: { from: 'high', to: 'limited' },
      businessUnit: { from: 'Retail', to: null },
      providerType: { from: 'third_party', to: 'internal' },
    });

    // A PATCH that changes nothing records nothing.
    const same = await api().patch(`/systems/${s.id}`).set(admin()).send({ riskTier: 'limited' });
    expect(same.status).toBe(200);
    expect(await db.query(`SELECT 1 FROM audit_events WHERE stream_id = $1 AND event = 'system.updated'`, [`system:${s.id}`])).toHaveLength(
      1,
    );
  });

  it('defaults: complianceStatus not_assessed, optional fields null; internal provider needs no name', async () => {
    const res = await api()
      .post('/systems')
      .set(admin())
      .send(
        without('businessUnit', validSystem({ provider: { type: 'internal' }, dataInputs: [], dataOutputs: [], oversightMeasures: [] })),
      );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      complianceStatus: 'not_assessed',
      businessUnit: null,
      goLiveDate: null,
      provider: { type: 'internal', name: null },
      dataInputs: [],
    });
  });

  it('409 on a duplicate name (case-insensitive), on create and on rename; nothing is written', async () => {
    const first = (
      await api()
        .post('/systems')
        .set(admin())
        .send(validSystem({ name: 'Fraud Radar' }))
    ).body;
    const other = (await api().post('/systems').set(admin()).send(validSystem())).body;
    const before = await counts();
    const dup = await api()
      .post('/systems')
      .set(admin())
      .send(validSystem({ name: 'FRAUD radar' }));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ statusCode: 409, message: expect.stringContaining('name') });
    const rename = await api().patch(`/systems/${other.id}`).set(admin()).send({ name: 'fraud RADAR' });
    expect(rename.status).toBe(409);
    expect(await counts()).toEqual(before);
    expect((await api().get(`/systems/${other.id}`).set(admin())).body.name).toBe(other.name);
    expect(first.name).toBe('Fraud Radar');
  });

  it('404 when the owner does not exist (create and update), and nothing is written', async () => {
    const s = (await api().post('/systems').set(admin()).send(validSystem())).body;
    const before = await counts();
    const res = await api()
      .post('/systems')
      .set(admin())
      .send(validSystem({ ownerId: UNKNOWN_ID }));
    expect(res.status).toBe(404);
    expect(res.body.message).toContain(`owner ${UNKNOWN_ID} not found`);
    const upd = await api().patch(`/systems/${s.id}`).set(admin()).send({ ownerId: UNKNOWN_ID });
    expect(upd.status).toBe(404);
    expect(await counts()).toEqual(before);
    expect((await api().get(`/systems/${s.id}`).set(admin())).body.ownerId).toBe(owner.id);
  });

  const REQUIRED = [
    'name',
    'description',
    'purpose',
    'provider',
    'deployer',
    'ownerId',
    'riskTier',
    'lifecycleStage',
    'dataInputs',
    'dataOutputs',
    'oversightMeasures',
  ];

  it.each(REQUIRED)('POST /systems without %s -> 400 naming it, no row', async (field) => {
    const before = await counts();
    const res = await api().post('/systems').set(admin()).send(without(field));
    expectFieldError(res, field);
    expect(await counts()).toEqual(before);
  });

  const BAD: Array<[string, () => Record<string, unknown>, string]> = [
    ['name as a number', () => validSystem({ name: 12 }), 'name'],
    ['empty name', () => validSystem({ name: '' }), 'name'],
    ['name over 200 chars', () => validSystem({ name: 'n'.repeat(201) }), 'name'],
    ['description over 5000 chars', () => validSystem({ description: 'd'.repeat(5001) }), 'description'],
    ['purpose as an object', () => validSystem({ purpose: { text: 'p' } }), 'purpose'],
    ['purpose over 5000 chars', () => validSystem({ purpose: 'p'.repeat(5001) }), 'purpose'],
    ['deployer over 200 chars', () => validSystem({ deployer: 'd'.repeat(201) }), 'deployer'],
    ['businessUnit as a number', () => validSystem({ businessUnit: 3 }), 'businessUnit'],
    ['businessUnit over 200 chars', () => validSystem({ businessUnit: 'b'.repeat(201) }), 'businessUnit'],
    ['provider as a string', () => validSystem({ provider: 'Acme' }), 'provider'],
    ['provider with an unknown type', () => validSystem({ provider: { type: 'vendor', name: 'Acme' } }), 'provider.type'],
    ['third-party provider without a name', () => validSystem({ provider: { type: 'third_party' } }), 'provider.name'],
    ['provider name as a number', () => validSystem({ provider: { type: 'third_party', name: 5 } }), 'provider.name'],
    ['provider name over 200 chars', () => validSystem({ provider: { type: 'third_party', name: 'a'.repeat(201) } }), 'provider.name'],
    ['an unknown provider field', () => validSystem({ provider: { type: 'internal', country: 'DE' } }), 'provider.country'],
    ['malformed ownerId', () => validSystem({ ownerId: 'owner-1' }), 'ownerId'],
    ['unknown riskTier', () => validSystem({ riskTier: 'extreme' }), 'riskTier'],
    ['riskTier in the wrong case', () => validSystem({ riskTier: 'HIGH' }), 'riskTier'],
    ['unknown lifecycleStage', () => validSystem({ lifecycleStage: 'production' }), 'lifecycleStage'],
    ['goLiveDate not a date', () => validSystem({ goLiveDate: 'tomorrow' }), 'goLiveDate'],
    ['goLiveDate 30 February', () => validSystem({ goLiveDate: '2026-02-30' }), 'goLiveDate'],
    ['goLiveDate month 13', () => validSystem({ goLiveDate: '2026-13-01' }), 'goLiveDate'],
    ['goLiveDate without padding', () => validSystem({ goLiveDate: '2026-1-5' }), 'goLiveDate'],
    ['goLiveDate with a time', () => validSystem({ goLiveDate: '2026-01-05T00:00:00Z' }), 'goLiveDate'],
    ['goLiveDate as a number', () => validSystem({ goLiveDate: 20260105 }), 'goLiveDate'],
    ['dataInputs as a string', () => validSystem({ dataInputs: 'forms' }), 'dataInputs'],
    ['dataOutputs with a number', () => validSystem({ dataOutputs: ['score', 3] }), 'dataOutputs'],
    ['dataOutputs with an empty item', () => validSystem({ dataOutputs: [''] }), 'dataOutputs'],
    ['oversightMeasures item over 500 chars', () => validSystem({ oversightMeasures: ['o'.repeat(501)] }), 'oversightMeasures'],
    ['more than 100 dataInputs', () => validSystem({ dataInputs: Array.from({ length: 101 }, (_, i) => `input ${i}`) }), 'dataInputs'],
    ['unknown complianceStatus', () => validSystem({ complianceStatus: 'fine' }), 'complianceStatus'],
    ['an unknown field', () => validSystem({ vendorScore: 9 }), 'vendorScore'],
    ['a read-only field', () => validSystem({ id: UNKNOWN_ID }), 'id'],
  ];

  it.each(BAD)('POST /systems with %s -> 400 naming the field, no row', async (_label, body, field) => {
    const before = await counts();
    expectFieldError(await api().post('/systems').set(admin()).send(body()), field);
    expect(await counts()).toEqual(before);
  });

  it('POST /systems refuses a non-object body and names every bad field at once', async () => {
    expectFieldError(await api().post('/systems').set(admin()).send([validSystem()]), 'body');
    const res = await api()
      .post('/systems')
      .set(admin())
      .send(validSystem({ riskTier: 'x', lifecycleStage: 'y', extra: 1 }));
    for (const f of ['riskTier', 'lifecycleStage', 'extra']) expectFieldError(res, f);
    const tier = res.body.errors.find((e: any) => e.field === 'riskTier');
    expect(tier.messages).toContain('riskTier must be one of the following values: unacceptable, high, limited, minimal');
  });

  it('GET /systems/:id: 400 malformed, 404 unknown; GET /systems: 400 on bad filters', async () => {
    expectFieldError(await api().get('/systems/123').set(admin()), 'id');
    const res = await api().get(`/systems/${UNKNOWN_ID}`).set(admin());
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: `AI system ${UNKNOWN_ID} not found` });
    for (const [q, field] of [
      ['riskTier=severe', 'riskTier'],
      ['lifecycleStage=done', 'lifecycleStage'],
      ['ownerId=me', 'ownerId'],
      ['limit=500', 'limit'],
      ['offset=-2', 'offset'],
      ['q=credit', 'q'],
    ]) {
      expectFieldError(await api().get(`/systems?${q}`).set(admin()), field);
    }
  });

  it('PATCH /systems/:id validates like create: 400 empty / null / bad / unknown, 404 unknown id; nothing changes', async () => {
    const s = (await api().post('/systems').set(admin()).send(validSystem())).body;
    const before = await counts();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'body'],
      [{ name: null }, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'n'.repeat(201) }, 'name'],
      [{ description: 5 }, 'description'],
      [{ riskTier: 'extreme' }, 'riskTier'],
      [{ riskTier: null }, 'riskTier'],
      [{ lifecycleStage: 'sunset' }, 'lifecycleStage'],
      [{ provider: { type: 'third_party' } }, 'provider.name'],
      [{ provider: null }, 'provider'],
      [{ ownerId: 'x' }, 'ownerId'],
      [{ goLiveDate: '2026-02-29' }, 'goLiveDate'],
      [{ dataInputs: [1] }, 'dataInputs'],
      [{ oversightMeasures: null }, 'oversightMeasures'],
      [{ complianceStatus: 'ok' }, 'complianceStatus'],
      [{ createdAt: '2020-01-01' }, 'createdAt'],
    ];
    for (const [body, field] of cases) {
      expectFieldError(await api().patch(`/systems/${s.id}`).set(admin()).send(body), field);
    }
    expectFieldError(await api().patch('/systems/nope').set(admin()).send({ riskTier: 'high' }), 'id');
    const unknown = await api().patch(`/systems/${UNKNOWN_ID}`).set(admin()).send({ riskTier: 'high' });
    expect(unknown.status).toBe(404);
    expect(await counts()).toEqual(before);
    expect((await api().get(`/systems/${s.id}`).set(admin())).body).toEqual({ ...s, recertification: NO_RECERTIFICATION_YET });
  });
});

describe('when Temporal is unreachable', () => {
  let outage: ApiProcess;

  beforeAll(async () => {
    outage = await startApi({
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: await unreachableAddress(),
      TEMPORAL_NAMESPACE: stack.temporalNamespace,
      AIMS_ADMIN_TOKEN: stack.adminToken,
    });
  }, 120_000);

  afterAll(async () => {
    await outage?.stop();
  }, 60_000);

  const outageApi = () => request(outage.url);

  it('/health answers 503 naming the dependency that is down', async () => {
    const res = await outageApi().get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', checks: { database: 'up', temporal: 'down' } });
  });

  it('registering a system answers 503 and leaves no row and no audit event', async () => {
    const before = await counts();
    const body = validSystem({ riskTier: 'high', lifecycleStage: 'operation_and_monitoring' });
    const res = await outageApi().post('/systems').set(admin()).send(body);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('Temporal') });
    expect(await counts()).toEqual(before);
    expect(await db.query(`SELECT 1 FROM ai_systems WHERE name = $1`, [body.name])).toHaveLength(0);
  });

  it('a reclassification answers 503 and is rolled back; a change that needs no cadence update still works', async () => {
    const s = (
      await api()
        .post('/systems')
        .set(admin())
        .send(validSystem({ riskTier: 'limited' }))
    ).body;
    const before = await counts();
    const res = await outageApi().patch(`/systems/${s.id}`).set(admin()).send({ riskTier: 'high' });
    expect(res.status).toBe(503);
    expect(await counts()).toEqual(before);
    expect((await api().get(`/systems/${s.id}`).set(admin())).body.riskTier).toBe('limited');

    const text = await outageApi().patch(`/systems/${s.id}`).set(admin()).send({ description: 'Edited while Temporal was down' });
    expect(text.status).toBe(200);
    expect(text.body.description).toBe('Edited while Temporal was down');
  });
});

describe('bootstrap admin', () => {
  it('two API processes starting at once on a fresh database create exactly one admin and print its token once', async () => {
    const dbName = `bootstrap_race_${Date.now()}`;
    await db.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(stack.databaseUrl);
    url.pathname = `/${dbName}`;
    const freshUrl = url.toString();
    await runMigrations(freshUrl, () => undefined);

    const temporal = await unreachableAddress();
    const env = { DATABASE_URL: freshUrl, TEMPORAL_ADDRESS: temporal };
    const apis = await Promise.all([startApi(env), startApi(env)]);
    const fresh = createDataSource(freshUrl, { poolSize: 1 });
    await fresh.initialize();
    try {
      const admins = await fresh.query(`SELECT id, name, email FROM people WHERE role = 'admin'`);
      expect(admins).toEqual([{ id: expect.any(String), name: 'Bootstrap admin', email: 'admin@aims.local' }]);
      expect(await fresh.query(`SELECT person_id FROM api_tokens`)).toEqual([{ person_id: admins[0].id }]);

      const printed = apis.map((a) => /Bootstrap admin token: (aims_[A-Za-z0-9_-]+)/.exec(a.output())?.[1]).filter(Boolean) as string[];
      expect(printed).toHaveLength(1);
      for (const a of apis) {
        const res = await request(a.url).get('/people').set(bearer(printed[0]));
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(1);
      }
    } finally {
      await Promise.all(apis.map((a) => a.stop()));
    }

    // Restarted with AIMS_ADMIN_TOKEN: the token is registered for the existing admin, no second admin.
    const envToken = 'aims_configured-admin-token-0123456789';
    const again = await startApi({ ...env, AIMS_ADMIN_TOKEN: envToken });
    try {
      expect(again.output()).not.toContain('Bootstrap admin token');
      const res = await request(again.url).get('/people').set(bearer(envToken));
      expect(res.status).toBe(200);
      expect(await fresh.query(`SELECT count(*)::int AS n FROM people WHERE role = 'admin'`)).toEqual([{ n: 1 }]);
      expect(await fresh.query(`SELECT count(*)::int AS n FROM api_tokens`)).toEqual([{ n: 2 }]);
    } finally {
      await again.stop();
      await fresh.destroy();
      await db.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    }
  }, 180_000);
});
