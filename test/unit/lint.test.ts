/** The lint rules that guard what the compiler does not (eslint.config.mjs), tried on probe files. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

const PROBES = {
  workflowImports:
    "import * as fs from 'fs';\nimport { createActivities } from '../activities';\nexport const probe = [fs, createActivities];\n",
  workflowAllowed:
    "import { sleep } from '@temporalio/workflow';\nimport { DEFAULT_TASK_QUEUE } from '../libs/contracts';\nimport { DAY_MS } from '../libs/domain';\n" +
    "import { governanceTask } from './governance-task';\nexport const probe = [sleep, DEFAULT_TASK_QUEUE, DAY_MS, governanceTask];\n",
  floatingPromise: 'async function send(): Promise<void> {}\nexport function probe(): void {\n  send();\n}\n',
  // Spelled in pieces so no grep for focused tests mistakes this probe for one.
  focusedTests: ['it.only', 'describe.skip', 'xit'].map((call, i) => `${call}('${i}', () => undefined);\n`).join(''),
};
// Named per process, and never *.test.ts, so no jest run (this one or another) collects a probe.
const FILES: Record<keyof typeof PROBES, string> = {
  workflowImports: `workflows/lint-probe-${process.pid}-imports.ts`,
  workflowAllowed: `workflows/lint-probe-${process.pid}-allowed.ts`,
  floatingPromise: `libs/domain/lint-probe-${process.pid}-promise.ts`,
  focusedTests: `test/unit/lint-probe-${process.pid}-focus.ts`,
};

/**
 * The probes are written where such code would live (the type-aware rules need them in the
 * project), linted once with the project's own config as `npm run lint` runs it, then removed.
 */
let messages: Record<string, string[]> = {};
beforeAll(() => {
  const files = Object.entries(FILES).map(([probe, rel]) => {
    const file = path.join(ROOT, rel);
    fs.writeFileSync(file, PROBES[probe as keyof typeof PROBES]);
    return file;
  });
  try {
    const eslint = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const run = spawnSync(process.execPath, [eslint, '--format', 'json', ...files], { cwd: ROOT, encoding: 'utf8' });
    const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; message: string }> }>;
    messages = Object.fromEntries(
      Object.entries(FILES).map(([probe, rel]) => [
        probe,
        results.find((r) => r.filePath === path.join(ROOT, rel))!.messages.map((m) => `${m.ruleId}: ${m.message}`),
      ]),
    );
  } finally {
    for (const file of files) fs.rmSync(file, { force: true });
  }
}, 90_000);

describe('eslint.config.mjs', () => {
  it('refuses a Node built-in, or any I/O module, imported by workflow code', () => {
    expect(messages.workflowImports.filter((m) => m.startsWith('@typescript-eslint/no-restricted-imports'))).toHaveLength(2);
    expect(messages.workflowImports[0]).toMatch(/'fs' import is restricted.*deterministic sandbox/);
  });

  it('lets workflow code import the workflow SDK, contracts, domain and its siblings', () => {
    expect(messages.workflowAllowed).toEqual([]);
  });

  it('refuses a floating promise anywhere', () => {
    expect(messages.floatingPromise).toEqual([expect.stringMatching(/^@typescript-eslint\/no-floating-promises: /)]);
  });

  it('refuses focused and skipped tests', () => {
    expect(messages.focusedTests).toEqual(Array(3).fill('no-restricted-syntax: Focused or skipped tests hide failures.'));
  });
});
