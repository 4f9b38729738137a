import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';

/**
 * Acks before answers. Tracks chat-platform HTTP requests (Slack events, WeCom callbacks) that have not been
 * responded to yet, and when the last one arrived; answering work waits until none is pending and none arrived
 * for `quietMs` (at most `maxWaitMs`, so sustained traffic cannot starve answers). In a burst of deliveries
 * every acknowledgement goes out before answers take the CPU — Slack retries a delivery not acknowledged
 * within 3 s, WeCom within 5 s. With nothing tracked (Slack Socket Mode) `idle()` resolves at once.
 */
export class AckGate {
  private pending = 0;
  private lastArrival = Number.NEGATIVE_INFINITY;
  private quiet: Promise<void> | null = null;

  constructor(
    private readonly quietMs = 25,
    private readonly maxWaitMs = 1000,
  ) {}

  /** Express middleware for a platform endpoint: counts the request until its response is finished. */
  middleware(): RequestHandler {
    return (_req, res, next) => {
      this.pending += 1;
      this.lastArrival = performance.now();
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        this.pending -= 1;
      };
      res.once('finish', leave);
      res.once('close', leave);
      next();
    };
  }

  /** Resolves once tracked requests are quiet (none pending, none just arrived), or after `maxWaitMs`. */
  idle(): Promise<void> {
    if (this.isQuiet()) return Promise.resolve();
    this.quiet ??= new Promise<void>((resolve) => {
      const started = performance.now();
      const check = () => {
        if (this.isQuiet() || performance.now() - started >= this.maxWaitMs) {
          this.quiet = null;
          resolve();
        } else {
          setTimeout(check, this.quietMs);
        }
      };
      setTimeout(check, this.quietMs);
    });
    return this.quiet;
  }

  /** Requests still waiting for their response. */
  get waiting(): number {
    return this.pending;
  }

  private isQuiet(): boolean {
    return this.pending === 0 && performance.now() - this.lastArrival >= this.quietMs;
  }
}
