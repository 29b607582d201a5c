/**
 * The real stack for e2e tests: the same launcher as `npm start`, on a fresh
 * temporary data dir and free ports, headless, with the worker and the API (which serves
 * the web app at /app/, built from the current apps/web as `npm start` does).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence';
import { getFreePorts, Inbox, startStack } from '../../tools/stack';
import type { Stack, StackOptions } from '../../tools/stack';
import { ensureWebBuild } from '../../tools/web-build';
import { testEnv } from './test-env';

/** Bootstrap admin token the API is started with in e2e tests (AIMS_ADMIN_TOKEN). */
export const TEST_ADMIN_TOKEN = 'aims-e2e-admin-token-5f0c1d2e3a4b';

export interface TestStack extends Stack {
  /** The local SMTP inbox. */
  inbox: Inbox;
  adminToken: string;
  /** `Authorization` header value for the bootstrap admin. */
  adminAuth: string;
}

export type TestStackOptions = Partial<Omit<StackOptions, 'dataDir'>> & {
  /** Keep the temp data dir after stop() (also with AIMS_KEEP_TEST_DATA=1). */
  keepData?: boolean;
  /** Start on the data of an earlier stack (a restart) instead of a fresh temp dir. */
  dataDir?: string;
};

/** How many times a stack start is tried when a chosen port was taken meanwhile. */
const PORT_ATTEMPTS = 3;

function isPortTaken(err: unknown): boolean {
  const errors = err instanceof AggregateError ? [err, ...err.errors] : [err];
  return errors.some((e) => /EADDRINUSE|is already in use/.test(String((e as Error)?.message ?? e)));
}

export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const { keepData, env, ports, dataDir: reuse, ...rest } = opts;
  // A no-op (a hash of apps/web) unless the app changed since the last build.
  await ensureWebBuild();
  const dataDir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aims-e2e-'));
  fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as the "postgres" OS user when we are root
  let stack: Stack | undefined;
  for (let attempt = 1; !stack; attempt++) {
    const [postgres, temporal, temporalUi, smtp, inboxWeb, api] = await getFreePorts(6);
    try {
      stack = await startStack({
        headless: true,
        apps: true,
        fastDb: true,
        // Hermetic: do not pick up DATABASE_URL & co. from the developer's shell.
        useProcessEnv: false,
        echo: testEnv.stackEcho,
        log: testEnv.stackEcho ? undefined : () => undefined,
        ...rest,
        dataDir,
        ports: { postgres, temporal, temporalUi, smtp, inboxWeb, api, ...ports },
        env: {
          AIMS_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
          MAIL_FROM: 'aims@example.test',
          NODE_ENV: 'test',
          ...env,
        },
      });
    } catch (err) {
      // A port free when chosen can be taken before it is bound (another suite's server, or an
      // outgoing connection's ephemeral port): the stack stopped what it started, so choose again.
      if (attempt < PORT_ATTEMPTS && !ports && isPortTaken(err)) continue;
      (err as Error).message += `\n(logs in ${path.join(dataDir, 'logs')})`;
      throw err;
    }
  }
  const started = stack;
  const stop = async (): Promise<void> => {
    await started.stop();
    if (!keepData && !testEnv.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    ...started,
    stop,
    inbox: new Inbox(started.inboxUrl!),
    adminToken: TEST_ADMIN_TOKEN,
    adminAuth: `Bearer ${TEST_ADMIN_TOKEN}`,
  };
}

/** A Temporal client and a database connection onto a started stack: what e2e tests check behind the API. */
export interface StackClients {
  temporal: Client;
  db: DataSource;
  close(): Promise<void>;
}

export async function connectToStack(stack: Pick<Stack, 'temporalAddress' | 'temporalNamespace' | 'databaseUrl'>): Promise<StackClients> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const db = createDataSource(stack.databaseUrl, { poolSize: 2 });
  await db.initialize();
  return {
    temporal: new Client({ connection, namespace: stack.temporalNamespace }),
    db,
    async close() {
      await db.destroy().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
