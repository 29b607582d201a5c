import { mapDatabaseError } from '../../../apps/api/common/http-exception.filter';

it('maps constraint and bad-value errors of PostgreSQL to client errors, and leaves the rest to a 500', () => {
  expect(mapDatabaseError({ code: '23505', detail: 'Key (email)=(a@b) already exists.' })?.statusCode).toBe(409);
  expect(mapDatabaseError({ code: '23503', detail: 'Key (owner_id)=(x) is not present in table "people".' })?.statusCode).toBe(404);
  expect(mapDatabaseError({ code: '23503', detail: 'Key (id)=(x) is still referenced from table "tasks".' })?.statusCode).toBe(409);
  for (const code of ['23514', '23502', '22P02', '22007', '22008', '22001']) expect(mapDatabaseError({ code })?.statusCode).toBe(400);
  // A NUL character in text (22021) or in a JSON string (22P05): the client's input, never a server fault.
  for (const code of ['22021', '22P05']) {
    expect(mapDatabaseError({ code, message: 'invalid byte sequence for encoding "UTF8": 0x00' })).toMatchObject({
      statusCode: 400,
      message: 'invalid text: a value holds a character that cannot be stored (such as NUL, U+0000)',
    });
  }
  for (const code of ['40001', '53300', '57P01', 'XX000']) expect(mapDatabaseError({ code })).toBeUndefined();
});
