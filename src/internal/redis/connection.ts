import { Redis } from 'ioredis';
import type { Logger } from '../../logging/logger.js';
import type { SharedStateHealth } from '../state-health.js';
import { redactRedisUrl } from './redact-url.js';

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Every command fails after this long (then the store falls back to process memory). */
  commandTimeoutMs: number;
  /** How long `open` waits for the first connection before starting degraded. */
  connectTimeoutMs: number;
  /** Prepended to every key, so several deployments can share one Redis. */
  keyPrefix: string;
  logger: Logger;
}

/**
 * One ioredis client shared by every store, and the degraded mode: a command that fails (Redis gone,
 * refused, or slower than `commandTimeoutMs`) makes the store use its process-local fallback instead, logs
 * once per outage, and `/healthz` says `degraded` until Redis answers again. Commands are never queued while
 * disconnected (`enableOfflineQueue: false`): a chat answer must not wait for Redis to come back.
 */
export class RedisConnection {
  readonly client: Redis;
  private outage: { since: number; reason: string } | null = null;
  private closed = false;

  private constructor(private readonly options: RedisConnectionOptions) {
    this.client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      // A command in flight when the connection drops fails at once; it is not sent again after reconnecting
      // (its caller has long since used the local store).
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // A Redis that stops answering (hung, or a network path that drops packets) is dropped and reconnected
      // rather than waited on: later commands then fall back at once instead of each waiting out its timeout.
      socketTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      // Keep trying for as long as the process runs, at most every 2 s.
      retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    });
    // Without a listener ioredis prints every connection error to the console.
    this.client.on('error', (error: Error) => this.markDown(error));
    this.client.on('ready', () => this.markUp());
  }

  /** Connects (waiting at most `connectTimeoutMs`); an unreachable Redis starts the connection degraded. */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    const connection = new RedisConnection(options);
    // A failed first attempt rejects here, and ioredis goes on reconnecting (`retryStrategy`).
    const connected = connection.client.connect().then(
      () => true,
      (error: unknown) => {
        connection.markDown(error);
        return false;
      },
    );
    const ok = await withTimeout(connected, options.connectTimeoutMs, 'no connection').catch(() => false);
    if (!ok) connection.markDown(new Error(`no connection within ${options.connectTimeoutMs} ms`));
    return connection;
  }

  key(name: string): string {
    return this.options.keyPrefix + name;
  }

  /**
   * Runs `op` on Redis; on any failure returns `fallback()` instead (the caller's process-local store).
   * While the client is not connected `op` is not tried at all. The outage ends when the client is ready
   * again, or (after a timeout on a live connection) with the next command that succeeds.
   */
  async run<T>(what: string, op: (client: Redis) => Promise<T>, fallback: () => T | Promise<T>) {
    if (this.client.status !== 'ready') {
      this.markDown(new Error('not connected'));
      return fallback();
    }
    try {
      // Our own bound on the whole round trip: ioredis's `socketTimeout` drops the connection, but only after
      // a wait that starts at the first unanswered command, not at this one.
      const result = await withTimeout(op(this.client), this.options.commandTimeoutMs, 'no reply');
      if (this.outage) this.markUp();
      return result;
    } catch (error) {
      this.markDown(error, what);
      return fallback();
    }
  }

  health(): SharedStateHealth {
    const ready = this.client.status === 'ready';
    const outage = this.outage ?? (ready ? null : { since: Date.now(), reason: 'not connected' });
    return {
      backend: 'redis',
      status: outage ? 'degraded' : 'ok',
      since: outage ? new Date(outage.since).toISOString() : null,
      reason: outage?.reason ?? null,
    };
  }

  get degraded(): boolean {
    return this.outage !== null || this.client.status !== 'ready';
  }

  /** `QUIT` (pending replies are still read) when connected, bounded by the command timeout; else just closes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.client.status === 'ready') {
      const quitted = await withTimeout(
        this.client.quit(),
        this.options.commandTimeoutMs,
        'no reply to QUIT',
      ).then(
        () => true,
        () => false,
      );
      if (quitted) return;
    }
    this.client.disconnect();
  }

  private markDown(error: unknown, what?: string): void {
    if (this.closed) return;
    const reason = error instanceof Error ? error.message || error.name : String(error);
    if (this.outage) return;
    this.outage = { since: Date.now(), reason };
    this.options.logger.warn(
      { redis: redactRedisUrl(this.options.url), reason, command: what },
      'redis unreachable: dedupe, rate limits, streams and caches fall back to this process (degraded)',
    );
  }

  private markUp(): void {
    if (!this.outage || this.client.status !== 'ready') return;
    const downMs = Date.now() - this.outage.since;
    this.outage = null;
    this.options.logger.info({ redis: redactRedisUrl(this.options.url), downMs }, 'redis reachable again');
  }
}

/** `promise`, or a rejection `<what> within <ms> ms` if it takes longer. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
