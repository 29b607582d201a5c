/**
 * Exactly-once email over at-least-once activities, on the real parts: PostgreSQL and the SMTP
 * inbox of tools/stack, the Temporal dev server, and a real worker with the PostgreSQL ports.
 * The first attempt of each email "crashes" right after sending; Temporal retries the notify
 * activity, and the inbox still holds exactly one copy.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DataSource } from 'typeorm';
import type { Transporter } from 'nodemailer';
import { createActivities } from '../../activities';
import { createPostgresPorts } from '../../activities/postgres';
import { highRiskReviewInput, prohibitedAlertWorkflowId, statusQuery } from '../../libs/contracts';
import { DAY_MS } from '../../libs/domain';
import { createSmtpTransport, messageIdFor } from '../../libs/notifications';
import { createDataSource, verifyAuditChain } from '../../libs/persistence';
import { getFreePorts, Inbox, startStack } from '../../tools/stack';
import type { Stack } from '../../tools/stack';
import { governanceTask, prohibitedSystemAlert } from '../../workflows';
import { testEnv } from '../support/test-env';
import { InProcessWorker, runInProcessWorker } from './support/in-process-worker';

jest.setTimeout(300_000);

const TASK_QUEUE = 'e2e-email-exactly-once';
let stack: Stack;
let dataDir: string;
let ds: DataSource;
let transport: Transporter;
let inProcess: InProcessWorker | undefined;
let inbox: Inbox;
const afterSendCalls: string[] = [];
const people: Record<string, { id: string; email: string }> = {};

async function addPerson(
  name: string,
  email: string,
  role: string,
  managerId: string | null = null,
): Promise<{ id: string; email: string }> {
  const rows: Array<{ id: string }> = await ds.query(
    `INSERT INTO people (name, email, role, manager_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [name, email, role, managerId],
  );
  return { id: rows[0].id, email };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-e2e-email-'));
  const [postgres, temporal, temporalUi, smtp, inboxWeb, api] = await getFreePorts(6);
  stack = await startStack({
    dataDir,
    apps: false,
    headless: true,
    migrate: false,
    fastDb: true,
    useProcessEnv: false,
    echo: false,
    log: () => undefined,
    ports: { postgres, temporal, temporalUi, smtp, inboxWeb, api },
  });
  inbox = new Inbox(stack.inboxUrl!);
  ds = createDataSource(stack.databaseUrl);
  await ds.initialize();
  await ds.runMigrations();
  people.manager = await addPerson('Max Manager', 'max@e2e.test', 'owner');
  people.owner = await addPerson('Olivia Owner', 'olivia@e2e.test', 'owner', people.manager.id);
  people.lead = await addPerson('Grace Lead', 'grace@e2e.test', 'governance_lead');
  people.admin = await addPerson('Ada Admin', 'ada@e2e.test', 'admin');

  transport = createSmtpTransport(stack.smtpUrl);
  const ports = createPostgresPorts(ds, transport, 'AIMS Orchestrator <aims@e2e.test>', stack.apiUrl);
  const failedOnce = new Set<string>();
  const activities = createActivities({
    ...ports,
    afterSend: (key) => {
      afterSendCalls.push(key);
      if (!failedOnce.has(key)) {
        failedOnce.add(key);
        throw new Error(`simulated crash after sending ${key}`);
      }
    },
  });
  inProcess = await runInProcessWorker(stack, TASK_QUEUE, activities);
});

afterAll(async () => {
  await inProcess?.stop();
  transport?.close();
  await ds?.destroy().catch(() => undefined);
  await stack?.stop();
  if (dataDir && !testEnv.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** How many attempts each activity type took, from the workflow history. */
async function activityAttempts(workflowId: string): Promise<Record<string, number[]>> {
  const history = await inProcess!.client.workflow.getHandle(workflowId).fetchHistory();
  const typeBySchedule = new Map<string, string>();
  const out: Record<string, number[]> = {};
  for (const e of history.events ?? []) {
    if (e.activityTaskScheduledEventAttributes)
      typeBySchedule.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const started = history.events!.find((x) => String(x.eventId) === String(done.startedEventId));
      const type = typeBySchedule.get(String(done.scheduledEventId)) ?? '?';
      (out[type] ??= []).push(started?.activityTaskStartedEventAttributes?.attempt ?? 0);
    }
  }
  return out;
}

test('the prohibited-system alert reaches the governance lead exactly once although the first send "crashed"', async () => {
  const workflowId = prohibitedAlertWorkflowId('sys-e2e-banned');
  const result = await inProcess!.client.workflow.execute(prohibitedSystemAlert, {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [{ systemId: 'sys-e2e-banned', systemName: 'Social scoring', actorId: people.admin.id }],
  });
  expect(result).toEqual({
    recipients: [{ personId: people.lead.id, email: people.lead.email, level: 'governance_lead' }],
    unfilledLevels: [],
  });

  // Temporal retried the activity: the second attempt completed it.
  expect((await activityAttempts(workflowId)).notify).toEqual([2]);
  const key = `${workflowId}/alert/${people.lead.email}`;
  expect(afterSendCalls.filter((k) => k === key)).toHaveLength(1);

  // Give a late duplicate every chance to arrive before counting.
  await inbox.waitFor((m) => m.subject === 'Prohibited AI system registered: Social scoring');
  await new Promise((r) => setTimeout(r, 1_000));
  const copies = (await inbox.for(people.lead.email)).filter((m) => m.subject === 'Prohibited AI system registered: Social scoring');
  expect(copies).toHaveLength(1);
  expect(copies[0].messageId).toBe(messageIdFor(key));
  expect(copies[0].text).toContain('Ada Admin');

  const rows = await ds.query(
    `SELECT status, attempts, sent_at, message_id, recipient_person_id FROM email_outbox WHERE idempotency_key = $1`,
    [key],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 'sent', attempts: 1, message_id: messageIdFor(key), recipient_person_id: people.lead.id });
  expect(rows[0].sent_at).toBeInstanceOf(Date);
});

test('a governance task: opened once in the read model, the audit trail and the owner inbox; updates recorded', async () => {
  const workflowId = 'high-risk-review:e2e-system:2026-Q4';
  const handle = await inProcess!.client.workflow.start(governanceTask, {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [
      highRiskReviewInput({ id: 'e2e-system', name: 'Fraud detection', ownerId: people.owner.id }, new Date(Date.now() + 60 * DAY_MS), {
        cadenceId: 'high-risk-review:e2e-system',
        period: '2026-Q4',
      }),
    ],
  });
  const opened = await inbox.waitFor(
    (m) => m.to.includes(people.owner.email) && m.subject.startsWith('New work for you: High-risk review 2026-Q4'),
  );
  expect(opened.text).toContain(`POST /tasks/${workflowId}/submit`);
  expect(opened.text).toContain(`Open it: ${stack.apiUrl}/app/tasks/${encodeURIComponent(workflowId)}`);

  // The owner submits and the governance lead rejects: both transitions land in PostgreSQL.
  await handle.executeUpdate('submit', { args: [{ by: { personId: people.owner.id, role: 'owner' }, summary: 'done' }] });
  const status = await handle.executeUpdate('reject', {
    args: [{ by: { personId: people.lead.id, role: 'governance_lead' }, reason: 'evidence missing' }],
  });
  expect(status).toMatchObject({ state: 'open', rejections: 1 });
  await inbox.waitFor((m) => m.to.includes(people.owner.email) && m.subject.startsWith('Rework needed'));
  await new Promise((r) => setTimeout(r, 1_000));

  const ownerMail = (await inbox.for(people.owner.email)).map((m) => m.subject.split(':')[0]);
  expect(ownerMail.filter((s) => s === 'New work for you')).toHaveLength(1);
  expect(ownerMail.filter((s) => s === 'Rework needed')).toHaveLength(1);
  expect((await activityAttempts(workflowId)).notify).toEqual([2, 2]);

  const [task] = await ds.query(`SELECT state, owner_id, version, rejections, submissions, period, status FROM tasks WHERE id = $1`, [
    workflowId,
  ]);
  expect(task).toMatchObject({ state: 'open', owner_id: people.owner.id, rejections: 1, submissions: 1, period: '2026-Q4' });
  expect(task.version).toBe((await handle.query(statusQuery)).version);
  const events = await ds.query(`SELECT event, actor_id, idempotency_key FROM audit_events WHERE stream_id = $1 ORDER BY seq`, [
    workflowId,
  ]);
  expect(events.map((e: { event: string }) => e.event)).toEqual(['opened', 'submitted', 'rejected']);
  expect(events[2]).toMatchObject({ actor_id: people.lead.id, idempotency_key: `${workflowId}#3:rejected` });
  expect((await verifyAuditChain(ds.manager)).firstBroken).toBeUndefined();
  await handle.terminate('e2e done');
});
