/**
 * `npm run build`: what the Docker image (and any production start) runs.
 *
 *   1. empties dist/ (no stale output of a deleted source survives a build);
 *   2. compiles apps/, workflows/, activities/ and libs/ with tsconfig.build.json
 *      (type errors fail the build), giving dist/apps/{api,worker,migrate}/main.js;
 *   3. bundles workflows/ ahead of time with the SDK's bundleWorkflowCode into
 *      dist/workflow-bundle.js, which the compiled worker loads (apps/worker/worker.ts),
 *      so it starts without running webpack;
 *   4. builds the web app (apps/web, Vite) into dist/web, which the API serves at /app/.
 *
 * Exits non-zero when any step fails. `npm start`, the tests and the benches do not use
 * dist/: they run the sources through ts-node / ts-jest and bundle workflows themselves
 * (and build dist/web only when apps/web changed, tools/web-build.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_FILE } from '../apps/worker/worker';
import { buildWeb } from './web-build';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'dist');
const log = (line: string): void => void process.stdout.write(`[build] ${line}\n`);
const secs = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const t0 = Date.now();
  fs.rmSync(OUT_DIR, { recursive: true, force: true });

  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (compiled.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${compiled.status ?? compiled.signal})`);
  log(`compiled to dist/ in ${secs(t0)}`);

  const t1 = Date.now();
  // The sources, as the worker bundles them under ts-node: the same code the workflow
  // and replay tests run, so the shipped bundle is the one they checked.
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(path.join(ROOT, 'workflows')),
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: log, error: log },
  });
  const bundlePath = path.join(OUT_DIR, WORKFLOW_BUNDLE_FILE);
  fs.writeFileSync(bundlePath, code);
  log(`bundled workflows/ to ${path.relative(ROOT, bundlePath)} (${(code.length / 1024 / 1024).toFixed(1)} MB) in ${secs(t1)}`);
  await buildWeb({ outDir: path.join(OUT_DIR, 'web'), log });
  log(`done in ${secs(t0)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[build] FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
