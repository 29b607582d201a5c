/**
 * Accessibility of a page as axe-core judges it, run inside the page. axe is injected from
 * node_modules (nothing is fetched). Any violation of impact serious or critical fails.
 */
import * as fs from 'fs';
import type { Page } from 'playwright-core';

/** axe's source, evaluated through the DevTools protocol: the app's CSP (script-src 'self') rightly refuses an inline <script>. */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact?: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe on what the page shows now; throws listing each serious or critical violation (rule, impact, targets). */
export async function checkA11y(page: Page, pageName: string): Promise<void> {
  // A client-side navigation keeps the window: inject once per document.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate('window.axe.run(document).then((r) => r.violations)')) as AxeViolation[];
  const blocking = violations.filter((v) => v.impact && BLOCKING.has(v.impact));
  if (blocking.length === 0) return;
  const lines = blocking.map(
    (v) => `  - ${v.id} (${v.impact}): ${v.help}\n      targets: ${v.nodes.map((n) => n.target.map(String).join(' ')).join(' | ')}`,
  );
  throw new Error(`${pageName} (${page.url()}): ${blocking.length} serious or critical accessibility violation(s):\n${lines.join('\n')}`);
}
