/**
 * Exactly-once email when the database dies between the send and its mark: SMTP accepted the
 * email, then PostgreSQL is killed (SIGKILL, no shutdown) before the outbox row can be marked
 * sent. Temporal retries the notify activity; the retries fail while the database is down,
 * then PostgreSQL is started again on the same data directory. The retry that succeeds must
 * not send again: the inbox holds one copy of each email and every outbox row ends `sent`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DataSource } from 'typeorm';
import type { Transporter } from 'nodemailer';
import { createActivities } from '../../activities';
import { createPostgresPorts } from '../../activities/postgres';
import { prohibitedAlertWorkflowId } from '../../libs/contracts';
import { createSmtpTransport, messageIdFor } from '../../libs/notifications';
import { createDataSource } from '../../libs/persistence';
import { getFreePorts, Inbox, startPostgres, startStack } from '../../tools/stack';
import type { PostgresHandle, Stack } from '../../tools/stack';
import { prohibitedSystemAlert } from '../../workflows';
import { testEnv } from '../support/test-env';
import { InProcessWorker, runInProcessWorker } from './support/in-process-worker';

jest.setTimeout(300_000);

const TASK_QUEUE = 'e2e-email-db-down';
/** How long PostgreSQL stays dead: long enough for several retries of notify to fail on it. */
const DOWN_MS = 8_000;
let stack: Stack;
let dataDir: string;
let pgPort: number;
let pg: PostgresHandle;
let ds: DataSource;
let transport: Transporter;
let inProcess: InProcessWorker | undefined;
let inbox: Inbox;
/** Set by the test: the idempotency key whose delivery kills the database. */
let killAfterDelivering: string | undefined;
let recovered: Promise<void> | undefined;
const delivered: string[] = [];
const leads: Array<{ id: string; email: string }> = [];
let admin: { id: string; email: string };

const startDb = (): Promise<PostgresHandle> =>
  startPostgres({
    dir: path.join(dataDir, 'postgres'),
    port: pgPort,
    logFile: path.join(dataDir, 'logs', 'postgres.log'),
    log: () => undefined,
  });

async function addPerson(name: string, email: string, role: string): Promise<{ id: string; email: string }> {
  const rows: Array<{ id: string }> = await ds.query(`INSERT INTO people (name, email, role) VALUES ($1, $2, $3) RETURNING id`, [
    name,
    email,
    role,
  ]);
  return { id: rows[0].id, email };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-e2e-email-db-down-'));
  const [postgres, temporal, temporalUi, smtp, inboxWeb, api] = await getFreePorts(6);
  pgPort = postgres;
  // PostgreSQL is started here, not by the stack, so the test holds the handle that kills it.
  // Durable (fsync and synchronous commit on), as in production: a commit survives the kill.
  pg = await startDb();
  stack = await startStack({
    dataDir,
    apps: false,
    headless: true,
    migrate: false,
    useProcessEnv: false,
    env: { DATABASE_URL: pg.url },
    echo: false,
    log: () => undefined,
    ports: { postgres, temporal, temporalUi, smtp, inboxWeb, api },
  });
  inbox = new Inbox(stack.inboxUrl!);
  ds = createDataSource(stack.databaseUrl);
  await ds.initialize();
  await ds.runMigrations();
  for (const [i, name] of ['Grace', 'Gus', 'Gwen'].entries())
    leads.push(await addPerson(`${name} Lead`, `lead${i + 1}@e2e.test`, 'governance_lead'));
  // notify sends to the holders of a level in id order: `leads` is in sending order.
  leads.sort((a, b) => a.id.localeCompare(b.id));
  admin = await addPerson('Ada Admin', 'ada@e2e.test', 'admin');

  transport = createSmtpTransport(stack.smtpUrl);
  const ports = createPostgresPorts(ds, transport, 'AIMS Orchestrator <aims@e2e.test>', stack.apiUrl);
  const activities = createActivities({
    ...ports,
    outbox: {
      ...ports.outbox,
      // The real delivery; once SMTP accepted the chosen email, PostgreSQL dies before the
      // outbox row can be marked sent, and comes back DOWN_MS later on the same data dir.
      async deliver(message) {
        await ports.outbox.deliver(message);
        delivered.push(message.idempotencyKey);
        if (message.idempotencyKey !== killAfterDelivering) return;
        killAfterDelivering = undefined;
        await pg.kill();
        recovered = new Promise((r) => setTimeout(r, DOWN_MS)).then(async () => {
          pg = await startDb();
        });
      },
    },
  });
  inProcess = await runInProcessWorker(stack, TASK_QUEUE, activities);
});

afterAll(async () => {
  await inProcess?.stop();
  transport?.close();
  await recovered?.catch(() => undefined);
  await ds?.destroy().catch(() => undefined);
  await stack?.stop();
  await pg?.stop();
  if (dataDir && !testEnv.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The attempt that completed each notify, from the history (retried attempts leave no event of their own). */
async function notifyCompletedAttempts(workflowId: string): Promise<number[]> {
  const history = await inProcess!.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  return events
    .filter((e) => e.activityTaskCompletedEventAttributes)
    .map(
      (e) =>
        events.find((x) => String(x.eventId) === String(e.activityTaskCompletedEventAttributes!.startedEventId))
          ?.activityTaskStartedEventAttributes?.attempt ?? 0,
    );
}

test('PostgreSQL killed right after SMTP accepted an email: after recovery every lead has exactly one copy, every row is sent', async () => {
  const workflowId = prohibitedAlertWorkflowId('sys-e2e-db-down');
  const keys = leads.map((l) => `${workflowId}/alert/${l.email}`);
  // The alert goes to the three governance leads in turn. The database dies after the second
  // accepted send: the first and the second were accepted, the third not yet attempted.
  killAfterDelivering = keys[1];
  const result = await inProcess!.client.workflow.execute(prohibitedSystemAlert, {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [{ systemId: 'sys-e2e-db-down', systemName: 'Emotion recognition at work', actorId: admin.id }],
  });
  expect(recovered).toBeDefined();
  await recovered;
  expect(result.recipients.map((r) => r.personId)).toEqual(leads.map((l) => l.id));

  // notify failed while the database was down (the mark, then the retries' reads); an attempt
  // after the restart completed it.
  const [attempt, ...more] = await notifyCompletedAttempts(workflowId);
  expect(more).toEqual([]);
  expect(attempt).toBeGreaterThan(2);

  // Give a late duplicate every chance to arrive before counting.
  const subject = 'Prohibited AI system registered: Emotion recognition at work';
  await inbox.waitForCount((m) => m.subject === subject, leads.length);
  await new Promise((r) => setTimeout(r, 1_000));
  for (const [i, lead] of leads.entries()) {
    const copies = (await inbox.for(lead.email)).filter((m) => m.subject === subject);
    expect({ lead: lead.email, copies: copies.length }).toEqual({ lead: lead.email, copies: 1 });
    expect(copies[0].messageId).toBe(messageIdFor(keys[i]));
  }
  expect([...delivered].sort()).toEqual([...keys].sort());

  const rows: Array<{ idempotency_key: string; status: string; sent_at: Date | null }> = await ds.query(
    `SELECT idempotency_key, status, sent_at FROM email_outbox WHERE idempotency_key = ANY($1) ORDER BY idempotency_key`,
    [keys],
  );
  expect(rows.map((r) => [r.idempotency_key, r.status])).toEqual([...keys].sort().map((k) => [k, 'sent']));
  for (const r of rows) expect(r.sent_at).toBeInstanceOf(Date);
});
