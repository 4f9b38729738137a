import { randomBytes } from 'node:crypto';
import { ExpiringMap } from '../internal/ExpiringMap.js';
import { STREAM_MAX_BYTES, truncateToBytes } from './split-text.js';

/** One AI-bot stream: the cumulative text WeCom shows, refreshed until `finished`. */
export interface AibotStream {
  id: string;
  userId: string;
  msgId: string | null;
  content: string;
  finished: boolean;
  createdAt: number;
}

/**
 * Where AI-bot streams live between WeCom's refresh callbacks. A refresh may reach another replica than the one
 * answering, so with several replicas the store is shared (`RedisAibotStreams`). The replica that answers owns
 * the stream object: it changes it with `appendToStream`/`finishStream` and publishes it with `save`.
 */
export interface AibotStreamStore {
  /** WeCom allows a user at most this many messages "in interaction" at once. */
  readonly maxPerUser: number;
  create(
    userId: string,
    msgId: string | null,
    initial?: { content: string; finished: boolean },
  ): Promise<AibotStream>;
  get(id: string): Promise<AibotStream | undefined>;
  forMessage(msgId: string): Promise<AibotStream | undefined>;
  /** Unfinished streams of `userId`. */
  inFlight(userId: string): Promise<number>;
  /** Publishes the stream's current content and `finished` flag. */
  save(stream: AibotStream): Promise<void>;
}

/** WeCom polls a stream for up to 6 minutes; entries are kept a little longer so late refreshes find theirs. */
export const STREAM_TTL_MS = 10 * 60_000;
export const MAX_STREAMS_PER_USER = 3;
const TRUNCATED = '…（内容过长，已截断）';

export function newStream(
  userId: string,
  msgId: string | null,
  now: number,
  initial?: { content: string; finished: boolean },
): AibotStream {
  return {
    id: `stream_${randomBytes(8).toString('hex')}`,
    userId,
    msgId,
    content: initial ? truncateToBytes(initial.content, STREAM_MAX_BYTES, TRUNCATED) : '',
    finished: initial?.finished ?? false,
    createdAt: now,
  };
}

/** Appends a delta; the cumulative content never exceeds WeCom's 20,480 bytes. */
export function appendToStream(stream: AibotStream, delta: string): void {
  if (stream.finished || stream.content.endsWith(TRUNCATED)) return;
  stream.content = truncateToBytes(stream.content + delta, STREAM_MAX_BYTES, TRUNCATED);
}

/** Replaces the content with the final (verified) text and marks the stream finished. */
export function finishStream(stream: AibotStream, content: string): void {
  stream.content = truncateToBytes(content, STREAM_MAX_BYTES, TRUNCATED);
  stream.finished = true;
}

/** This process's streams (one replica, and the fallback of the Redis store); expired entries are swept. */
export class MemoryAibotStreams implements AibotStreamStore {
  private readonly streams: ExpiringMap<AibotStream>;
  private readonly byMsg: ExpiringMap<string>;
  private readonly now: () => number;
  readonly maxPerUser: number;

  constructor(options: { now?: () => number; ttlMs?: number; maxPerUser?: number } = {}) {
    this.now = options.now ?? Date.now;
    const ttl = options.ttlMs ?? STREAM_TTL_MS;
    this.streams = new ExpiringMap<AibotStream>(ttl, 10_000, this.now);
    this.byMsg = new ExpiringMap<string>(ttl, 10_000, this.now);
    this.maxPerUser = options.maxPerUser ?? MAX_STREAMS_PER_USER;
  }

  async create(
    userId: string,
    msgId: string | null,
    initial?: { content: string; finished: boolean },
  ): Promise<AibotStream> {
    const stream = newStream(userId, msgId, this.now(), initial);
    this.put(stream);
    return stream;
  }

  /** Stores a stream made elsewhere (the Redis store's fallback). */
  put(stream: AibotStream): void {
    this.streams.set(stream.id, stream);
    if (stream.msgId) this.byMsg.set(stream.msgId, stream.id);
  }

  async get(id: string): Promise<AibotStream | undefined> {
    return this.streams.get(id);
  }

  async forMessage(msgId: string): Promise<AibotStream | undefined> {
    const id = this.byMsg.get(msgId);
    return id === undefined ? undefined : this.streams.get(id);
  }

  async inFlight(userId: string): Promise<number> {
    return this.streams.values().filter((s) => s.userId === userId && !s.finished).length;
  }

  async save(stream: AibotStream): Promise<void> {
    // The stored object is the producer's own; re-put it in case it was created by another store.
    if (this.streams.get(stream.id) !== stream) this.put(stream);
  }
}
