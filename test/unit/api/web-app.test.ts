/**
 * The web app's file serving (apps/api/web/web-app.ts) over a real HTTP server and a build on
 * disk: caching by kind of file, the SPA fallback, the security headers, no way out of the
 * build directory, and a clear 503 when there is no build.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { ASSET_CACHE, CONTENT_SECURITY_POLICY, webApp } from '../../../apps/api/web/web-app';

const INDEX = `<!doctype html><html><head><meta name="aims-time-zone" content="" /><script type="module" src="/app/assets/index-abc123.js"></script></head><body></body></html>`;

let root: string;
let built: string;
let server: http.Server;
let base: string;
let webDir: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-web-'));
  built = path.join(root, 'web');
  fs.mkdirSync(path.join(built, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(built, 'index.html'), INDEX);
  fs.writeFileSync(path.join(built, 'assets', 'index-abc123.js'), 'console.log(1);\n');
  fs.writeFileSync(path.join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(built, '.source-hash'), 'secret-ish\n');
  fs.writeFileSync(path.join(root, 'outside.txt'), 'outside the build\n');
  webDir = built;
  // The directory is read per request: a test may point it elsewhere.
  server = http.createServer((req, res) =>
    webApp({ webDir, timeZone: 'Europe/Berlin' })(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"statusCode":404}');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(root, { recursive: true, force: true });
});

afterEach(() => {
  webDir = built;
});

const get = (p: string, init?: RequestInit) => fetch(`${base}${p}`, { redirect: 'manual', ...init });

function expectSecurityHeaders(res: Response): void {
  expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

it("answers index.html at /app/, revalidated, with the organisation's zone written in", async () => {
  const res = await get('/app/');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  expectSecurityHeaders(res);
  expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
  expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  const html = await res.text();
  expect(html).toContain('<meta name="aims-time-zone" content="Europe/Berlin" />');
  expect(html).toContain('/app/assets/index-abc123.js');
});

it('answers index.html for any app path (the router reads it), query strings and encoded task ids included', async () => {
  for (const p of [
    '/app/tasks/high-risk-review%3Aabc%3A2026-Q4',
    '/app/incidents/x?y=1',
    '/app/sign-in?next=%2Fapp%2Fapprovals',
    '/app/index.html',
  ]) {
    const res = await get(p);
    expect([p, res.status, res.headers.get('content-type')]).toEqual([p, 200, 'text/html; charset=utf-8']);
    expect(await res.text()).toContain('aims-time-zone');
  }
});

it('serves a hashed asset for a year, immutable; other files revalidate', async () => {
  const asset = await get('/app/assets/index-abc123.js');
  expect(asset.status).toBe(200);
  expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(asset.headers.get('cache-control')).toBe(ASSET_CACHE);
  expectSecurityHeaders(asset);
  expect(await asset.text()).toBe('console.log(1);\n');
  const icon = await get('/app/favicon.svg');
  expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  expect(icon.headers.get('cache-control')).toBe('no-cache');
  const head = await get('/app/assets/index-abc123.js', { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe('16');
  expect(await head.text()).toBe('');
});

it('answers a missing asset with a 404, never with index.html', async () => {
  const res = await get('/app/assets/index-gone.js');
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
});

it('never serves a dotfile or anything outside the build', async () => {
  const hash = await get('/app/.source-hash');
  expect(await hash.text()).not.toContain('secret-ish');
  for (const p of ['/app/../outside.txt', '/app/%2e%2e/outside.txt', '/app/assets/..%2f..%2foutside.txt', '/app/%2e%2e%2foutside.txt']) {
    const res = await get(p);
    expect(await res.text()).not.toContain('outside the build');
  }
  expect((await get('/app/%E0%A4%A')).status).toBe(400);
});

it('redirects / and /app to /app/, and leaves every other path to the API', async () => {
  const root = await get('/');
  expect(root.status).toBe(302);
  expect(root.headers.get('location')).toBe('/app/');
  const app = await get('/app?x=1');
  expect(app.status).toBe(302);
  expect(app.headers.get('location')).toBe('/app/?x=1');
  for (const p of ['/tasks', '/application', '/docs-json']) expect((await get(p)).headers.get('content-type')).toBe('application/json');
  expect((await get('/', { method: 'POST' })).headers.get('content-type')).toBe('application/json');
});

it('allows only GET and HEAD under /app', async () => {
  const res = await get('/app/tasks/x', { method: 'POST', body: '{}' });
  expect(res.status).toBe(405);
  expect(res.headers.get('allow')).toBe('GET, HEAD');
});

it('answers 503 saying to build the app when there is no build', async () => {
  webDir = path.join(root, 'not-built');
  for (const p of ['/app/', '/app/tasks/x', '/app/assets/index-abc123.js']) {
    const res = await get(p);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/not built.*npm run build/s);
  }
});
