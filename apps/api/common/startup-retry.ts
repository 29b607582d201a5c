import type { Logger } from '@nestjs/common';

/**
 * A start-up pass run in the background and again every `retryMs` until it succeeds once, so
 * the API answers while Temporal is still coming up; stopping the app stops the retries.
 */
export class StartupRetry {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private done = false;
  /** Resolves when the pass has succeeded once. */
  readonly succeeded: Promise<void>;
  private resolve!: () => void;

  /** `pass` returns the line logged on success; `what` names it in the retry warning. */
  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly retryMs: number,
    private readonly pass: () => Promise<string>,
  ) {
    this.succeeded = new Promise((resolve) => (this.resolve = resolve));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    if (this.stopped || this.done) return;
    try {
      const line = await this.pass();
      this.done = true;
      this.resolve();
      this.logger.log(line);
    } catch (err) {
      if (this.stopped) return;
      this.logger.warn(`${this.what} failed (${(err as Error).message}); retrying in ${Math.round(this.retryMs / 1000)} s`);
      this.timer = setTimeout(() => void this.run(), this.retryMs);
      this.timer.unref?.();
    }
  }
}
