import type { RequestHandler } from 'express';

/**
 * Acks before answers. Counts Slack HTTP requests that have not been responded to yet; answering work waits
 * until there are none (or `maxWaitMs` passes, so sustained traffic cannot starve answers). In a burst of
 * deliveries every acknowledgement goes out before the answers take the CPU — Slack retries any delivery not
 * acknowledged within 3 s. In Socket Mode nothing is counted and `idle()` resolves at once.
 */
export class AckGate {
  private pending = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly maxWaitMs = 1000) {}

  /** Express middleware for the Slack endpoint: counts the request until its response is finished. */
  middleware(): RequestHandler {
    return (_req, res, next) => {
      this.pending += 1;
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        this.leave();
      };
      res.once('finish', leave);
      res.once('close', leave);
      next();
    };
  }

  /** Resolves when no request is waiting for its response, or after `maxWaitMs`. */
  async idle(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.maxWaitMs);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  get waiting(): number {
    return this.pending;
  }

  private leave(): void {
    this.pending -= 1;
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
