/**
 * The worker process. Environment:
 *   DATABASE_URL (required), SMTP_URL (required), MAIL_FROM,
 *   TEMPORAL_ADDRESS (default localhost:7233), TEMPORAL_NAMESPACE (default 'default'),
 *   TEMPORAL_TASK_QUEUE (default 'aims'), TEMPORAL_TLS=1 and/or TEMPORAL_API_KEY for
 *   Temporal Cloud, TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY for mTLS.
 * SIGINT/SIGTERM: the SDK drains the worker; then the database pool is closed.
 */
import 'reflect-metadata';
import { createActivities } from '../../activities';
import { createPostgresPorts } from '../../activities/postgres';
import { DEFAULT_TASK_QUEUE } from '../../libs/contracts';
import { createSmtpTransport } from '../../libs/notifications';
import { createDataSource } from '../../libs/persistence';
import { connectTemporal, createWorker } from './worker';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
}

function flag(v: string | undefined): boolean {
  return !!v && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

export async function main(): Promise<void> {
  const dataSource = createDataSource(required('DATABASE_URL'));
  await dataSource.initialize();
  const transport = createSmtpTransport(required('SMTP_URL'));
  const from = process.env.MAIL_FROM || 'AIMS Orchestrator <aims@localhost>';
  const connection = await connectTemporal({
    address: process.env.TEMPORAL_ADDRESS || 'localhost:7233',
    tls: flag(process.env.TEMPORAL_TLS),
    apiKey: process.env.TEMPORAL_API_KEY,
    clientCertPath: process.env.TEMPORAL_TLS_CERT,
    clientKeyPath: process.env.TEMPORAL_TLS_KEY,
  });
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE || DEFAULT_TASK_QUEUE;
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue,
    activities: createActivities(createPostgresPorts(dataSource, transport, from)),
  });
  console.log(`[worker] polling task queue "${taskQueue}" in namespace "${namespace}"`);
  try {
    // Resolves after SIGINT/SIGTERM (the SDK's runtime shuts the worker down gracefully).
    await worker.run();
  } finally {
    await connection.close().catch(() => undefined);
    transport.close();
    await dataSource.destroy().catch(() => undefined);
    console.log('[worker] stopped');
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error('[worker] failed:', err);
    process.exit(1);
  });
}
