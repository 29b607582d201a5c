/**
 * `npm start`: the whole product on one machine, no Docker.
 *
 * PostgreSQL (embedded), the Temporal dev server (SQLite) with its Web UI and a
 * local SMTP inbox, all keeping their data in .data/ (or $AIMS_DATA_DIR), then
 * migrations, the worker and the API. Ctrl-C stops everything; the next
 * `npm start` finds the same data.
 *
 * Set DATABASE_URL, TEMPORAL_ADDRESS or SMTP_URL to use an outside service
 * instead of the embedded one; PORT moves the API.
 */
import * as path from 'path';
import { REPO_ROOT, Stack, startStack, stopAllChildren } from './stack';
import { ensureWebBuild } from './web-build';

async function main(): Promise<void> {
  const dataDir = path.resolve(REPO_ROOT, process.env.AIMS_DATA_DIR || '.data');
  console.log(`[stack] starting the AIMS orchestrator stack (data in ${dataDir}) ...`);
  const t0 = Date.now();
  let stack: Stack | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.log('[stack] still stopping; press Ctrl-C again to force');
      process.once('SIGINT', () => process.exit(130));
      return;
    }
    stopping = true;
    console.log(`\n[stack] ${signal}: stopping every process ...`);
    // Before start-up finished there is no Stack yet: stop whatever was spawned.
    void (stack ? stack.stop() : stopAllChildren()).then(
      () => {
        console.log('[stack] stopped; data kept in ' + dataDir);
        process.exit(0);
      },
      (err) => {
        console.error('[stack] error while stopping:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // The web app the API serves at /app/, rebuilt when apps/web changed (about a second), beside the
  // stack's start. A failed build stops nothing: /app/ then answers 503 saying to build it.
  const [started] = await Promise.all([
    startStack({ dataDir, apps: true }),
    ensureWebBuild({ log: (line) => console.log(`[web] ${line}`) }).catch((err: unknown) =>
      console.error(`[web] WARNING: the web app did not build: ${err instanceof Error ? err.message : String(err)}`),
    ),
  ]);
  stack = started;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const line = '-'.repeat(72);
  const rows: [string, string | undefined][] = [
    // At the emails' links' origin (AIMS_PUBLIC_URL, else the API's): a session cookie belongs to one host name.
    ['Web app', `${(process.env.AIMS_PUBLIC_URL || stack.apiUrl).replace(/\/+$/, '')}/app/`],
    ['API', stack.apiUrl],
    ['OpenAPI docs', `${stack.apiUrl}/docs`],
    ['Health', `${stack.apiUrl}/health`],
    ['Temporal Web UI', stack.temporalUiUrl ?? '(external Temporal: see its own UI)'],
    ['Temporal address', `${stack.temporalAddress} (namespace ${stack.temporalNamespace})`],
    ['Mail inbox', stack.inboxUrl ?? `(external SMTP: ${stack.smtpUrl})`],
    ['SMTP', stack.smtpUrl],
    ['Database', stack.databaseUrl],
    ['Data & logs', `${stack.dataDir} (logs in ${path.join(stack.dataDir, 'logs')})`],
  ];
  console.log(
    [
      '',
      line,
      `  AIMS orchestrator is up (${secs} s)`,
      line,
      ...rows.map(([k, v]) => `  ${k.padEnd(18)} ${v}`),
      line,
      '  Sign in with the bootstrap admin token: the API prints it on its first start',
      '  (see the [api] lines above), or set AIMS_ADMIN_TOKEN before `npm start`.',
      "  Send it as `Authorization: Bearer <token>`, or paste it into the web app's sign-in page",
      '  ("Use an API token").',
      '  Ctrl-C stops everything; the next `npm start` finds the same data.',
      line,
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error('[stack] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
