/**
 * Sign-in for people in a browser, against the real stack: a one-time link by email (stored
 * hashed, single use, 15 minutes), or an API token; the session is an HttpOnly SameSite=Strict
 * cookie, and a state-changing request made with it needs the session's CSRF token.
 */
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, expectFieldError, registerPerson, RegisteredPerson, streamEvents } from './support/fixtures';

let stack: TestStack;
let db: DataSource;
let olive: RegisteredPerson;
const uniq = Date.now().toString(36);
const api = () => request(stack.apiUrl);

/** Asks for a link and reads its token from the email the person receives. */
async function linkFromInbox(email: string, next?: string): Promise<{ token: string; url: string }> {
  await stack.inbox.clear();
  const res = await api()
    .post('/auth/sign-in-links')
    .send({ email, ...(next ? { next } : {}) });
  expect(res.status).toBe(202);
  const mail = await stack.inbox.waitFor((m) => m.to.includes(email.toLowerCase()) && /sign-in link/.test(m.subject));
  const m = /(\S+\/app\/sign-in#link=(\S+))/.exec(mail.text);
  if (!m) throw new Error(`no sign-in link in: ${mail.text}`);
  return { url: m[1], token: m[2] };
}

/** The session cookie's `name=value` from a response, and its attributes. */
function sessionCookie(res: request.Response): { pair: string; attributes: string[] } {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('aims_session='));
  if (!cookie) throw new Error(`no aims_session cookie in ${JSON.stringify(cookies)}`);
  const [pair, ...attributes] = cookie.split(';').map((p) => p.trim());
  return { pair, attributes: attributes.map((a) => a.toLowerCase()) };
}

beforeAll(async () => {
  stack = await startTestStack();
  db = createDataSource(stack.databaseUrl, { poolSize: 2 });
  await db.initialize();
  olive = await registerPerson(stack, 'Olive Owner', 'owner', uniq);
}, 300_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
  await stack?.stop();
}, 120_000);

describe('sign-in links', () => {
  it('emails a link to the app that works once, valid 15 minutes, stored only as a hash, landing on the page asked for', async () => {
    const next = '/app/tasks/high-risk-review%3Ax%3A2026-Q4';
    const { url, token } = await linkFromInbox(olive.email, next);
    expect(url).toBe(`${stack.apiUrl}/app/sign-in#link=${token}`);

    const rows: Array<{ token_hash: string; ttl: number; next_path: string }> = await db.query(
      `SELECT l.token_hash, extract(epoch FROM l.expires_at - l.created_at)::int AS ttl, l.next_path
         FROM sign_in_links l JOIN people p ON p.id = l.person_id WHERE p.id = $1 ORDER BY l.created_at DESC LIMIT 1`,
      [olive.id],
    );
    expect(rows[0]).toMatchObject({ ttl: 15 * 60, next_path: next });
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toContain(token);

    const first = await api().post('/auth/sessions').send({ signInLink: token });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ person: { id: olive.id, role: 'owner' }, next });
    expect(first.body.csrfToken).toEqual(expect.any(String));
    const { attributes } = sessionCookie(first);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    expect(attributes.some((a) => a.startsWith('expires='))).toBe(true);

    const again = await api().post('/auth/sessions').send({ signInLink: token });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();

    const events = await streamEvents(db, `person:${olive.id}`);
    expect(events.filter((e) => e.event === 'session.started').map((e) => e.detail.method)).toContain('sign-in-link');
  });

  it('of two sign-ins with the same link at once, exactly one gets a session', async () => {
    const { token } = await linkFromInbox(olive.email);
    const answers = await Promise.all([0, 1, 2].map(() => api().post('/auth/sessions').send({ signInLink: token })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401, 401]);
  });

  it('an expired link is refused', async () => {
    const { token } = await linkFromInbox(olive.email);
    await db.query(`UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE person_id = $1 AND used_at IS NULL`, [
      olive.id,
    ]);
    const res = await api().post('/auth/sessions').send({ signInLink: token });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/used, expired or unknown/);
  });

  it('answers an unknown address exactly as a known one, and sends nothing', async () => {
    await stack.inbox.clear();
    const res = await api()
      .post('/auth/sign-in-links')
      .send({ email: `nobody.${uniq}@example.test` });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ sent: true, expiresInMinutes: 15 });
    // A known address right after: its email arriving first shows nothing was queued before it.
    await linkFromInbox(olive.email);
    expect((await stack.inbox.list()).filter((m) => m.to.includes(`nobody.${uniq}@example.test`))).toEqual([]);
  });

  it('refuses a next page outside the app and bad bodies, by field', async () => {
    expectFieldError(await api().post('/auth/sign-in-links').send({ email: olive.email, next: 'https://evil.example/app' }), 'next');
    expectFieldError(await api().post('/auth/sign-in-links').send({ email: 'not-an-address' }), 'email');
    expectFieldError(await api().post('/auth/sessions').send({}), 'signInLink');
    expectFieldError(await api().post('/auth/sessions').send({ signInLink: 'a', apiToken: 'b' }), 'apiToken');
  });
});

describe('sessions', () => {
  it('an API token opens a session; the cookie authenticates reads, and changes need the CSRF token', async () => {
    expect((await api().post('/auth/sessions').send({ apiToken: 'aims_wrong' })).status).toBe(401);
    const started = await api().post('/auth/sessions').send({ apiToken: olive.token });
    expect(started.status).toBe(201);
    const { pair } = sessionCookie(started);
    const csrf: string = started.body.csrfToken;

    const me = await api().get('/auth/session').set('Cookie', pair);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ person: { id: olive.id }, csrfToken: csrf });
    expect((await api().get(`/tasks?ownerId=${olive.id}`).set('Cookie', pair)).status).toBe(200);

    // A change with the cookie alone (what a forged cross-site form would send) is refused.
    const forged = await api().post('/incidents').set('Cookie', pair).send({});
    expect(forged.status).toBe(403);
    expect(forged.body.message).toMatch(/CSRF/);
    expect((await api().post('/incidents').set('Cookie', pair).set('X-CSRF-Token', `${csrf}x`).send({})).status).toBe(403);
    // With the token it passes the guard: the empty body reaches validation.
    const withToken = await api().post('/incidents').set('Cookie', pair).set('X-CSRF-Token', csrf).send({});
    expect(withToken.status).toBe(400);
    expect(withToken.body.message).toBe('Validation failed');

    // A bearer token needs no CSRF token.
    expect((await api().get('/auth/session').set(bearer(olive.token))).body).toEqual({ person: expect.objectContaining({ id: olive.id }) });

    expect((await api().delete('/auth/session').set('Cookie', pair)).status).toBe(403);
    const out = await api().delete('/auth/session').set('Cookie', pair).set('X-CSRF-Token', csrf);
    expect(out.status).toBe(204);
    expect(([] as string[]).concat(out.headers['set-cookie'] ?? []).some((c) => /^aims_session=;/.test(c))).toBe(true);
    expect((await api().get('/auth/session').set('Cookie', pair)).status).toBe(401);
  });

  it('a deactivated person loses their sessions', async () => {
    const gone = await registerPerson(stack, 'Gus Gone', 'owner', uniq);
    const started = await api().post('/auth/sessions').send({ apiToken: gone.token });
    const { pair } = sessionCookie(started);
    expect((await api().get('/auth/session').set('Cookie', pair)).status).toBe(200);
    expect((await api().patch(`/people/${gone.id}`).set(bearer(stack.adminToken)).send({ active: false })).status).toBe(200);
    expect((await api().get('/auth/session').set('Cookie', pair)).status).toBe(401);
    // Reactivated, they sign in again: the old session stays ended.
    expect((await api().patch(`/people/${gone.id}`).set(bearer(stack.adminToken)).send({ active: true })).status).toBe(200);
    expect((await api().get('/auth/session').set('Cookie', pair)).status).toBe(401);
    const ended = (await streamEvents(db, `person:${gone.id}`)).find((e) => e.event === 'person.deactivated');
    expect(ended?.detail.endedSessionIds).toHaveLength(1);
  });
});
