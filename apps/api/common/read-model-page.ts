/** One page of a read-model table: a WHERE built from the filters given, the total by a count of the same WHERE. */
import type { DataSource } from 'typeorm';
import { Page, pageParams, PaginationQueryDto } from './pagination.dto';

/** AND-ed conditions with numbered parameters. */
export class SqlFilter {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** `column = value`, when a value is given. */
  eq(column: string, value: unknown): this {
    if (value !== undefined) this.conditions.push(`${column} = $${this.params.push(value)}`);
    return this;
  }

  /** `column <op> value` (a comparison such as `>=`), when a value is given. */
  compare(column: string, op: '<' | '<=' | '>' | '>=', value: unknown): this {
    if (value !== undefined) this.conditions.push(`${column} ${op} $${this.params.push(value)}`);
    return this;
  }

  /** A condition on one value, written with `$?` where the value goes, when a value is given. */
  matches(sql: (param: string) => string, value: unknown): this {
    if (value !== undefined) this.conditions.push(sql(`$${this.params.push(value)}`));
    return this;
  }

  /** A condition without parameters, when `on` holds. */
  when(on: boolean, sql: string): this {
    if (on) this.conditions.push(sql);
    return this;
  }

  get where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/**
 * The page and its total in one statement: the page by the ORDER BY's index (LIMIT stops the
 * scan; a window function's total would read and sort every matching row first), the total an
 * exact count(*) of the same WHERE, an InitPlan run once, which the narrow indexes answer.
 */
export async function readModelPage<R, V>(
  db: DataSource,
  query: { select: string; from: string; filter: SqlFilter; orderBy: string },
  q: PaginationQueryDto,
  toView: (row: R) => V,
): Promise<Page<V>> {
  const { limit, offset } = pageParams(q);
  const { select, from, filter, orderBy } = query;
  const n = filter.params.length;
  const rows: Array<R & { total: string }> = await db.query(
    `SELECT ${select}, (SELECT count(*) FROM ${from} ${filter.where}) AS total FROM ${from} ${filter.where}
      ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...filter.params, limit, offset],
  );
  let total = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && offset > 0) {
    // Past the last page: no row carried the total.
    const [c] = await db.query(`SELECT count(*)::int AS n FROM ${from} ${filter.where}`, filter.params);
    total = c.n;
  }
  return { items: rows.map(toView), total, limit, offset };
}
