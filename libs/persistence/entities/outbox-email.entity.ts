import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_STATUSES = ['pending', 'sent'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * An email written before it is sent and marked sent after (table `email_outbox`), so a
 * retried activity never sends twice. Keyed by `idempotencyKey`; `messageId` is deterministic.
 */
@Entity({ name: 'email_outbox' })
export class OutboxEmail {
  /** bigserial: a string, to keep 64-bit precision. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ name: 'recipient_person_id', type: 'uuid', nullable: true })
  recipientPersonId!: string | null;

  @Column({ name: 'recipient_email', type: 'text' })
  recipientEmail!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'body_text', type: 'text' })
  bodyText!: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
