import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One hash chain per audit stream (issue 11): appends lock their stream's head row instead of
 * one advisory lock for the whole trail. The rows already written stay the `global` chain they
 * were written as (their hashes are not rewritten); its end is recorded in audit_legacy_chain so
 * a cut-off tail of it is still found. New rows are `stream` rows with their position in their
 * stream. The chain column has no default: a writer that does not know the per-stream rule
 * (an older worker during an upgrade) fails its append and retries, rather than writing a row
 * no chain accounts for.
 */
export class AuditStreamChains1764420000000 implements MigrationInterface {
  name = 'AuditStreamChains1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN chain text NOT NULL DEFAULT 'global' CHECK (chain IN ('global', 'stream'))`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN chain DROP DEFAULT`);
    await q.query(`ALTER TABLE audit_events ADD COLUMN stream_seq bigint NULL`);
    await q.query(
      `ALTER TABLE audit_events ADD CONSTRAINT audit_events_stream_seq_chk CHECK ((chain = 'stream') = (stream_seq IS NOT NULL AND stream_seq > 0))`,
    );
    // Verification's one ordered scan of the streams, in the byte order the head digest uses; one row per position.
    await q.query(
      `CREATE UNIQUE INDEX audit_events_stream_chain_idx ON audit_events (stream_id COLLATE "C", stream_seq) WHERE chain = 'stream'`,
    );
    // The global chain by seq, without reading the stream rows after it.
    await q.query(`CREATE INDEX audit_events_global_chain_idx ON audit_events (seq) WHERE chain = 'global'`);

    await q.query(`
      CREATE TABLE audit_stream_heads (
        stream_id text COLLATE "C" PRIMARY KEY,
        length bigint NOT NULL CHECK (length >= 0),
        head_hash text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_legacy_chain (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        length bigint NOT NULL,
        last_seq bigint NOT NULL,
        head_hash text NOT NULL
      )`);
    await q.query(`
      INSERT INTO audit_legacy_chain (length, last_seq, head_hash)
      SELECT count(*), max(seq), (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) FROM audit_events HAVING count(*) > 0`);
    // A head only grows: never removed, never shortened, never renamed; the global chain's end never changes.
    await q.query(`
      CREATE FUNCTION audit_heads_grow_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_stream_heads' THEN
          IF NEW.stream_id = OLD.stream_id AND NEW.length >= OLD.length THEN RETURN NEW; END IF;
        END IF;
        RAISE EXCEPTION '% only grows', TG_TABLE_NAME;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_stream_heads_grow_only BEFORE UPDATE OR DELETE ON audit_stream_heads
      FOR EACH ROW EXECUTE FUNCTION audit_heads_grow_only()`);
    await q.query(`
      CREATE TRIGGER audit_legacy_chain_fixed BEFORE UPDATE OR DELETE ON audit_legacy_chain
      FOR EACH ROW EXECUTE FUNCTION audit_heads_grow_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Stream rows cannot go back into one global chain: refuse rather than leave a trail no code verifies.
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM audit_events WHERE chain = 'stream'`);
    if (n > 0) throw new Error(`audit_events holds ${n} per-stream rows: the global chain cannot take them back`);
    await q.query(`DROP TABLE audit_legacy_chain`);
    await q.query(`DROP TABLE audit_stream_heads`);
    await q.query(`DROP FUNCTION audit_heads_grow_only`);
    await q.query(`DROP INDEX audit_events_global_chain_idx`);
    await q.query(`DROP INDEX audit_events_stream_chain_idx`);
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_stream_seq_chk`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN stream_seq`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN chain`);
  }
}
