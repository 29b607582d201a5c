/**
 * Screenshots of the pages, PNG, under stable names (my-work.png, task.png, ...) so the
 * README can show them: in test-output/browser/ (gitignored), or AIMS_SCREENSHOT_DIR.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { testEnv } from '../../support/test-env';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export const SCREENSHOT_DIR = path.resolve(testEnv.screenshotDir ?? path.join(ROOT, 'test-output', 'browser'));

let announced = false;

/** Writes `<name>.png` of the whole page; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  if (!announced) {
    announced = true;
    process.stdout.write(`[browser] screenshots in ${SCREENSHOT_DIR}\n`);
  }
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Live clocks tick while the shot is taken: freeze the caret and animations, not the data.
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  return file;
}
