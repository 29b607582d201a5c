import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FindOptionsOrder, FindOptionsWhere, Repository } from 'typeorm';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
/** The largest offset accepted (beyond it, a number is no longer exact); larger is a 400, never a 500. */
export const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

/** `?limit=&offset=` on list endpoints. */
export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional()
  @Type(() => Number)
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

/** One page of an entity's rows in registration order, with the total, mapped to views. */
export async function findPage<E extends { createdAt: Date; id: string }, V>(
  repo: Repository<E>,
  where: FindOptionsWhere<E>,
  q: PaginationQueryDto,
  toView: (row: E) => V,
): Promise<Page<V>> {
  const { limit, offset } = pageParams(q);
  const [rows, total] = await repo.findAndCount({
    where,
    order: { createdAt: 'ASC', id: 'ASC' } as FindOptionsOrder<E>,
    take: limit,
    skip: offset,
  });
  return { items: rows.map(toView), total, limit, offset };
}
