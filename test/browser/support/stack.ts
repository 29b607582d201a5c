/**
 * The stack the browser drives: the e2e stack (PostgreSQL, Temporal, worker, SMTP inbox, the
 * API) with the API serving the web app that global-setup.ts built, and the browser pointed
 * at the public URL the emails link to.
 */
import { startTestStack } from '../../support/stack';
import type { TestStack, TestStackOptions } from '../../support/stack';

export interface BrowserStack extends TestStack {
  /** The origin every email links to (AIMS_PUBLIC_URL, which the stack sets to the API's URL). */
  publicUrl: string;
  /** `publicUrl` + an app path, e.g. appUrl('/app/sign-in'). */
  appUrl(path: string): string;
}

export async function startBrowserStack(opts: TestStackOptions = {}): Promise<BrowserStack> {
  const stack = await startTestStack({ ...opts, env: { AIMS_TIMEZONE: 'UTC', ...opts.env } });
  // The browser keeps to the origin of the emails' links: its cookies are that origin's.
  const publicUrl = stack.apiUrl;
  return { ...stack, publicUrl, appUrl: (path: string) => new URL(path, publicUrl).toString() };
}
