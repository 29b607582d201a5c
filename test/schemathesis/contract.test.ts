/**
 * The contract is the validator: schemathesis (pinned, installed by tools/stack/tools.ts
 * into the cache) fuzzes every operation of `/docs-json` on the real stack with all of its
 * checks (server errors, status codes and response schemas as documented, schema-valid
 * input accepted and schema-invalid input refused, 405 with `Allow` for undeclared
 * methods, ...) and this layer fails on any failure. Bounded: a fixed seed and a few
 * examples per operation, so a run takes a couple of minutes.
 *
 * SCHEMATHESIS_MAX_EXAMPLES raises the examples per operation for a deeper local run.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureSchemathesis } from '../../tools/stack/tools';
import { startTestStack, TestStack } from '../support/stack';

let stack: TestStack;
let reportDir: string;

beforeAll(async () => {
  stack = await startTestStack();
  reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-schemathesis-'));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
});

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: reportDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test('schemathesis, all checks, against /docs-json: no failures', async () => {
  const st = await ensureSchemathesis();
  if (!st) throw new Error('schemathesis could not be installed (python3 missing?)');
  const maxExamples = process.env.SCHEMATHESIS_MAX_EXAMPLES || '30';
  const { code, output } = await run(st, [
    '--config-file',
    path.join(__dirname, 'schemathesis.toml'),
    'run',
    `${stack.apiUrl}/docs-json`,
    '--checks',
    'all',
    '--header',
    `Authorization: ${stack.adminAuth}`,
    '--max-examples',
    maxExamples,
    '--seed',
    '42',
    // One worker: hypothesis's lambda descriptions call ast.parse, which CPython 3.11 before
    // 3.11.9 breaks when threads parse at once ("AST constructor recursion depth mismatch").
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--report',
    'junit',
    '--report-dir',
    reportDir,
  ]);
  if (code !== 0) process.stdout.write(output);
  expect({ code, summary: output.split('\n').slice(-15).join('\n') }).toMatchObject({ code: 0 });
}, 900_000);
