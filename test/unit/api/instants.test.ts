import type { ArgumentMetadata } from '@nestjs/common';
import { IsInstant, IsOptionalInstant } from '../../../apps/api/common/date-time';
import { AppValidationPipe, ValidationFailedException } from '../../../apps/api/common/validation';

class DueDto {
  @IsInstant('dueAt', '2026-11-30T17:00:00Z') dueAt!: string;
  @IsOptionalInstant('from', '2026-10-01T00:00:00Z') from?: string | null;
}

async function fieldsRefused(value: object, type: ArgumentMetadata['type'] = 'body'): Promise<string[]> {
  try {
    await new AppValidationPipe().transform(value, { type, metatype: DueDto });
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationFailedException);
    return (err as ValidationFailedException).errors.map((e) => e.field);
  }
}

it('takes RFC 3339 instants in bodies and queries alike: seconds, an optional fraction, Z or an offset with a colon', async () => {
  for (const at of ['2026-11-30T17:00:00Z', '2026-11-30T18:00:00.5+01:00', '2028-02-29T23:59:59.123456789-05:30']) {
    expect(await fieldsRefused({ dueAt: at, from: at })).toEqual([]);
    expect(await fieldsRefused({ dueAt: at, from: at }, 'query')).toEqual([]);
  }
  expect(await fieldsRefused({ dueAt: '2026-11-30T17:00:00Z', from: null })).toEqual([]);
});

it('refuses what format: date-time does not allow, by field: minutes alone, no zone, an offset without a colon, a date, a day that does not exist', async () => {
  for (const bad of ['2026-11-30T17:00Z', '2026-11-30T17:00:00', '2026-11-30T17:00:00+0100', '2026-11-30', '2027-02-29T00:00:00Z']) {
    expect(await fieldsRefused({ dueAt: bad, from: bad })).toEqual(['dueAt', 'from']);
    expect(await fieldsRefused({ dueAt: bad, from: bad }, 'query')).toEqual(['dueAt', 'from']);
  }
});
