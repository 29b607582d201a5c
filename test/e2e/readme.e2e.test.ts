/**
 * The README's worked examples, run as written: every ```sh / ```bash / ```shell block, in README
 * order, in one bash (`set -euo pipefail`, so a failing line or an HTTP error under `curl -fsS`
 * fails it), against an e2e stack, with the environment a newcomer has after `npm start` (the
 * API's address and the AIMS_ADMIN_TOKEN it was started with). The README and the product cannot
 * drift apart: a failing block fails this test with its name and its output. The README has no
 * `sleep`: every answer is the state it reports.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startTestStack, TestStack } from '../support/stack';

jest.setTimeout(180_000);

const README = path.resolve(__dirname, '..', '..', 'README.md');

/** The two commands that start the product and run the tests: what the stack under test already is. */
const NOT_RUN = ['npm install && npm start', 'npm test'];

export interface ShellBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above it. */
  section: string;
  code: string;
}

/** Every shell block of a Markdown text, in order. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  const lines = markdown.split('\n');
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const fence = /^(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code fence that never closes`);
    if (['sh', 'bash', 'shell'].includes(fence[2].toLowerCase()))
      blocks.push({ line: i + 1, section, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

function bash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env, cwd, maxBuffer: 64 * 1024 * 1024, timeout: 150_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const readme = fs.readFileSync(README, 'utf8');
const blocks = shellBlocks(readme);
const runnable = blocks.filter((b) => !NOT_RUN.includes(b.code.trim()));

test('the README has no sleep: an answer describes state that exists', () => {
  const sleeps = readme
    .split('\n')
    .map((l, i) => [i + 1, l] as const)
    .filter(([, l]) => /\bsleep\b/i.test(l));
  expect(sleeps).toEqual([]);
});

test('the README has shell blocks to run, and the two commands it does not run are there as written', () => {
  expect(runnable.length).toBeGreaterThanOrEqual(2);
  expect(blocks.map((b) => b.code.trim()).filter((c) => NOT_RUN.includes(c))).toEqual(NOT_RUN);
});

describe('the README worked examples against the stack', () => {
  let stack: TestStack;
  let work: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { AIMS_TIMEZONE: 'UTC' } });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-readme-'));
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('every shell block runs as written, in order, in one shell, with no HTTP error', async () => {
    // One shell, so variables and functions carry from block to block; each block's output to its
    // own file and its number to `current`, so a failure names the block and shows what it printed.
    const script = [
      'set -euo pipefail',
      ...runnable.flatMap((b, i) => [`echo ${i} > "$WORK/current"`, '{', b.code, `} > "$WORK/out.${i}" 2>&1`]),
      'echo done > "$WORK/current"',
    ].join('\n');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      WORK: work,
      // What a newcomer has after `npm start` with a chosen token.
      API: stack.apiUrl,
      AIMS_ADMIN_TOKEN: stack.adminToken,
    };
    const run = await bash(script, env, work);
    const current = fs.readFileSync(path.join(work, 'current'), 'utf8').trim();
    if (run.code !== 0 || current !== 'done') {
      const i = Number(current);
      const block = runnable[i];
      const out = fs.existsSync(path.join(work, `out.${i}`)) ? fs.readFileSync(path.join(work, `out.${i}`), 'utf8') : '';
      throw new Error(
        `README.md:${block?.line} (block ${i + 1} of ${runnable.length}, "${block?.section}") failed with exit code ${run.code}:\n` +
          `${out}${run.stderr}\n--- the block ---\n${block?.code}`,
      );
    }
    // Each block printed what it read: the last one's incident status, the first one's approval.
    expect(fs.readFileSync(path.join(work, 'out.0'), 'utf8')).toMatch(/"approved"|true/);
  });
});
