/**
 * At most `limit` tasks at a time; the rest wait in FIFO order. Used around engine calls so that a burst of
 * Slack deliveries does not run a hundred answers interleaved on the event loop, which would delay the acks of
 * deliveries still arriving (Slack retries after 3 s). Waiting tasks cost no CPU.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // Hand the slot straight to the next waiter (active stays the same), or free it.
    if (next) next();
    else this.active -= 1;
  }

  get pending(): number {
    return this.waiting.length;
  }
}
