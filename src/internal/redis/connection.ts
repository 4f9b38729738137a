import { createClient, type RedisClientType } from '@redis/client';
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
 * One node-redis client shared by every store, and the degraded mode: a command that fails (Redis gone,
 * refused, or slower than `commandTimeoutMs`) makes the store use its process-local fallback instead, logs
 * once per outage, and `/healthz` says `degraded` until Redis answers again. Commands are never queued while
 * disconnected (`disableOfflineQueue`): a chat answer must not wait for Redis to come back.
 */
export class RedisConnection {
  readonly client: RedisClientType;
  private outage: { since: number; reason: string } | null = null;
  private closed = false;

  private constructor(private readonly options: RedisConnectionOptions) {
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandOptions: { timeout: options.commandTimeoutMs },
      // A Redis that stops answering is dropped and reconnected rather than waited on forever.
      pingInterval: 5000,
      socket: {
        connectTimeout: options.connectTimeoutMs,
        // Keep trying for as long as the process runs, at most every 2 s.
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000),
      },
    }) as RedisClientType;
    // Without a listener node-redis would crash the process on a socket error.
    this.client.on('error', (error: Error) => this.markDown(error));
    this.client.on('ready', () => this.markUp());
  }

  /** Connects (waiting at most `connectTimeoutMs`); an unreachable Redis starts the connection degraded. */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    const connection = new RedisConnection(options);
    const connected = connection.client.connect().then(
      () => true,
      (error: unknown) => {
        connection.markDown(error);
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), options.connectTimeoutMs);
    });
    const ok = await Promise.race([connected, timeout]);
    clearTimeout(timer);
    if (!ok) connection.markDown(new Error(`no connection within ${options.connectTimeoutMs} ms`));
    return connection;
  }

  key(name: string): string {
    return this.options.keyPrefix + name;
  }

  /**
   * Runs `op` on Redis; on any failure returns `fallback()` instead (the caller's process-local store).
   * While Redis is known to be down, `op` is still tried: node-redis fails it at once without a socket,
   * and the first success ends the outage.
   */
  async run<T>(what: string, op: (client: RedisClientType) => Promise<T>, fallback: () => T | Promise<T>) {
    if (!this.client.isReady) {
      this.markDown(new Error('not connected'));
      return fallback();
    }
    let timer: NodeJS.Timeout | undefined;
    // node-redis's own command timeout only covers the wait to be written, not the wait for a reply.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no reply within ${this.options.commandTimeoutMs} ms`)),
        this.options.commandTimeoutMs,
      );
    });
    try {
      const result = await Promise.race([op(this.client), timeout]);
      if (this.outage) this.markUp();
      return result;
    } catch (error) {
      this.markDown(error, what);
      return fallback();
    } finally {
      clearTimeout(timer);
    }
  }

  health(): SharedStateHealth {
    const outage =
      this.outage ?? (this.client.isReady ? null : { since: Date.now(), reason: 'not connected' });
    return {
      backend: 'redis',
      status: outage ? 'degraded' : 'ok',
      since: outage ? new Date(outage.since).toISOString() : null,
      reason: outage?.reason ?? null,
    };
  }

  get degraded(): boolean {
    return this.outage !== null || !this.client.isReady;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.client.isOpen) await this.client.close().catch(() => this.client.destroy());
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
    if (!this.outage || !this.client.isReady) return;
    const downMs = Date.now() - this.outage.since;
    this.outage = null;
    this.options.logger.info({ redis: redactRedisUrl(this.options.url), downMs }, 'redis reachable again');
  }
}
