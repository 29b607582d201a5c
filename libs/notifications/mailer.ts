/** The SMTP transport and the deterministic Message-ID that makes a resent email recognisable. */
import { createHash } from 'crypto';
import * as nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export const MESSAGE_ID_DOMAIN = 'aims-orchestrator';

/** One transport per process; `smtpUrl` like smtp://user:pass@host:1025 or smtps://host:465. */
export function createSmtpTransport(smtpUrl: string): Transporter {
  if (!smtpUrl) throw new Error('SMTP_URL is required to send email');
  return nodemailer.createTransport(smtpUrl);
}

/**
 * The Message-ID of the email with this idempotency key: the same key always yields the
 * same id, so a receiver (or an inbox) can tell a resend from a new message.
 */
export function messageIdFor(idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${digest}@${MESSAGE_ID_DOMAIN}>`;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** Sends one message with its fixed Message-ID. */
export async function sendMail(transport: Transporter, m: MailMessage): Promise<void> {
  await transport.sendMail({
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: m.messageId,
  });
}
