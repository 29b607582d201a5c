export { startStack, waitForHealth, waitForWorker, appEntry, DEFAULT_PORTS, REPO_ROOT } from './stack';
export type { AppsFrom, Stack, StackOptions, StackPorts } from './stack';
export { startPostgres, findPostgresInstall } from './postgres';
export type { PostgresHandle, StartPostgresOptions } from './postgres';
export { startTemporal, waitForTemporal } from './temporal';
export type { TemporalHandle, StartTemporalOptions } from './temporal';
export { startSmtp, Inbox } from './smtp';
export type { SmtpHandle, StartSmtpOptions, ReceivedEmail } from './smtp';
export { getFreePort, getFreePorts, isPortFree, assertPortFree, LOCALHOST } from './ports';
export {
  cacheDir,
  ensureSchemathesis,
  ensureTemporalCli,
  ensureVegeta,
  ensureTimeSkippingServer,
  findGo,
  which,
  withLock,
  SCHEMATHESIS_VERSION,
  TEMPORAL_CLI_VERSION,
  TEST_SERVER_VERSION,
  TEST_SERVER_JVM_FLAGS,
} from './tools';
export { spawnManaged, stopAllChildren, ManagedProcess } from './process';
export type { SpawnManagedOptions, ExitInfo } from './process';
