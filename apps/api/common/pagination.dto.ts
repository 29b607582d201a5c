import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FindOptionsOrder, FindOptionsWhere, Repository } from 'typeorm';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
/** The largest offset accepted (beyond it, a number is no longer exact); larger is a 400, never a 500. */
export const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

/** A JSON number's grammar: what the document's `integer` means on the wire. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A query number: only a number as JSON writes it; anything else (`?offset=`, `0x10`, ` 5`)
 * becomes NaN and is refused like `abc` (Number() would read '' and ' ' as 0).
 */
export const toQueryNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' ? value : typeof value === 'string' && JSON_NUMBER.test(value) ? Number(value) : NaN;

/** `?limit=&offset=` on list endpoints. */
export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Transform(toQueryNumber)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional()
  @Transform(toQueryNumber)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}

/** Every list endpoint answers `{ items, total, limit, offset }`. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function pageParams(q: PaginationQueryDto): { limit: number; offset: number } {
  return { limit: q.limit ?? DEFAULT_PAGE_SIZE, offset: q.offset ?? 0 };
}

/**
 * One page of an entity's rows in registration order, with the total, mapped to views. The page
 * walks the (created_at, id) index; the total is a plain count(*) of the same WHERE (TypeORM's
 * own count is a COUNT(DISTINCT id), which hashes every matching id), run alongside.
 */
export async function findPage<E extends { createdAt: Date; id: string }, V>(
  repo: Repository<E>,
  where: FindOptionsWhere<E>,
  q: PaginationQueryDto,
  toView: (row: E) => V,
): Promise<Page<V>> {
  const { limit, offset } = pageParams(q);
  const [rows, count] = await Promise.all([
    repo.find({ where, order: { createdAt: 'ASC', id: 'ASC' } as FindOptionsOrder<E>, take: limit, skip: offset }),
    repo.createQueryBuilder('e').setFindOptions({ where }).select('count(*)::int', 'n').getRawOne<{ n: number }>(),
  ]);
  return { items: rows.map(toView), total: count?.n ?? 0, limit, offset };
}
