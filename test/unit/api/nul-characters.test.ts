import type { ArgumentMetadata } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { AppValidationPipe, fieldsWithNul, ValidationFailedException } from '../../../apps/api/common/validation';

class NoteDto {
  @IsOptional() @IsString() note?: string;
  @IsOptional() @IsString({ each: true }) tags?: string[];
}

const body: ArgumentMetadata = { type: 'body', metatype: NoteDto };

async function refusal(value: unknown, metadata: ArgumentMetadata = body): Promise<unknown> {
  try {
    await new AppValidationPipe().transform(value, metadata);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationFailedException);
    return (err as ValidationFailedException).errors;
  }
  throw new Error('not refused');
}

it('names every field whose text holds a NUL, nested and in arrays, and keys too', () => {
  expect(fieldsWithNul({ a: 'ok', b: 'x\u0000', c: { d: ['fine', 'n\u0000'] }, ['k\u0000']: 1 })).toEqual(['b', 'c.d.1', 'k\u0000']);
  expect(fieldsWithNul('\u0000')).toEqual(['body']);
  expect(fieldsWithNul({ a: 1, b: null, c: true, d: 'plain' })).toEqual([]);
});

it('refuses a body or a query with NUL by field before any validation or write', async () => {
  expect(await refusal({ note: 'a\u0000b' })).toEqual([{ field: 'note', messages: ['note must not contain a NUL character (U+0000)'] }]);
  expect(await refusal({ tags: ['x', '\u0000'] })).toEqual([
    { field: 'tags.1', messages: ['tags.1 must not contain a NUL character (U+0000)'] },
  ]);
  expect(await refusal({ note: '\u0000' }, { type: 'query', metatype: NoteDto })).toEqual([
    { field: 'note', messages: ['note must not contain a NUL character (U+0000)'] },
  ]);
});

it('lets text without NUL through', async () => {
  await expect(new AppValidationPipe().transform({ note: 'line one, ünïcode ✓', tags: ['a'] }, body)).resolves.toBeInstanceOf(NoteDto);
});
