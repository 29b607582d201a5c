/**
 * Temporal dev server (`temporal server start-dev`) with a persistent SQLite file.
 * When no CLI binary is available (no Go toolchain), falls back to the SDK's
 * TestWorkflowEnvironment.createLocal(), which downloads a CLI (needs network).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Connection } from '@temporalio/client';
import { delay, spawnManaged } from './process';
import { assertPortFree, LOCALHOST } from './ports';
import { devServerSearchAttributeArgs, ensureSearchAttributes } from './search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '../../libs/contracts/search-attributes';

export interface StartTemporalOptions {
  /** SQLite file holding all Temporal state (persists across restarts). */
  dbFile: string;
  port: number;
  /** Web UI port (ignored when headless). */
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  /** Path of the `temporal` CLI; null = use the SDK's downloaded CLI. */
  cliPath: string | null;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Extra `start-dev` arguments, e.g. ['--search-attribute', 'Owner=Keyword']. */
  extraArgs?: string[];
  logFile?: string;
  echo?: boolean;
  timeoutMs?: number;
  log?: (message: string) => void;
}

export interface TemporalHandle {
  /** host:port of the frontend gRPC service */
  address: string;
  namespace: string;
  /** Web UI URL, undefined when headless */
  uiUrl?: string;
  stop(): Promise<void>;
}

/** Wait until the frontend answers and the namespace is registered. */
export async function waitForTemporal(
  address: string,
  namespace: string,
  timeoutMs = 60_000,
  isAlive: () => boolean = () => true,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`Temporal server exited before it was ready: ${describe()}`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (err) {
      lastError = err;
      await delay(250);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)} ${describe()}`);
}

/**
 * Registers the product's search attributes in the namespace (the workflows' upserts fail their
 * workflow task without them): `--search-attribute` covers a new SQLite file only.
 */
async function registerSearchAttributes(address: string, namespace: string, log?: (message: string) => void): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    const added = await ensureSearchAttributes(connection.operatorService, namespace);
    if (added.length) log?.(`registered search attributes ${added.join(', ')} in namespace ${namespace}`);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** The CLI reads TEMPORAL_* client settings from the environment; the server must not. */
function withoutClientEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of Object.keys(copy)) if (key.startsWith('TEMPORAL_')) delete copy[key];
  return copy;
}

export async function startTemporal(opts: StartTemporalOptions): Promise<TemporalHandle> {
  const namespace = opts.namespace ?? 'default';
  const headless = opts.headless ?? false;
  const uiPort = opts.uiPort ?? opts.port + 1000;
  const address = `${LOCALHOST}:${opts.port}`;
  const uiUrl = headless ? undefined : `http://${LOCALHOST}:${uiPort}`;
  fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  await assertPortFree(opts.port, 'Temporal frontend', 'set TEMPORAL_ADDRESS to use an existing server, or pick another port');
  if (!headless) await assertPortFree(uiPort, 'Temporal Web UI');

  if (opts.cliPath === null) return startWithSdkDownload(opts, namespace, address, uiUrl, uiPort, headless);

  const args = [
    'server',
    'start-dev',
    '--db-filename',
    opts.dbFile,
    '--ip',
    LOCALHOST,
    '--port',
    String(opts.port),
    '--log-level',
    opts.logLevel ?? 'warn',
    '--log-format',
    'text',
    ...(headless ? ['--headless'] : ['--ui-port', String(uiPort)]),
    // The "default" namespace always exists; others are created at launch.
    ...(namespace !== 'default' ? ['--namespace', namespace] : []),
    ...devServerSearchAttributeArgs(),
    ...(opts.extraArgs ?? []),
  ];
  const proc = spawnManaged({
    name: 'temporal',
    command: opts.cliPath,
    args,
    env: withoutClientEnv(process.env),
    logFile: opts.logFile,
    echo: opts.echo,
    stopSignal: 'SIGTERM',
    graceMs: 15_000,
  });
  try {
    await waitForTemporal(
      address,
      namespace,
      opts.timeoutMs ?? 60_000,
      () => proc.running,
      () => proc.describeExit(),
    );
    await registerSearchAttributes(address, namespace, opts.log);
  } catch (err) {
    await proc.stop(5_000);
    throw err;
  }
  return {
    address,
    namespace,
    uiUrl,
    async stop() {
      await proc.stop();
    },
  };
}

/** Fallback: the SDK's own dev-server download (Runtime-owned process, needs network). */
async function startWithSdkDownload(
  opts: StartTemporalOptions,
  namespace: string,
  address: string,
  uiUrl: string | undefined,
  uiPort: number,
  headless: boolean,
): Promise<TemporalHandle> {
  (opts.log ?? ((m: string) => process.stderr.write(`[temporal] ${m}\n`)))(
    'no local temporal CLI; using TestWorkflowEnvironment.createLocal() (downloads the CLI)',
  );
  // @temporalio/testing is a devDependency: load it lazily, only on this path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TestWorkflowEnvironment } = require('@temporalio/testing') as typeof import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      dbFilename: opts.dbFile,
      ip: LOCALHOST,
      port: opts.port,
      ui: !headless,
      ...(headless ? {} : { uiPort }),
      namespace,
      log: { format: 'pretty', level: opts.logLevel ?? 'warn' },
      extraArgs: opts.extraArgs,
      searchAttributes: [...SEARCH_ATTRIBUTE_KEYS],
    },
  });
  await waitForTemporal(address, namespace, opts.timeoutMs ?? 60_000);
  await registerSearchAttributes(address, namespace, opts.log);
  return {
    address: env.address || address,
    namespace,
    uiUrl,
    async stop() {
      await env.teardown();
    },
  };
}
