import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The AI policy register (ISO/IEC 42001 5.2, A.2) and its reviews (A.2.4): a policy's current
 * version, document and approver are written by an approved review; `policy_reviews` is the
 * read model of the `policyReview` workflows (one row per review, its latest status).
 */
export class PolicyRegister1764330000000 implements MigrationInterface {
  name = 'PolicyRegister1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policies (
        id uuid PRIMARY KEY,
        title text NOT NULL CHECK (btrim(title) <> ''),
        owner_id uuid NOT NULL REFERENCES people(id),
        version text NOT NULL CHECK (btrim(version) <> ''),
        document_url text NOT NULL,
        approved_by uuid NULL REFERENCES people(id),
        last_reviewed_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX policies_owner_idx ON policies (owner_id)`);
    await q.query(`
      CREATE TABLE policy_reviews (
        id text PRIMARY KEY,
        policy_id uuid NOT NULL REFERENCES policies(id),
        review_key text NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('yearly', 'major-change')),
        task_id text NOT NULL,
        state text NOT NULL,
        opened_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        approved_by uuid NULL,
        approved_at timestamptz NULL,
        status jsonb NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (policy_id, review_key)
      )`);
    await q.query(`CREATE INDEX policy_reviews_open_idx ON policy_reviews (policy_id) WHERE state IN ('opening', 'open', 'submitted')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policy_reviews`);
    await q.query(`DROP TABLE policies`);
  }
}
