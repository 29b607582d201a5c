import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Private iCalendar feeds: a person's secret feed URLs. Only the secret's sha256 is stored
 * (the URL is shown once); a revoked feed keeps its row, so the person's list and the audit
 * trail still name it.
 */
export class CalendarFeeds1764400000000 implements MigrationInterface {
  name = 'CalendarFeeds1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feeds (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES people(id),
        secret_hash text NOT NULL UNIQUE,
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL,
        last_fetched_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX calendar_feeds_person_idx ON calendar_feeds (person_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feeds`);
  }
}
