import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in for people in a browser: one-time links sent by email (single use, short-lived) and
 * the cookie sessions they open. Only hashes of the secrets are stored.
 */
export class WebSessions1764390000000 implements MigrationInterface {
  name = 'WebSessions1764390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES people(id),
        token_hash text NOT NULL UNIQUE,
        next_path text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX sign_in_links_person_idx ON sign_in_links (person_id, created_at)`);
    await q.query(`
      CREATE TABLE web_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES people(id),
        token_hash text NOT NULL UNIQUE,
        method text NOT NULL CHECK (method IN ('sign-in-link', 'api-token')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX web_sessions_person_idx ON web_sessions (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sessions`);
    await q.query(`DROP TABLE sign_in_links`);
  }
}
