/**
 * A ZIP written as it is produced (fflate's streaming Zip), each file's SHA-256 computed on
 * the way, so a package of any size never sits in memory. The sink's backpressure is kept:
 * a file's producer waits for `drain` when the sink is full.
 */
import { createHash } from 'crypto';
import { Zip, ZipDeflate } from 'fflate';

/** What the ZIP is written to: an HTTP response, a file stream. */
export interface ZipSink {
  write(chunk: Uint8Array): boolean;
  end(): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed?: boolean;
}

export class ZipWriter {
  private readonly zip: Zip;
  private readonly digests: Array<{ path: string; sha256: string }> = [];
  private full = false;
  private failure: Error | undefined;
  private readonly done: Promise<void>;

  constructor(private readonly sink: ZipSink) {
    let finish!: () => void;
    let fail!: (err: Error) => void;
    this.done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.failure = err;
        fail(err);
        return;
      }
      if (!this.sink.write(chunk)) this.full = true;
      if (final) {
        this.sink.end();
        finish();
      }
    });
  }

  /** Adds one file from its parts (strings are UTF-8); returns its SHA-256. */
  async file(path: string, parts: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<string> {
    const hash = createHash('sha256');
    const entry = new ZipDeflate(path, { level: 6 });
    this.zip.add(entry);
    for await (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      if (!bytes.length) continue;
      hash.update(bytes);
      entry.push(bytes, false);
      await this.drained();
    }
    entry.push(new Uint8Array(0), true);
    await this.drained();
    const sha256 = hash.digest('hex');
    this.digests.push({ path, sha256 });
    return sha256;
  }

  /** The files added so far with their SHA-256, in order. */
  get files(): ReadonlyArray<{ path: string; sha256: string }> {
    return this.digests;
  }

  /** Writes the central directory and ends the sink. */
  async end(): Promise<void> {
    this.zip.end();
    await this.done;
  }

  private async drained(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.full) return;
    this.full = false;
    // A client that goes away never drains: stop writing for it.
    await new Promise<void>((resolve) => {
      this.sink.once('drain', resolve);
      this.sink.once('close', resolve);
    });
    if (this.sink.destroyed) throw new Error('the receiver closed the connection');
  }
}

/** `MANIFEST.sha256`: one line per file, in the format `sha256sum -c` reads. */
export function sha256Manifest(files: ReadonlyArray<{ path: string; sha256: string }>): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}
