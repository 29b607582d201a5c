/**
 * The web app's build: `vite build apps/web` into dist/web (served by the API under /app/).
 *
 * `npm run build` always builds it (tools/build.ts); `npm start` and the test stacks call
 * `ensureWebBuild()`, which builds only when dist/web is missing or was built from other
 * sources: a content hash of apps/web (and the versions of the packages it is built from) is
 * stored in dist/web, so a checkout, an edit or a `git pull` is noticed whatever the file times.
 * Vite runs as a child process (it is an ES module; the tools run as CommonJS under ts-node).
 * It builds into a fresh directory that then replaces dist/web, so a server never reads half a build.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
/** The app's sources: index.html, src/, vite.config.mjs. */
export const WEB_SOURCE_DIR = path.join(ROOT, 'apps', 'web');
/** Where the API serves it from by default (libs/config `webDir`, AIMS_WEB_DIR). */
export const WEB_OUT_DIR = path.join(ROOT, 'dist', 'web');
/** The hash of the sources a build was made from, inside the build (the API never serves dotfiles). */
export const SOURCE_HASH_FILE = '.source-hash';

/** The packages whose code ends up in the build: a new version is a new build. */
const BUILT_FROM = ['vite', 'react', 'react-dom'];

function filesUnder(dir: string): string[] {
  return (
    fs
      .readdirSync(dir, { withFileTypes: true })
      // Notes (README.md) do not change what Vite builds.
      .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.') && !e.name.endsWith('.md'))
      .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      .sort()
  );
}

/** sha256 over every file of apps/web (path and content) and the versions of the packages it is built from. */
export function webSourceHash(sourceDir = WEB_SOURCE_DIR): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(sourceDir)) {
    hash.update(path.relative(sourceDir, file).split(path.sep).join('/')).update('\0');
    hash.update(fs.readFileSync(file)).update('\0');
  }
  for (const pkg of BUILT_FROM) {
    const version = (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), 'utf8')) as { version: string })
      .version;
    hash.update(`${pkg}@${version}\0`);
  }
  return hash.digest('hex');
}

/** The hash dist/web was built from, or undefined when there is no complete build. */
export function builtHash(outDir = WEB_OUT_DIR): string | undefined {
  try {
    if (!fs.existsSync(path.join(outDir, 'index.html'))) return undefined;
    return fs.readFileSync(path.join(outDir, SOURCE_HASH_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export interface WebBuildOptions {
  outDir?: string;
  log?: (line: string) => void;
}

/** Builds apps/web into `outDir` (replacing it), recording the sources' hash; rejects with Vite's output when it fails. */
export async function buildWeb(opts: WebBuildOptions = {}): Promise<void> {
  const outDir = path.resolve(opts.outDir ?? WEB_OUT_DIR);
  const t0 = Date.now();
  const hash = webSourceHash();
  const staging = `${outDir}.building-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  // Its CLI (bin/vite.js is not in the package's exports): the directory of its package.json.
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [ROOT] })), 'bin', 'vite.js');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', WEB_SOURCE_DIR, '--outDir', staging, '--emptyOutDir'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`vite build apps/web failed (exit ${code ?? signal}):\n${out.trim()}`)),
    );
  }).catch((err: unknown) => {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  });
  fs.writeFileSync(path.join(staging, SOURCE_HASH_FILE), `${hash}\n`);
  // Swap: the old build moves aside, the new one takes its place, the old one goes.
  const old = `${outDir}.old-${process.pid}-${Date.now()}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(staging, outDir);
  fs.rmSync(old, { recursive: true, force: true });
  if (output.trim()) opts.log?.(output.trim());
  opts.log?.(`built apps/web into ${path.relative(ROOT, outDir) || outDir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * Builds the web app when `outDir` holds no build of the current sources; resolves to whether it
 * built. What `npm start` and the test stacks call, so the API they start serves the app as it is.
 */
export async function ensureWebBuild(opts: WebBuildOptions = {}): Promise<boolean> {
  const outDir = path.resolve(opts.outDir ?? WEB_OUT_DIR);
  if (builtHash(outDir) === webSourceHash()) return false;
  await buildWeb({ ...opts, outDir });
  return true;
}
