/**
 * `npm run bench`: every benchmark in turn, each in its own process (so one's memory and
 * handles never touch the next's figures), then their figure lines together at the end.
 *
 *   npm run bench                 all of them
 *   npm run bench -- burst audit  only these
 *
 * A bench's sizes are its own flags and environment variables (see the top of each file).
 * A bench that fails makes the run fail; a goal not met does not: it is a figure to explain.
 */
import { spawn } from 'child_process';
import * as path from 'path';

/** The stack benchmarks of issue 11 first, then the read-model scaling tables. */
export const BENCHES = ['burst', 'import', 'audit', 'status', 'worker-memory', 'read-model-scale', 'incidents-scale'] as const;

/** A figure line: `<bench> <figure>: <value> (goal <goal>)`. */
const FIGURE = /^\S+ .+: .+ \(goal .+\)$/;

function runOne(name: string): Promise<{ code: number; figures: string[] }> {
  return new Promise((resolve, reject) => {
    const file = path.join(__dirname, `${name}.bench.ts`);
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const figures: string[] = [];
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      figures.push(...lines.filter((l) => FIGURE.test(l)));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (FIGURE.test(rest)) figures.push(rest);
      resolve({ code: code ?? 1, figures });
    });
  });
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(BENCHES as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown bench(es): ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`);
  const names = asked.length ? asked : [...BENCHES];
  const figures: string[] = [];
  const failed: string[] = [];
  for (const name of names) {
    const t0 = Date.now();
    process.stderr.write(`\n=== bench ${name}\n`);
    const { code, figures: own } = await runOne(name);
    process.stderr.write(
      `=== bench ${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${Math.round((Date.now() - t0) / 1000)} s\n`,
    );
    if (code !== 0) failed.push(name);
    figures.push(...own);
  }
  console.log(`\n--- figures (${names.length} bench(es))`);
  for (const f of figures) console.log(f);
  if (failed.length) throw new Error(`bench(es) failed: ${failed.join(', ')}`);
}

main().catch((err) => {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(1);
});
