import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People can be deactivated (and reactivated); tokens can expire. Existing people stay
 * active and existing tokens never expire.
 */
export class PeopleAndTokenLifecycle1764100000000 implements MigrationInterface {
  name = 'PeopleAndTokenLifecycle1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE people ADD COLUMN active boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE people ADD COLUMN deactivated_at timestamptz NULL`);
    await q.query(`ALTER TABLE people ADD CONSTRAINT people_deactivated_at_check CHECK (active = (deactivated_at IS NULL))`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz NULL`);
    await q.query(
      `ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_expires_after_created CHECK (expires_at IS NULL OR expires_at > created_at)`,
    );
    await q.query(`CREATE INDEX api_tokens_person_idx ON api_tokens (person_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_tokens_person_idx`);
    await q.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_expires_after_created`);
    await q.query(`ALTER TABLE api_tokens DROP COLUMN expires_at`);
    await q.query(`ALTER TABLE people DROP CONSTRAINT people_deactivated_at_check`);
    await q.query(`ALTER TABLE people DROP COLUMN deactivated_at`);
    await q.query(`ALTER TABLE people DROP COLUMN active`);
  }
}
