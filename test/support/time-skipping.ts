/**
 * Time-skipping Temporal test environment for test/workflows.
 *
 * Uses the Java test server fetched once by tools/stack/tools.ts (tools/test.js
 * exports its wrapper's path as AIMS_TEST_SERVER), so no download is needed;
 * falls back to the SDK's own download when Java/Maven are unavailable.
 *
 * The product's search attributes are registered in its namespace (a workflow that upserts an
 * unregistered one fails its workflow task), so `describe()` shows what the workflows set; the
 * test server answers no visibility queries (ListWorkflowExecutions), the e2e layer runs those.
 *
 * The SDK gives the server 5 s to open its port; on a loaded machine a JVM can
 * miss that window, so a failed start is retried.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { ensureTimeSkippingServer } from '../../tools/stack';
import { ensureSearchAttributes } from '../../tools/stack/search-attributes';
import { testEnv } from './test-env';

export async function createTimeSkippingEnv(opts: TimeSkippingTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
  const path = testEnv.testServer || (await ensureTimeSkippingServer());
  const options: TimeSkippingTestWorkflowEnvironmentOptions = path
    ? { ...opts, server: { ...opts.server, executable: { type: 'existing-path', path } } }
    : opts;
  for (let attempt = 1; ; attempt++) {
    let env: TestWorkflowEnvironment | undefined;
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping(options);
    } catch (err) {
      const startFailure = /failed to start ephemeral server/i.test(String((err as Error)?.message ?? err));
      if (!startFailure || attempt >= 3) throw err;
      continue;
    }
    try {
      await ensureSearchAttributes(env.connection.operatorService, env.namespace ?? 'default');
    } catch (err) {
      await env.teardown(); // never leave a test server behind
      throw err;
    }
    return env;
  }
}
