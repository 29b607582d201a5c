/** What several e2e suites do over HTTP against a started TestStack. */
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { TestStack } from '../../support/stack';

/** Valid answers to a kind's built-in form (test/support/form-answers.ts), so tests submit what the form asks. */
export { validAnswers } from '../../support/form-answers';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A 400 in the validation format that names `field` among its errors. */
export function expectFieldError(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ statusCode: 400, message: 'Validation failed' });
  const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field);
  if (!fields.includes(field)) throw new Error(`expected an error on '${field}', got ${JSON.stringify(res.body.errors)}`);
}

/** One audit stream's events (what happened, with its detail), in chain order, as PostgreSQL holds them. */
export function streamEvents(
  db: Pick<DataSource, 'query'>,
  streamId: string,
): Promise<Array<{ event: string; detail: Record<string, unknown> }>> {
  return db.query(`SELECT event, detail FROM audit_events WHERE stream_id = $1 ORDER BY seq`, [streamId]);
}

/** Polls `fn` until it returns something truthy; fails with the last error after the timeout. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface RegisteredPerson {
  id: string;
  email: string;
  token: string;
}

/** Registers a person (as the bootstrap admin) and issues them a token. */
export async function registerPerson(
  stack: TestStack,
  name: string,
  role: string,
  uniq: string,
  managerId?: string,
): Promise<RegisteredPerson> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${uniq}@example.test`;
  const admin = { Authorization: stack.adminAuth };
  const res = await request(stack.apiUrl)
    .post('/people')
    .set(admin)
    .send({ name: `${name} ${uniq}`, email, role, ...(managerId ? { managerId } : {}) });
  if (res.status !== 201) throw new Error(`POST /people answered ${res.status}: ${JSON.stringify(res.body)}`);
  const tok = await request(stack.apiUrl).post(`/people/${res.body.id}/tokens`).set(admin).send({ label: 'e2e' });
  if (tok.status !== 201) throw new Error(`POST /people/:id/tokens answered ${tok.status}: ${JSON.stringify(tok.body)}`);
  return { id: res.body.id, email, token: tok.body.token };
}

/** A valid POST /systems body with `over` on top. */
export function systemBody(over: Record<string, unknown>): Record<string, unknown> {
  return {
    description: 'e2e system',
    purpose: 'testing cadences',
    provider: { type: 'internal' },
    deployer: 'Risk IT',
    dataInputs: ['applications'],
    dataOutputs: ['scores'],
    oversightMeasures: ['human review of declines'],
    ...over,
  };
}

/** `GET /audit-package` read as bytes (the ZIP), with its status and headers. */
export function downloadAuditPackage(stack: TestStack, token: string, query: Record<string, string> = {}): Promise<request.Response> {
  return request(stack.apiUrl)
    .get('/audit-package')
    .query(query)
    .set(bearer(token))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}
