/**
 * Which Chromium the browser layer drives: the one CHROME_PATH names, else Debian's
 * `chromium` package (.ci/run installs it). Playwright's own browser downloads are not
 * used: the browser comes from the system's package manager like every other tool here.
 */
import * as fs from 'fs';
import { which } from '../../../tools/stack/tools';
import { testEnv } from '../../support/test-env';

/** Where distributions put it, when PATH does not name it. */
const KNOWN = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/** The executable to launch; throws saying how to get one when there is none. */
export function findChromium(): string {
  if (testEnv.chromePath) {
    if (!fs.existsSync(testEnv.chromePath)) throw new Error(`CHROME_PATH=${testEnv.chromePath}: no such file`);
    return testEnv.chromePath;
  }
  const found = which('chromium', KNOWN) ?? which('chromium-browser');
  if (!found)
    throw new Error(
      'no Chromium for the browser layer: `apt-get install chromium` (.ci/run does), or set CHROME_PATH to a Chromium or Chrome',
    );
  return found;
}
