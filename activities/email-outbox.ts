/**
 * The email outbox over PostgreSQL (`email_outbox`) and an SMTP transport: the row is
 * written before sending and marked sent after, so a retried activity never sends twice.
 */
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { sendMail } from '../libs/notifications';
import type { EmailOutbox, OutboxMessage } from './ports';

interface OutboxRow {
  attempts: number;
  message_id: string;
  recipient_person_id: string | null;
  recipient_email: string;
  subject: string;
  body_text: string;
  body_html: string;
}

export function createPostgresEmailOutbox(dataSource: DataSource, transport: Transporter, from: string): EmailOutbox {
  return {
    async claim(m: OutboxMessage) {
      // One statement: a new row is written with its first attempt counted; a pending row counts
      // one more attempt; either way the stored message comes back. A sent row returns nothing.
      const rows: OutboxRow[] = await dataSource.query(
        `INSERT INTO email_outbox AS o (idempotency_key, message_id, recipient_person_id, recipient_email, subject, body_text, body_html, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
         ON CONFLICT (idempotency_key) DO UPDATE SET attempts = o.attempts + 1 WHERE o.status = 'pending'
         RETURNING o.attempts, o.message_id, o.recipient_person_id, o.recipient_email, o.subject, o.body_text, o.body_html`,
        [m.idempotencyKey, m.messageId, m.recipientPersonId, m.to, m.subject, m.text, m.html],
      );
      const row = rows[0];
      if (row) {
        const stored: OutboxMessage = {
          idempotencyKey: m.idempotencyKey,
          messageId: row.message_id,
          recipientPersonId: row.recipient_person_id,
          to: row.recipient_email,
          subject: row.subject,
          text: row.body_text,
          html: row.body_html,
        };
        return { status: 'pending' as const, attempts: Number(row.attempts), stored };
      }
      const sent: Array<{ attempts: number }> = await dataSource.query(`SELECT attempts FROM email_outbox WHERE idempotency_key = $1`, [
        m.idempotencyKey,
      ]);
      return { status: 'sent' as const, attempts: Number(sent[0]?.attempts ?? 0) };
    },

    async deliver(stored: OutboxMessage) {
      await sendMail(transport, {
        from,
        to: stored.to,
        subject: stored.subject,
        text: stored.text,
        html: stored.html,
        messageId: stored.messageId,
      });
    },

    async markSent(idempotencyKey: string) {
      await dataSource.query(`UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE idempotency_key = $1 AND status = 'pending'`, [
        idempotencyKey,
      ]);
    },
  };
}
