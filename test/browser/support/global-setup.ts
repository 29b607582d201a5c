/**
 * Once before the browser layer's suites: the web app built from the sources as they are now
 * (tools/web-build.ts; rebuilt only when apps/web changed), so every stack the suites start
 * serves the current app from dist/web, never a stale one.
 */
import { ensureWebBuild } from '../../../tools/web-build';

export default async function globalSetup(): Promise<void> {
  const built = await ensureWebBuild({ log: (line) => process.stdout.write(`[browser] ${line}\n`) });
  if (!built) process.stdout.write('[browser] dist/web is a build of the current apps/web\n');
}
