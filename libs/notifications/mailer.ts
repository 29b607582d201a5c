/** The SMTP transport and the deterministic Message-ID that makes a resent email recognisable. */
import { createHash } from 'crypto';
import * as nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export const MESSAGE_ID_DOMAIN = 'aims-orchestrator';

/**
 * One transport per process; `smtpUrl` like smtp://user:pass@host:1025 or smtps://host:465.
 * `pooled`: up to that many SMTP connections kept open and reused from one email to the next
 * (the worker's, which sends a quarter's openings at once), instead of a connection and its
 * handshake per email. A `pool` or `maxConnections` in the URL's query wins.
 */
export function createSmtpTransport(smtpUrl: string, opts: { pooled?: number } = {}): Transporter {
  if (!smtpUrl) throw new Error('SMTP_URL is required to send email');
  if (!opts.pooled) return nodemailer.createTransport(smtpUrl);
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', String(opts.pooled));
  return nodemailer.createTransport(url.toString());
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
