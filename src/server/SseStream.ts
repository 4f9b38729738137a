import type { Response } from 'express';

/**
 * One Server-Sent Events response. Each event is `event: <name>` plus a single `data:` line of JSON
 * (JSON never contains a raw newline, so no multi-line splitting is needed).
 */
export class SseStream {
  private ended = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    private readonly res: Response,
    options: { heartbeatMs?: number } = {},
  ) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform: proxies must not buffer or compress the stream.
    res.setHeader('Cache-Control', 'no-store, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // A comment line now and then keeps idle proxies from cutting a slow (LLM) answer.
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    res.on('close', () => this.finish());
  }

  /** True once the stream was ended by us or the client went away. */
  get closed(): boolean {
    return this.ended;
  }

  /** Called once when the stream ends for any reason (client gone, `close()`, shutdown). */
  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the response; safe to call more than once. */
  close(): void {
    if (!this.ended && !this.res.writableEnded) this.res.end();
    this.finish();
  }

  private write(chunk: string): void {
    if (!this.ended && !this.res.writableEnded) this.res.write(chunk);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
