/**
 * The worker process, configured by libs/config (DATABASE_URL, SMTP_URL, MAIL_FROM, the
 * TEMPORAL_* variables, the same Temporal settings as the API's, and the AIMS_WORKER_* bounds of
 * its memory). It logs its workflow cache and memory every AIMS_WORKER_STATUS_INTERVAL_MS (status.ts).
 * SIGINT/SIGTERM: the SDK drains the worker; then the database pool is closed.
 */
import 'reflect-metadata';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createPostgresPorts } from '../../activities/postgres';
import { ConfigurationError, loadWorkerConfig, temporalConnectionOptions } from '../../libs/config';
import { createSmtpTransport } from '../../libs/notifications';
import { createDataSource } from '../../libs/persistence';
import { checkSearchAttributes, MissingSearchAttributesError } from './search-attributes';
import { reportWorkerStatus } from './status';
import { createWorker } from './worker';

export async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const { throughput } = config;
  const dataSource = createDataSource(config.databaseUrl, { poolSize: throughput.databasePoolSize });
  await dataSource.initialize();
  const transport = createSmtpTransport(config.smtpUrl, { pooled: throughput.smtpConnections });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const { namespace, taskQueue } = config.temporal;
  try {
    await checkSearchAttributes(connection.operatorService, namespace, (m) => console.warn(`[worker] ${m}`));
  } catch (err) {
    await connection.close().catch(() => undefined);
    transport.close();
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue,
    throughput,
    activities: createActivities(createPostgresPorts(dataSource, transport, config.mailFrom, config.publicUrl)),
    maxCachedWorkflows: config.memory.maxCachedWorkflows,
  });
  const stopReports = reportWorkerStatus(worker, {
    intervalMs: config.memory.statusIntervalMs,
    maxCachedWorkflows: config.memory.maxCachedWorkflows,
    log: (line) => console.log(line),
  });
  console.log(
    `[worker] polling task queue "${taskQueue}" in namespace "${namespace}" ` +
      `(${throughput.maxConcurrentWorkflowTasks} workflow task and ${throughput.maxConcurrentActivities} activity slots, ` +
      `${throughput.databasePoolSize} database connections, ${throughput.smtpConnections} SMTP connections, ` +
      `at most ${config.memory.maxCachedWorkflows} workflows cached)`,
  );
  try {
    // Resolves after SIGINT/SIGTERM (the SDK's runtime shuts the worker down gracefully).
    await worker.run();
  } finally {
    stopReports();
    await connection.close().catch(() => undefined);
    transport.close();
    await dataSource.destroy().catch(() => undefined);
    console.log('[worker] stopped');
  }
}

if (require.main === module) {
  main().catch((err) => {
    const known = err instanceof ConfigurationError || err instanceof MissingSearchAttributesError;
    console.error('[worker] failed:', known ? err.message : err);
    process.exit(1);
  });
}
