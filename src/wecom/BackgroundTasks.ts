import type { Logger } from '../logging/logger.js';

/**
 * Work that continues after the HTTP callback was acknowledged (WeCom wants an answer within 5 s).
 * Tracked so `stop()` can wait for it; a task's failure is logged here, the one sink for stray errors.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  /** @param before awaited before each task starts, e.g. until pending callbacks have been acknowledged. */
  constructor(
    private readonly logger: Logger,
    private readonly before: () => Promise<void> = () => Promise.resolve(),
  ) {}

  run(name: string, task: () => Promise<void>): void {
    const promise = Promise.resolve()
      .then(this.before)
      .then(task)
      .catch((err: unknown) => this.logger.error({ err, task: name }, 'wecom background task failed'))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when every running task has settled, or after `timeoutMs`. */
  async drain(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.running]).then(() => undefined), timeout]);
    clearTimeout(timer);
  }
}
