#!/usr/bin/env node
/*
 * `npm test`: the static checks of the tree (tsc --noEmit, eslint, prettier --check), then
 * the test layers in order (unit, workflows, replay, e2e, browser, schemathesis), one
 * jest process per layer (projects in jest.config.js), and exits non-zero if any
 * layer fails.
 *
 *   npm test                      all layers
 *   npm test -- unit              one layer (several: npm test -- unit replay)
 *   npm test -- e2e -t inbox      extra arguments go to jest
 *   npm test -- browser           the web app in Chromium against the real stack
 *   npm test -- schemathesis      the API contract layer alone
 *
 * Before jest it makes sure the outside tools exist (a fresh machine works):
 * the Temporal CLI (built with Go) for e2e, the time-skipping test server (Java,
 * fetched with Maven) for workflows/replay; their paths are exported as
 * TEMPORAL_CLI and AIMS_TEST_SERVER for the tests; schemathesis (pip, into a
 * virtualenv in the cache) for the schemathesis layer, exported as SCHEMATHESIS; for the
 * browser layer a Chromium (CHROME_PATH or Debian's chromium, which .ci/run installs).
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const LAYERS = {
  // Static checks of the whole tree: strict types (jest only transpiles), lint, format.
  static: { checks: ['typecheck', 'lint', 'format:check'] },
  unit: { timeout: 30_000, args: [] },
  workflows: { timeout: 120_000, args: ['--forceExit'] },
  replay: { timeout: 120_000, args: ['--forceExit'] },
  e2e: { timeout: 180_000, args: ['--maxWorkers=1', '--forceExit'] },
  // The web app in Chromium (test/browser) against an e2e stack: whole flows per test, hence long.
  browser: { timeout: 300_000, args: ['--maxWorkers=1', '--forceExit'] },
  // The API contract: schemathesis, all checks, against an e2e stack (test/schemathesis).
  schemathesis: { timeout: 900_000, args: ['--forceExit'] },
};

function parseArgs(argv) {
  const selected = [];
  const jestArgs = [];
  for (const arg of argv) {
    if (jestArgs.length === 0 && Object.prototype.hasOwnProperty.call(LAYERS, arg)) selected.push(arg);
    else jestArgs.push(arg);
  }
  return { layers: selected.length ? Object.keys(LAYERS).filter((l) => selected.includes(l)) : Object.keys(LAYERS), jestArgs };
}

async function prepare(layers) {
  const needTestServer = layers.includes('workflows') || layers.includes('replay');
  const needCli = layers.includes('e2e') || layers.includes('browser') || layers.includes('schemathesis');
  const needSchemathesis = layers.includes('schemathesis');
  const needChromium = layers.includes('browser') && fs.existsSync(path.join(ROOT, 'test', 'browser'));
  if (!needTestServer && !needCli) return;
  require('ts-node').register({ transpileOnly: true, project: path.join(ROOT, 'tsconfig.json') });
  const tools = require(path.join(ROOT, 'tools', 'stack', 'tools'));
  const log = (m) => process.stdout.write(`[prepare] ${m}\n`);
  const t0 = Date.now();
  // Before the long tool builds: a missing browser is said at once.
  if (needChromium) log(`chromium: ${require(path.join(ROOT, 'test', 'browser', 'support', 'chromium')).findChromium()}`);
  const [server, cli] = await Promise.all([
    needTestServer ? tools.ensureTimeSkippingServer(log) : Promise.resolve(undefined),
    needCli ? tools.ensureTemporalCli(log) : Promise.resolve(undefined),
  ]);
  if (server) process.env.AIMS_TEST_SERVER = server;
  if (cli) process.env.TEMPORAL_CLI = cli;
  if (needTestServer) log(`time-skipping test server: ${server || '(SDK download)'}`);
  if (needCli) log(`temporal CLI: ${cli || '(SDK download)'}`);
  if (needSchemathesis) {
    const st = await tools.ensureSchemathesis(log);
    if (!st) throw new Error('schemathesis could not be installed (needs python3 with venv and pip)');
    process.env.SCHEMATHESIS = st;
    log(`schemathesis: ${st}`);
  }
  log(`tools ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Where the browser layer writes its screenshots (test/browser/support/screenshots.ts says the same). */
function screenshotDir() {
  return path.relative(process.cwd(), path.resolve(process.env.AIMS_SCREENSHOT_DIR || path.join(ROOT, 'test-output', 'browser'))) || '.';
}

let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) current.kill(sig);
    process.exitCode = 130;
  });
}

function run(args) {
  return new Promise((resolve) => {
    current = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
    current.on('exit', (code) => {
      current = undefined;
      resolve(code === null ? 1 : code);
    });
    current.on('error', (err) => {
      console.error(err);
      resolve(1);
    });
  });
}

const CHECKS = {
  typecheck: () => [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', path.join(ROOT, 'tsconfig.json'), '--noEmit'],
  lint: () => [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), ROOT],
  'format:check': () => [path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', '--log-level', 'warn', ROOT],
};

/** Runs one layer's jest; its counts are read back from jest's JSON report. */
async function runJest(layer, jestArgs) {
  const jestBin = require.resolve('jest/bin/jest', { paths: [ROOT] });
  const report = path.join(os.tmpdir(), `aims-jest-${process.pid}-${layer}.json`);
  const args = [
    jestBin,
    '--json',
    `--outputFile=${report}`,
    '--config',
    path.join(ROOT, 'jest.config.js'),
    '--selectProjects',
    layer,
    `--testTimeout=${LAYERS[layer].timeout}`,
    ...(process.env.CI ? ['--ci'] : []),
    ...LAYERS[layer].args,
    ...jestArgs,
  ];
  const code = await run(args);
  let counts = { passed: 0, failed: 0, names: [] };
  try {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    const names = r.testResults.flatMap((file) => [
      ...(file.status === 'failed' && file.message && !file.assertionResults.some((a) => a.status === 'failed')
        ? [`${path.relative(ROOT, file.name)}: ${file.message.split('\n').find((l) => l.trim()) || 'failed to run'}`]
        : []),
      ...file.assertionResults.filter((a) => a.status === 'failed').map((a) => `${path.relative(ROOT, file.name)}: ${a.fullName}`),
    ]);
    counts = { passed: r.numPassedTests, failed: r.numFailedTests + r.numRuntimeErrorTestSuites, names };
    fs.rmSync(report, { force: true });
  } catch {
    // No report: jest died before writing it; the exit code says it failed.
  }
  return { code, counts };
}

async function main() {
  const { layers, jestArgs } = parseArgs(process.argv.slice(2));
  try {
    await prepare(layers);
  } catch (err) {
    console.error(`[prepare] failed: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  }
  const results = [];
  const totals = { passed: 0, failed: 0 };
  const failedNames = [];
  for (const layer of layers) {
    if (LAYERS[layer].checks) {
      for (const check of LAYERS[layer].checks) {
        process.stdout.write(`\n=== ${check} ===\n`);
        const t0 = Date.now();
        const code = await run(CHECKS[check]());
        results.push({
          layer: check,
          status: code === 0 ? 'passed' : `FAILED (exit ${code})`,
          ok: code === 0,
          secs: (Date.now() - t0) / 1000,
        });
      }
      continue;
    }
    if (!fs.existsSync(path.join(ROOT, 'test', layer))) {
      results.push({ layer, status: 'skipped (no test/' + layer + ')', ok: true });
      continue;
    }
    process.stdout.write(`\n=== ${layer} tests ===\n`);
    const t0 = Date.now();
    const { code, counts } = await runJest(layer, jestArgs);
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    failedNames.push(...counts.names);
    results.push({
      layer,
      status: `${code === 0 ? 'passed' : `FAILED (exit ${code})`}: ${counts.passed} passed, ${counts.failed} failed${layer === 'browser' ? `; screenshots in ${screenshotDir()}` : ''}`,
      ok: code === 0,
      secs: (Date.now() - t0) / 1000,
    });
    if (process.exitCode === 130) break; // interrupted
  }
  process.stdout.write('\n=== summary ===\n');
  for (const r of results) {
    process.stdout.write(`  ${r.layer.padEnd(13)} ${r.status}${r.secs !== undefined ? ` in ${r.secs.toFixed(1)} s` : ''}\n`);
  }
  for (const name of failedNames) process.stdout.write(`  failed: ${name}\n`);
  const failed = results.filter((r) => !r.ok);
  // The closing line CI reads, whatever the runner.
  process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed + (failed.length && !totals.failed ? 1 : 0)} failed\n`);
  if (failed.length || process.exitCode === 130) process.exit(process.exitCode || 1);
  process.exit(0);
}

main();
