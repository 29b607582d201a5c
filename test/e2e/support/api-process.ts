/**
 * An extra API process next to the test stack's, e.g. one that cannot reach Temporal, or
 * two started at once on a fresh database. Started exactly like the stack starts its API.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { getFreePort } from '../../../tools/stack';
import { testEnv } from '../../support/test-env';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface ApiProcess {
  url: string;
  /** stdout + stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on (bound and released): a Temporal address that refuses connections. */
export async function unreachableAddress(): Promise<string> {
  return `127.0.0.1:${await getFreePort()}`;
}

export async function startApi(env: Record<string, string>, timeoutMs = 90_000): Promise<ApiProcess> {
  const port = await getFreePort();
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(REPO_ROOT, 'apps/api/main.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: testEnv.path, HOME: testEnv.home, NODE_ENV: 'test', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!running) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running) throw new Error(`API exited before answering:\n${out}`);
    try {
      // Any answer will do: /health is 503 when Temporal is unreachable on purpose.
      await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`API did not answer within ${timeoutMs} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { url, output: () => out, stop };
}
