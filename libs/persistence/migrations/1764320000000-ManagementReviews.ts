import { MigrationInterface, QueryRunner } from 'typeorm';

/** The management reviews (ISO/IEC 42001 9.3): one row per review, its latest snapshot (pack, proposals, decisions). */
export class ManagementReviews1764320000000 implements MigrationInterface {
  name = 'ManagementReviews1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE management_reviews (
        id text PRIMARY KEY,
        period text NOT NULL,
        state text NOT NULL CHECK (state IN ('open','closed')),
        opened_at timestamptz NOT NULL,
        closed_at timestamptz NULL,
        status jsonb NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX management_reviews_opened_idx ON management_reviews (opened_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE management_reviews`);
  }
}
