import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from '../internal/redis/connection.js';
import {
  type AibotStream,
  type AibotStreamStore,
  MAX_STREAMS_PER_USER,
  MemoryAibotStreams,
  newStream,
  STREAM_TTL_MS,
} from './AibotStreams.js';

/**
 * AI-bot streams in Redis, so that a refresh landing on any replica sees the text the answering replica has
 * produced so far. A stream is one JSON value with the stream's TTL, `msg:<msgid>` points at it (for WeCom's
 * retries of the message itself), and a sorted set per user holds the unfinished ones (the in-flight cap).
 * While Redis is unreachable streams live in this process only (a refresh that reaches another replica then
 * gets the "expired" reply, as before Redis).
 */
export class RedisAibotStreams implements AibotStreamStore {
  readonly maxPerUser: number;
  private readonly local: MemoryAibotStreams;
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: { now?: () => number; ttlMs?: number; maxPerUser?: number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? STREAM_TTL_MS;
    this.maxPerUser = options.maxPerUser ?? MAX_STREAMS_PER_USER;
    this.local = new MemoryAibotStreams({ now: this.now, ttlMs: this.ttlMs, maxPerUser: this.maxPerUser });
  }

  private streamKey(id: string): string {
    return this.redis.key(`aibot:stream:${id}`);
  }
  private msgKey(msgId: string): string {
    return this.redis.key(`aibot:msg:${msgId}`);
  }
  private userKey(userId: string): string {
    return this.redis.key(`aibot:user:${userId}`);
  }

  async create(
    userId: string,
    msgId: string | null,
    initial?: { content: string; finished: boolean },
  ): Promise<AibotStream> {
    const stream = newStream(userId, msgId, this.now(), initial);
    await this.redis.run(
      'aibot stream create',
      async (client) => {
        const multi = client.multi().set(this.streamKey(stream.id), JSON.stringify(stream), 'PX', this.ttlMs);
        if (msgId) multi.set(this.msgKey(msgId), stream.id, 'PX', this.ttlMs);
        if (!stream.finished) {
          multi.zadd(this.userKey(userId), stream.createdAt, stream.id);
          multi.pexpire(this.userKey(userId), this.ttlMs);
        }
        await exec(multi);
      },
      () => this.local.put(stream),
    );
    return stream;
  }

  get(id: string): Promise<AibotStream | undefined> {
    return this.redis.run(
      'aibot stream get',
      async (client) => {
        const raw = await client.get(this.streamKey(id));
        return raw === null ? this.local.get(id) : (JSON.parse(raw) as AibotStream);
      },
      () => this.local.get(id),
    );
  }

  forMessage(msgId: string): Promise<AibotStream | undefined> {
    return this.redis.run(
      'aibot stream by message',
      async (client) => {
        const id = await client.get(this.msgKey(msgId));
        return id === null ? this.local.forMessage(msgId) : this.get(id);
      },
      () => this.local.forMessage(msgId),
    );
  }

  inFlight(userId: string): Promise<number> {
    return this.redis.run(
      'aibot in-flight count',
      async (client) => {
        const key = this.userKey(userId);
        await client.zremrangebyscore(key, '-inf', this.now() - this.ttlMs);
        return client.zcard(key);
      },
      () => this.local.inFlight(userId),
    );
  }

  save(stream: AibotStream): Promise<void> {
    const ttl = Math.max(1000, stream.createdAt + this.ttlMs - this.now());
    return this.redis.run(
      'aibot stream save',
      async (client) => {
        const multi = client.multi().set(this.streamKey(stream.id), JSON.stringify(stream), 'PX', ttl);
        if (stream.finished) multi.zrem(this.userKey(stream.userId), stream.id);
        await exec(multi);
      },
      () => this.local.save(stream),
    );
  }
}

/** ioredis resolves a transaction with one `[error, result]` per command; a failed command fails the whole call. */
async function exec(multi: ChainableCommander): Promise<void> {
  const results = await multi.exec();
  if (!results) throw new Error('transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}
