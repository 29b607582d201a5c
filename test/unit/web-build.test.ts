/**
 * When the web app is rebuilt (tools/web-build.ts): its build records the hash of the sources it
 * was made from, and a change to any source (not a note) is a new hash, whatever the file times.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { builtHash, SOURCE_HASH_FILE, WEB_SOURCE_DIR, webSourceHash } from '../../tools/web-build';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-web-src-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'src', 'main.tsx'), 'export {};\n');
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('hashes every source: an edit, a new file or a rename is a new hash; a note (README.md) or a dotfile is not', () => {
  const first = webSourceHash(dir);
  expect(webSourceHash(dir)).toBe(first);
  fs.writeFileSync(path.join(dir, 'README.md'), '# notes');
  fs.writeFileSync(path.join(dir, '.DS_Store'), 'x');
  expect(webSourceHash(dir)).toBe(first);

  fs.writeFileSync(path.join(dir, 'src', 'main.tsx'), 'export const x = 1;\n');
  const edited = webSourceHash(dir);
  expect(edited).not.toBe(first);
  // The same bytes under another name are another build.
  fs.renameSync(path.join(dir, 'src', 'main.tsx'), path.join(dir, 'src', 'app.tsx'));
  expect(webSourceHash(dir)).not.toBe(edited);
  // The same content with an older time is still the edit.
  fs.renameSync(path.join(dir, 'src', 'app.tsx'), path.join(dir, 'src', 'main.tsx'));
  fs.utimesSync(path.join(dir, 'src', 'main.tsx'), new Date(0), new Date(0));
  expect(webSourceHash(dir)).toBe(edited);
});

it("reads a build's hash only from a complete build (index.html and the hash file)", () => {
  const out = path.join(dir, 'out');
  expect(builtHash(out)).toBeUndefined();
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, SOURCE_HASH_FILE), 'abc\n');
  expect(builtHash(out)).toBeUndefined();
  fs.writeFileSync(path.join(out, 'index.html'), '<html></html>');
  expect(builtHash(out)).toBe('abc');
});

it('builds from apps/web', () => {
  expect(fs.existsSync(path.join(WEB_SOURCE_DIR, 'index.html'))).toBe(true);
  expect(fs.existsSync(path.join(WEB_SOURCE_DIR, 'vite.config.mjs'))).toBe(true);
  expect(webSourceHash()).toMatch(/^[0-9a-f]{64}$/);
});
