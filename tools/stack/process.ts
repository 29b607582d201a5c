/**
 * Child-process management for the embedded stack.
 *
 * Every child runs in its own process group (detached) so that stopping it also
 * stops anything it spawned (ts-node, JVMs, ...), and so that a terminal Ctrl-C
 * reaches only the launcher, which then stops the children in order.
 *
 * Children must not outlive the launcher:
 *  - on a normal exit / SIGINT / SIGTERM / SIGHUP the launcher signals them;
 *  - if the launcher is killed with SIGKILL, a tiny detached watchdog process
 *    (one per launcher) notices that its parent is gone and stops them.
 */
import { spawn, ChildProcess, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type Signal = NodeJS.Signals;

export interface SpawnManagedOptions {
  /** Short name used as log prefix, e.g. "api". */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** Append the child's output to this file. */
  logFile?: string;
  /** Echo the child's output to this process' stdout, prefixed with `[name]`. */
  echo?: boolean;
  /** Called for every output line. */
  onLine?: (line: string) => void;
  /** Signal used for a graceful stop (default SIGTERM; postgres wants SIGINT). */
  stopSignal?: Signal;
  /** Grace period before SIGKILL (default 10 s). */
  graceMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: Signal | null;
}

const live = new Set<ManagedProcess>();

export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  private readonly lines: string[] = [];
  readonly stopSignal: Signal;
  private readonly graceMs: number;
  private stopping: Promise<ExitInfo> | undefined;

  constructor(opts: SpawnManagedOptions) {
    this.name = opts.name;
    this.stopSignal = opts.stopSignal ?? 'SIGTERM';
    this.graceMs = opts.graceMs ?? 10_000;
    const spawnOpts: SpawnOptions = {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    };
    if (opts.uid !== undefined) spawnOpts.uid = opts.uid;
    if (opts.gid !== undefined) spawnOpts.gid = opts.gid;
    const child = spawn(opts.command, opts.args, spawnOpts);
    this.child = child;
    let logStream: fs.WriteStream | undefined;
    if (opts.logFile) {
      fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
      logStream = fs.createWriteStream(opts.logFile, { flags: 'a' });
      logStream.on('error', () => undefined);
      logStream.write(`\n----- ${new Date().toISOString()} start ${opts.command} ${opts.args.join(' ')}\n`);
    }
    const onData = (prefixStream: NodeJS.WriteStream) => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const parts = text.split(/\r?\n/);
        partial = parts.pop() ?? '';
        for (const line of parts) this.handleLine(line, opts, prefixStream, logStream);
      };
    };
    child.stdout?.on('data', onData(process.stdout));
    child.stderr?.on('data', onData(process.stderr));
    this.exited = new Promise<ExitInfo>((resolve) => {
      let settled = false;
      const done = (info: ExitInfo) => {
        if (settled) return;
        settled = true;
        this.exitInfo = info;
        live.delete(this);
        syncRegistry();
        logStream?.end(`----- ${new Date().toISOString()} exit code=${info.code} signal=${info.signal}\n`);
        resolve(info);
      };
      child.on('exit', (code, signal) => done({ code, signal }));
      child.on('error', (err) => {
        this.lines.push(`spawn error: ${err.message}`);
        done({ code: -1, signal: null });
      });
    });
    if (child.pid === undefined) {
      // spawn failed synchronously (ENOENT etc.); 'error' will fire.
      this.pid = -1;
    } else {
      this.pid = child.pid;
      live.add(this);
      syncRegistry();
      installExitHooks();
    }
  }

  private handleLine(line: string, opts: SpawnManagedOptions, out: NodeJS.WriteStream, logStream: fs.WriteStream | undefined): void {
    this.lines.push(line);
    if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
    logStream?.write(line + '\n');
    // While stopping, shutdown chatter goes to the log file only.
    if (opts.echo && !this.stopping) out.write(`[${opts.name}] ${line}\n`);
    opts.onLine?.(line);
  }

  get running(): boolean {
    return this.exitInfo === undefined && this.pid > 0;
  }

  /** The last `n` output lines (stdout and stderr interleaved). */
  lastLines(n = 40): string[] {
    return this.lines.slice(-n);
  }

  describeExit(): string {
    const info = this.exitInfo;
    const how = info ? `exited (code ${info.code}, signal ${info.signal})` : 'is running';
    const tail = this.lastLines(40)
      .map((l) => `  | ${l}`)
      .join('\n');
    return `${this.name} ${how}; last output:\n${tail || '  | (no output)'}`;
  }

  /** Graceful stop: stopSignal to the process group, SIGKILL after the grace period. */
  stop(graceMs = this.graceMs): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    if (!this.stopping) {
      this.stopping = (async () => {
        signalGroup(this.pid, this.stopSignal);
        const timer = delay(graceMs).then(() => 'timeout' as const);
        const result = await Promise.race([this.exited, timer]);
        if (result === 'timeout') {
          signalGroup(this.pid, 'SIGKILL');
          const killed = await Promise.race([this.exited, delay(5_000).then(() => undefined)]);
          if (!killed) return { code: null, signal: 'SIGKILL' as Signal };
          return killed;
        }
        // Leader exited; make sure nothing in its group survives.
        signalGroup(this.pid, 'SIGKILL');
        return result;
      })();
    }
    return this.stopping;
  }
}

export function spawnManaged(opts: SpawnManagedOptions): ManagedProcess {
  return new ManagedProcess(opts);
}

/** Stop every live child of this process (used by signal handlers). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/**
 * Register an extra pid (e.g. a process we adopted, not spawned) so that the
 * exit hooks and the watchdog also stop it. Returns an unregister function.
 */
const extraPids = new Map<number, Signal>();
export function trackPid(pid: number, signal: Signal = 'SIGTERM'): () => void {
  extraPids.set(pid, signal);
  syncRegistry();
  installExitHooks();
  return () => {
    extraPids.delete(pid);
    syncRegistry();
  };
}

export function signalGroup(pid: number, signal: Signal): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });
}

// ---------------------------------------------------------------------------
// Exit hooks
// ---------------------------------------------------------------------------

let hooksInstalled = false;
let signalStop: Promise<void> | undefined;

function signalEverythingSync(): void {
  for (const p of live) {
    if (p.running) signalGroup(p.pid, p.stopSignal);
  }
  for (const [pid, sig] of extraPids) signalGroup(pid, sig);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    // Only synchronous work is possible here: send the stop signals, the
    // children shut down on their own; the watchdog SIGKILLs stragglers.
    signalEverythingSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      if (!signalStop) signalStop = stopAllChildren();
      void signalStop.then(() => {
        // If nobody else handles this signal, die of it like we would have.
        process.removeListener(sig, handler);
        if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
      });
    };
    process.on(sig, handler);
  }
}

// ---------------------------------------------------------------------------
// Watchdog (covers SIGKILL of the launcher)
// ---------------------------------------------------------------------------

let watchdogPid: number | undefined;
const registryFile = path.join(os.tmpdir(), `aims-stack-children-${process.pid}.json`);

const WATCHDOG_SRC = `/* aims-stack watchdog: stops the children of a launcher that died */
const fs = require('fs');
const [parentPid, file] = [Number(process.argv[1]), process.argv[2]];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const kill = (pid, sig) => { try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch {} } };
const read = () => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; } };
const tick = () => {
  const entries = read();
  if (entries === null) process.exit(0);
  if (alive(parentPid)) return;
  for (const e of entries) kill(e.pid, e.signal);
  const deadline = Date.now() + 15000;
  const wait = setInterval(() => {
    const left = entries.filter((e) => alive(e.pid));
    if (left.length === 0 || Date.now() > deadline) {
      for (const e of left) kill(e.pid, 'SIGKILL');
      try { fs.unlinkSync(file); } catch {}
      process.exit(0);
    }
  }, 250);
  clearInterval(timer);
};
const timer = setInterval(tick, 1000);
`;

function syncRegistry(): void {
  const entries: { pid: number; signal: Signal }[] = [];
  for (const p of live) {
    if (p.running) entries.push({ pid: p.pid, signal: p.stopSignal });
  }
  for (const [pid, signal] of extraPids) entries.push({ pid, signal });
  try {
    if (entries.length === 0) {
      fs.rmSync(registryFile, { force: true });
      if (watchdogPid !== undefined) {
        try {
          process.kill(watchdogPid, 'SIGTERM');
        } catch {
          /* gone */
        }
        watchdogPid = undefined;
      }
      return;
    }
    fs.writeFileSync(registryFile + '.tmp', JSON.stringify(entries));
    fs.renameSync(registryFile + '.tmp', registryFile);
    if (watchdogPid === undefined || !isAlive(watchdogPid)) {
      const wd = spawn(process.execPath, ['-e', WATCHDOG_SRC, String(process.pid), registryFile], {
        detached: true,
        stdio: 'ignore',
      });
      wd.unref();
      watchdogPid = wd.pid;
    }
  } catch {
    /* best effort */
  }
}
