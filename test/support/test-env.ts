/**
 * The test runner's own switches, read in this one place (the product reads its
 * configuration through libs/config). tools/test.js sets AIMS_TEST_SERVER and TEMPORAL_CLI.
 */
export const testEnv = {
  /** AIMS_TEST_SERVER: the time-skipping test server's launcher, when tools/test.js found it. */
  testServer: process.env.AIMS_TEST_SERVER || undefined,
  /** AIMS_KEEP_TEST_DATA=1: keep e2e data dirs (PostgreSQL, Temporal, mail, logs) after the run. */
  keepData: process.env.AIMS_KEEP_TEST_DATA === '1',
  /** AIMS_STACK_ECHO=1: echo the e2e stack's process output. */
  stackEcho: process.env.AIMS_STACK_ECHO === '1',
  /** RECORD_HISTORIES=1: the workflow tests write their histories to test/replay/histories. */
  recordHistories: process.env.RECORD_HISTORIES === '1',
  /** AIMS_TEST_LOG_LEVEL: the workflow tests' worker log level (default WARN). */
  workerLogLevel: (process.env.AIMS_TEST_LOG_LEVEL || 'WARN') as 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
  /** CHROME_PATH: the Chromium (or Chrome) the browser layer drives instead of Debian's /usr/bin/chromium. */
  chromePath: process.env.CHROME_PATH || undefined,
  /** AIMS_SCREENSHOT_DIR: where the browser layer writes its screenshots (default test-output/browser). */
  screenshotDir: process.env.AIMS_SCREENSHOT_DIR || undefined,
  /** The child processes' PATH and HOME (an extra API process starts with nothing else). */
  path: process.env.PATH ?? '',
  home: process.env.HOME ?? '',
};
