import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row of the append-only, hash-chained audit trail (table `audit_events`): a row of its
 * stream's chain (`stream`, at `streamSeq`), or of the one global chain written before
 * (`global`). Each stream's length and last hash are in `audit_stream_heads`.
 * Append only through libs/persistence/audit-streams.ts, never with save():
 * a trigger refuses UPDATE and DELETE.
 */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  /** bigserial: a string, to keep 64-bit precision. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ type: 'text' })
  event!: string;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  detail!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;

  @Column({ type: 'text' })
  chain!: 'global' | 'stream';

  /** Position in its stream (1, 2, ...) for a `stream` row; null for a `global` one. bigint: a string. */
  @Column({ name: 'stream_seq', type: 'bigint', nullable: true })
  streamSeq!: string | null;
}
