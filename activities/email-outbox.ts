/**
 * The email outbox over PostgreSQL (`email_outbox`) and an SMTP transport: the row is
 * written before sending and marked sent after, so a retried activity never sends twice.
 */
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { sendMail } from '../libs/notifications';
import type { EmailOutbox, OutboxMessage } from './ports';

export function createPostgresEmailOutbox(dataSource: DataSource, transport: Transporter, from: string): EmailOutbox {
  return {
    async claim(m: OutboxMessage) {
      await dataSource.query(
        `INSERT INTO email_outbox (idempotency_key, message_id, recipient_person_id, recipient_email, subject, body_text, body_html)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [m.idempotencyKey, m.messageId, m.recipientPersonId, m.to, m.subject, m.text, m.html],
      );
      // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, rowCount], a SELECT with rows.
      const counted: Array<{ attempts: number }> = await dataSource.query(
        `WITH counted AS (
           UPDATE email_outbox SET attempts = attempts + 1
           WHERE idempotency_key = $1 AND status = 'pending'
           RETURNING attempts)
         SELECT attempts FROM counted`,
        [m.idempotencyKey],
      );
      if (counted.length) return { status: 'pending' as const, attempts: Number(counted[0].attempts) };
      const rows: Array<{ attempts: number }> = await dataSource.query(`SELECT attempts FROM email_outbox WHERE idempotency_key = $1`, [
        m.idempotencyKey,
      ]);
      return { status: 'sent' as const, attempts: Number(rows[0]?.attempts ?? 0) };
    },

    async deliver(m: OutboxMessage) {
      // The stored row is the source of truth: a retry sends exactly what was written first.
      const rows: Array<{ message_id: string; recipient_email: string; subject: string; body_text: string; body_html: string }> =
        await dataSource.query(
          `SELECT message_id, recipient_email, subject, body_text, body_html FROM email_outbox WHERE idempotency_key = $1`,
          [m.idempotencyKey],
        );
      const row = rows[0];
      await sendMail(transport, {
        from,
        to: row?.recipient_email ?? m.to,
        subject: row?.subject ?? m.subject,
        text: row?.body_text ?? m.text,
        html: row?.body_html ?? m.html,
        messageId: row?.message_id ?? m.messageId,
      });
    },

    async markSent(idempotencyKey: string) {
      await dataSource.query(`UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE idempotency_key = $1 AND status = 'pending'`, [
        idempotencyKey,
      ]);
    },
  };
}
