/**
 * The web app on the real stack: the API serves the current build of apps/web (the test stack
 * builds it when it changed, as `npm start` does) at /app/ on its own port, an app path falls
 * back to index.html, assets are hashed and cached for good, every answer carries the security
 * headers, `/` leads to the app, and none of it is in the OpenAPI document.
 */
import { CONTENT_SECURITY_POLICY } from '../../apps/api/web/web-app';
import { startTestStack, TestStack } from '../support/stack';

jest.setTimeout(180_000);

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'Europe/Amsterdam' } });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const get = (path: string) => fetch(`${stack.apiUrl}${path}`, { redirect: 'manual' });

function expectSecurityHeaders(res: Response, what: string): void {
  expect([what, res.headers.get('content-security-policy')]).toEqual([what, CONTENT_SECURITY_POLICY]);
  expect([what, res.headers.get('x-content-type-options')]).toEqual([what, 'nosniff']);
  expect([what, res.headers.get('referrer-policy')]).toEqual([what, 'no-referrer']);
}

it('serves the app at /app/ (revalidated, the zone written in), an app path by the same page, and its hashed assets for a year', async () => {
  const index = await get('/app/');
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(index.headers.get('cache-control')).toBe('no-cache');
  expectSecurityHeaders(index, '/app/');
  const html = await index.text();
  expect(html).toContain('<div id="root"></div>');
  expect(html).toContain('<meta name="aims-time-zone" content="Europe/Amsterdam" />');
  // No inline script: the policy allows none, so the page loads its code from files only.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

  const fallback = await get(`/app/tasks/${encodeURIComponent('high-risk-review:0000:2026-Q4')}`);
  expect(fallback.status).toBe(200);
  expect(fallback.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expectSecurityHeaders(fallback, '/app/tasks/...');
  expect(await fallback.text()).toBe(html);

  const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]);
  expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
  expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
  for (const asset of assets) {
    const res = await get(asset);
    expect([asset, res.status]).toEqual([asset, 200]);
    expect(res.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(res, asset);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
  }
  // A missing asset is a 404, not the page (a browser must not run HTML as a script).
  expect((await get('/app/assets/index-00000000.js')).status).toBe(404);
});

it('redirects / to /app/; the API answers as before, and its OpenAPI document has no /app route', async () => {
  const root = await get('/');
  expect(root.status).toBe(302);
  expect(root.headers.get('location')).toBe('/app/');
  expect((await get('/health')).status).toBe(200);
  const doc = (await (await get('/docs-json')).json()) as { paths: Record<string, unknown> };
  expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/app'))).toEqual([]);
  expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
});
