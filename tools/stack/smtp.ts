/**
 * Local SMTP inbox (MailDev): receives every mail the stack sends and shows it
 * on a web page; its REST API (`/api/email`) lets e2e tests read what arrived.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { delay, spawnManaged } from './process';
import { assertPortFree, LOCALHOST } from './ports';

export interface StartSmtpOptions {
  smtpPort: number;
  webPort: number;
  /** Mails are persisted here and reloaded on the next start (omit: in memory). */
  mailDir?: string;
  logFile?: string;
  echo?: boolean;
  timeoutMs?: number;
}

export interface SmtpHandle {
  /** `smtp://127.0.0.1:<port>` */
  smtpUrl: string;
  /** `http://127.0.0.1:<port>`: the inbox web view and REST API */
  inboxUrl: string;
  stop(): Promise<void>;
}

function mailDevCli(): string {
  // maildev is ESM with an "exports" map that hides package.json: locate the CLI by path.
  for (const root of require.resolve.paths('maildev') ?? []) {
    const cli = path.join(root, 'maildev', 'dist', 'bin', 'maildev.js');
    if (fs.existsSync(cli)) return cli;
  }
  throw new Error('maildev is not installed (node_modules/maildev/dist/bin/maildev.js not found)');
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOCALHOST, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function startSmtp(opts: StartSmtpOptions): Promise<SmtpHandle> {
  await assertPortFree(opts.smtpPort, 'SMTP', 'set SMTP_URL to use an existing SMTP server, or pick another port');
  await assertPortFree(opts.webPort, 'inbox web view');
  const args = [mailDevCli(), '--smtp', String(opts.smtpPort), '--ip', LOCALHOST, '--web', String(opts.webPort), '--web-ip', LOCALHOST];
  if (opts.mailDir) {
    fs.mkdirSync(opts.mailDir, { recursive: true });
    args.push('--mail-directory', opts.mailDir);
  }
  const proc = spawnManaged({
    name: 'smtp',
    command: process.execPath,
    args,
    // A neutral cwd: MailDev looks for config files in the cwd and its parents.
    cwd: opts.mailDir ?? '/',
    env: { ...process.env, NODE_OPTIONS: '' },
    logFile: opts.logFile,
    echo: opts.echo,
    graceMs: 5_000,
  });
  const inboxUrl = `http://${LOCALHOST}:${opts.webPort}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  try {
    for (;;) {
      if (!proc.running) throw new Error(`MailDev did not start: ${proc.describeExit()}`);
      const webOk = await fetch(`${inboxUrl}/api/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (webOk && (await tcpAccepts(opts.smtpPort))) break;
      if (Date.now() > deadline) throw new Error(`MailDev did not answer within ${opts.timeoutMs ?? 30_000} ms: ${proc.describeExit()}`);
      await delay(150);
    }
  } catch (err) {
    await proc.stop(2_000);
    throw err;
  }
  return {
    smtpUrl: `smtp://${LOCALHOST}:${opts.smtpPort}`,
    inboxUrl,
    async stop() {
      await proc.stop();
    },
  };
}

// ---------------------------------------------------------------------------
// Inbox client (MailDev REST API)
// ---------------------------------------------------------------------------

export interface ReceivedEmail {
  /** MailDev's id of the message */
  id: string;
  /** addresses of the To header, lower-cased */
  to: string[];
  /** addresses of the Cc header, lower-cased */
  cc: string[];
  /** every SMTP envelope recipient (RCPT TO, includes Bcc), lower-cased */
  recipients: string[];
  /** address of the From header */
  from: string;
  subject: string;
  text: string;
  html?: string;
  /** Message-ID header, with its angle brackets, e.g. `<x@aims>` */
  messageId: string;
  /** Date header (or the time MailDev received it) */
  date: Date;
  headers: Record<string, string | string[]>;
}

interface MailDevAddress {
  address: string;
  name?: string;
}
interface MailDevEmail {
  id: string;
  time: string;
  subject?: string;
  from?: MailDevAddress[];
  to?: MailDevAddress[];
  cc?: MailDevAddress[];
  date?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string | string[]>;
  envelope?: { to?: MailDevAddress[] };
}

function header(headers: Record<string, string | string[]> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

const addrs = (list: MailDevAddress[] | undefined): string[] => (list ?? []).map((a) => a.address.toLowerCase());

function toReceived(e: MailDevEmail): ReceivedEmail {
  return {
    id: e.id,
    to: addrs(e.to),
    cc: addrs(e.cc),
    recipients: addrs(e.envelope?.to),
    from: e.from?.[0]?.address ?? '',
    subject: e.subject ?? '',
    text: e.text ?? '',
    html: e.html,
    messageId: header(e.headers, 'message-id') ?? '',
    date: new Date(e.date ?? e.time),
    headers: e.headers ?? {},
  };
}

/** Reads what the local SMTP inbox (MailDev) received. */
export class Inbox {
  constructor(readonly baseUrl: string) {}

  /** Every received email, oldest first. */
  async list(): Promise<ReceivedEmail[]> {
    const res = await fetch(`${this.baseUrl}/api/email`);
    if (!res.ok) throw new Error(`inbox: GET /api/email answered ${res.status}`);
    const emails = (await res.json()) as MailDevEmail[];
    return emails.map(toReceived).sort((a, b) => a.date.getTime() - b.date.getTime());
  }

  /** Emails sent to `address` (To, Cc or Bcc). */
  async for(address: string): Promise<ReceivedEmail[]> {
    const a = address.toLowerCase();
    return (await this.list()).filter((m) => m.to.includes(a) || m.cc.includes(a) || m.recipients.includes(a));
  }

  /** Polls until an email matches `predicate`; resolves with it (rejects after timeoutMs). */
  async waitFor(predicate: (email: ReceivedEmail) => boolean, timeoutMs = 30_000, intervalMs = 200): Promise<ReceivedEmail> {
    const deadline = Date.now() + timeoutMs;
    let seen: ReceivedEmail[] = [];
    for (;;) {
      seen = await this.list();
      const hit = seen.find(predicate);
      if (hit) return hit;
      if (Date.now() >= deadline) {
        const summary = seen.map((m) => `  - to=${m.to.join(',')} subject=${JSON.stringify(m.subject)}`).join('\n');
        throw new Error(`inbox: no matching email within ${timeoutMs} ms; ${seen.length} received:\n${summary}`);
      }
      await delay(intervalMs);
    }
  }

  /** Polls until at least `count` emails match `predicate`. */
  async waitForCount(predicate: (email: ReceivedEmail) => boolean, count: number, timeoutMs = 30_000): Promise<ReceivedEmail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = (await this.list()).filter(predicate);
      if (hits.length >= count) return hits;
      if (Date.now() >= deadline) throw new Error(`inbox: ${hits.length}/${count} matching emails within ${timeoutMs} ms`);
      await delay(200);
    }
  }

  /** Deletes every received email. */
  async clear(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/email/all`, { method: 'DELETE' });
    if (!res.ok) throw new Error(`inbox: DELETE /api/email/all answered ${res.status}`);
  }
}
