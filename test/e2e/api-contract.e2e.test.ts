/**
 * The OpenAPI document tells what the validators enforce (issue 8, item 7): the classes of
 * mismatch schemathesis found, pinned one by one against the real stack.
 */
import request from 'supertest';
import { startTestStack, TestStack } from '../support/stack';

let stack: TestStack;
let doc: any;

beforeAll(async () => {
  stack = await startTestStack();
  doc = (await request(stack.apiUrl).get('/docs-json').expect(200)).body;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const api = () => request(stack.apiUrl);

test('a number beyond what a page offset can be is a 400 naming the field, never a 500', async () => {
  const res = await api().get('/systems?offset=1.3e308').set('Authorization', stack.adminAuth);
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([{ field: 'offset', messages: [`offset must not be greater than ${Number.MAX_SAFE_INTEGER}`] }]);
  const offset = doc.paths['/systems'].get.parameters.find((p: { name: string }) => p.name === 'offset');
  expect(offset.schema).toMatchObject({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
});

test('a query number must be written as a number: an empty or hexadecimal offset is refused like any other non-number', async () => {
  for (const offset of ['', '0x10', '%205']) {
    const res = await api().get(`/people?offset=${offset}`).set('Authorization', stack.adminAuth);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('offset');
  }
  expect((await api().get('/people?offset=0&limit=1e1').set('Authorization', stack.adminAuth)).body).toMatchObject({
    limit: 10,
    offset: 0,
  });
});

test('an undeclared method on a known path answers 405 with Allow', async () => {
  const res = await api().put('/systems').set('Authorization', stack.adminAuth);
  expect(res.status).toBe(405);
  expect(res.headers.allow).toBe('GET, POST, HEAD');
  const one = await api().delete('/systems/00000000-0000-4000-8000-000000000000').set('Authorization', stack.adminAuth);
  expect(one.status).toBe(405);
  expect(one.headers.allow).toBe('GET, PATCH, HEAD');
  // An unknown path stays a 404.
  expect((await api().put('/nowhere').set('Authorization', stack.adminAuth)).status).toBe(404);
});

test('/docs-json carries the validators: no unknown fields, uuid path ids, lengths, non-blank texts', async () => {
  const person = doc.components.schemas.CreatePersonDto;
  expect(person.additionalProperties).toBe(false);
  // A trimmed text counts its length after the trim: a pattern says so, not the raw maxLength.
  expect(person.properties.name).toMatchObject({ type: 'string' });
  expect(person.properties.name.maxLength).toBeUndefined();
  const name = new RegExp(person.properties.name.pattern);
  expect(['Ada', `  ${'a'.repeat(200)}\t`].map((v) => name.test(v))).toEqual([true, true]);
  expect(['   ', 'a'.repeat(201)].map((v) => name.test(v))).toEqual([false, false]);
  expect(person.properties.email).toMatchObject({ type: 'string', format: 'email' });
  expect(person.properties.managerId).toMatchObject({ type: 'string', format: 'uuid' });
  expect(doc.components.schemas.UpdateSystemDto.minProperties).toBe(1);
  const id = doc.paths['/systems/{id}'].get.parameters.find((p: { name: string }) => p.name === 'id');
  expect(id.schema).toMatchObject({ type: 'string', format: 'uuid' });
  const limit = doc.paths['/people'].get.parameters.find((p: { name: string }) => p.name === 'limit');
  expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
  // Every operation with input documents its 400 answer.
  expect(doc.paths['/systems/{id}'].get.responses['400'].content['application/json'].schema.$ref).toBe(
    '#/components/schemas/ValidationErrorBody',
  );
});
