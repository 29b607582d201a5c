/**
 * The web app, served by the API itself (one port): the Vite build in `webDir` under /app/.
 *
 *  - hashed assets (/app/assets/*) cache for a year, immutable; index.html and the rest revalidate;
 *  - any other /app/* path answers index.html (the app's router reads the path), a missing
 *    asset a 404 (a browser must not parse HTML as a script);
 *  - `/` redirects to /app/;
 *  - every answer carries a Content-Security-Policy (scripts and styles from this origin only,
 *    no inline script, no framing) and Referrer-Policy: no-referrer (the sign-in page's URL holds
 *    a one-time link in its fragment; nothing of it may leave in a Referer);
 *  - without a build, /app/ answers 503 saying how to make one.
 * Plain Express middleware rather than a controller: these are files, not API operations, so they
 * stay out of the OpenAPI document and the contract tests.
 */
import * as fs from 'fs';
import type { IncomingMessage, ServerResponse } from 'http';
import * as path from 'path';

export const WEB_BASE = '/app';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Vite names every built asset by its content hash: it never changes under its name. */
export const ASSET_CACHE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export const NOT_BUILT_MESSAGE =
  'The web app is not built. Run `npm run build` (or `npm start`, which builds it), or set AIMS_WEB_DIR to a built app.\n';

export interface WebAppOptions {
  /** The Vite build: index.html and assets/. */
  webDir: string;
  /** The organisation's zone, written into index.html for the app to show times in. */
  timeZone: string;
}

type Next = (err?: unknown) => void;

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function send(res: ServerResponse, method: string, status: number, headers: Record<string, string | number>, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': bytes.length });
  res.end(method === 'HEAD' ? undefined : bytes);
}

const text = (res: ServerResponse, method: string, status: number, message: string, extra: Record<string, string> = {}) =>
  send(res, method, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra }, message);

/** The middleware: mount it before the API's routes (it passes on every path outside / and /app). */
export function webApp(opts: WebAppOptions): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const root = path.resolve(opts.webDir);
  const zoneMeta = `<meta name="aims-time-zone" content="${escapeAttribute(opts.timeZone)}" />`;

  // index.html with the zone filled in, read again only when a new build replaced it.
  let cached: { mtimeMs: number; html: string } | undefined;
  const indexHtml = async (): Promise<string | undefined> => {
    const file = path.join(root, 'index.html');
    try {
      const { mtimeMs } = await fs.promises.stat(file);
      if (cached?.mtimeMs !== mtimeMs) {
        const raw = await fs.promises.readFile(file, 'utf8');
        cached = { mtimeMs, html: raw.replace(/<meta name="aims-time-zone" content="[^"]*"\s*\/?>/, zoneMeta) };
      }
      return cached.html;
    } catch {
      cached = undefined;
      return undefined;
    }
  };

  const index = (res: ServerResponse, method: string): void => {
    void indexHtml().then((html) =>
      html === undefined
        ? text(res, method, 503, NOT_BUILT_MESSAGE)
        : send(res, method, 200, { 'Content-Type': CONTENT_TYPES['.html'], 'Cache-Control': REVALIDATE }, html),
    );
  };

  return (req, res, next) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const qs = q < 0 ? '' : url.slice(q);
    if (pathname === '/') {
      if (method !== 'GET' && method !== 'HEAD') return next();
      return send(
        res,
        method,
        302,
        { Location: `${WEB_BASE}/`, 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
        `Found: ${WEB_BASE}/\n`,
      );
    }
    if (pathname !== WEB_BASE && !pathname.startsWith(`${WEB_BASE}/`)) return next();
    if (method !== 'GET' && method !== 'HEAD')
      return text(res, method, 405, `${method} is not allowed on ${WEB_BASE}; allowed: GET, HEAD\n`, { Allow: 'GET, HEAD' });
    if (pathname === WEB_BASE) return send(res, method, 302, { Location: `${WEB_BASE}/${qs}`, 'Cache-Control': 'no-store' }, '');

    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice(WEB_BASE.length + 1));
    } catch {
      return text(res, method, 400, 'malformed path\n');
    }
    if (rel.includes('\0')) return text(res, method, 400, 'malformed path\n');
    const segments = rel.split('/').filter(Boolean);
    const isAsset = segments[0] === 'assets';
    // Never a dotfile (the build's .source-hash) and never outside the build.
    const file = path.resolve(root, ...segments);
    const inside = file.startsWith(root + path.sep) && !segments.some((s) => s.startsWith('.'));
    if (inside && segments.length && !(segments.length === 1 && segments[0] === 'index.html')) {
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(file);
      } catch {
        stat = undefined;
      }
      if (stat?.isFile()) {
        const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': type,
          'Content-Length': stat.size,
          'Cache-Control': isAsset ? ASSET_CACHE : REVALIDATE,
          'Last-Modified': stat.mtime.toUTCString(),
        });
        if (method === 'HEAD') return void res.end();
        const stream = fs.createReadStream(file);
        stream.on('error', (err) => (res.headersSent ? res.destroy(err) : next(err)));
        return void stream.pipe(res);
      }
    }
    if (isAsset) {
      if (!fs.existsSync(path.join(root, 'index.html'))) return text(res, method, 503, NOT_BUILT_MESSAGE);
      return text(res, method, 404, `no such asset: ${pathname}\n`);
    }
    index(res, method);
  };
}
