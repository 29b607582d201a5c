import { MigrationInterface, QueryRunner } from 'typeorm';

/** People, tokens, the AI inventory, the task read model, the audit trail and the email outbox. */
export class InitialSchema1763880000000 implements MigrationInterface {
  name = 'InitialSchema1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE people (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','governance_lead','owner','responder','management','auditor')),
        manager_id uuid NULL REFERENCES people(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (manager_id IS NULL OR manager_id <> id)
      )`);
    await q.query(`CREATE UNIQUE INDEX people_email_key ON people (lower(email))`);
    await q.query(`CREATE INDEX people_role_idx ON people (role)`);

    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES people(id),
        token_hash text NOT NULL UNIQUE,
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NULL,
        revoked_at timestamptz NULL
      )`);

    await q.query(`
      CREATE TABLE ai_systems (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text NOT NULL,
        purpose text NOT NULL,
        provider_type text NOT NULL CHECK (provider_type IN ('internal','third_party')),
        provider_name text NULL,
        deployer text NOT NULL,
        owner_id uuid NOT NULL REFERENCES people(id),
        business_unit text NULL,
        risk_tier text NOT NULL CHECK (risk_tier IN ('unacceptable','high','limited','minimal')),
        lifecycle_stage text NOT NULL CHECK (lifecycle_stage IN ('inception','design_and_development','verification_and_validation','deployment','operation_and_monitoring','re_evaluation','retirement')),
        go_live_date date NULL,
        data_inputs jsonb NOT NULL DEFAULT '[]',
        data_outputs jsonb NOT NULL DEFAULT '[]',
        oversight_measures jsonb NOT NULL DEFAULT '[]',
        compliance_status text NOT NULL DEFAULT 'not_assessed',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (provider_type = 'internal' OR provider_name IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX ai_systems_name_key ON ai_systems (lower(name))`);
    await q.query(`CREATE INDEX ai_systems_owner_idx ON ai_systems (owner_id)`);

    // Read model of every governanceTask, written only by idempotent activities.
    await q.query(`
      CREATE TABLE tasks (
        id text PRIMARY KEY,
        kind text NOT NULL,
        title text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        owner_id uuid NOT NULL,
        state text NOT NULL,
        opened_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        cadence_id text NULL,
        period text NULL,
        submitted_by uuid NULL,
        submitted_at timestamptz NULL,
        approved_by uuid NULL,
        approved_at timestamptz NULL,
        submissions int NOT NULL DEFAULT 0,
        rejections int NOT NULL DEFAULT 0,
        escalation_level int NOT NULL DEFAULT 0,
        next_step_key text NULL,
        next_step_at timestamptz NULL,
        status jsonb NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tasks_owner_idx ON tasks (owner_id)`);
    await q.query(`CREATE INDEX tasks_kind_period_idx ON tasks (kind, period)`);
    await q.query(`CREATE INDEX tasks_state_due_idx ON tasks (state, due_at)`);
    await q.query(`CREATE INDEX tasks_subject_idx ON tasks (subject_type, subject_id)`);

    // Append-only, tamper-evident: each row carries the hash of the one before it.
    await q.query(`
      CREATE TABLE audit_events (
        seq bigserial PRIMARY KEY,
        stream_id text NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        event text NOT NULL,
        actor_id text NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        detail jsonb NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_events_stream_idx ON audit_events (stream_id, seq)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);

    // Written before an email is sent, marked sent after: a retried activity never sends twice.
    await q.query(`
      CREATE TABLE email_outbox (
        id bigserial PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        message_id text NOT NULL,
        recipient_person_id uuid NULL,
        recipient_email text NOT NULL,
        subject text NOT NULL,
        body_text text NOT NULL,
        body_html text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent')),
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_outbox`);
    await q.query(`DROP TRIGGER audit_events_no_change ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE ai_systems`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE people`);
  }
}
