import { randomBytes } from 'node:crypto';
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

const TRUNCATED = '…（内容过长，已截断）';

/**
 * In-process registry of AI-bot streams. WeCom allows a user at most three messages "in interaction"
 * at once, and keeps polling a stream for up to 6 minutes; entries are kept a little longer so late
 * refreshes and retries still find their stream, then swept lazily.
 */
export class AibotStreams {
  private readonly streams = new Map<string, AibotStream>();
  private readonly byMsg = new Map<string, string>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  readonly maxPerUser: number;

  constructor(options: { now?: () => number; ttlMs?: number; maxPerUser?: number } = {}) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxPerUser = options.maxPerUser ?? 3;
  }

  /** Unfinished streams of `userId`. */
  inFlight(userId: string): number {
    let n = 0;
    for (const s of this.streams.values()) if (s.userId === userId && !s.finished) n++;
    return n;
  }

  create(
    userId: string,
    msgId: string | null,
    initial?: { content: string; finished: boolean },
  ): AibotStream {
    this.sweep();
    const stream: AibotStream = {
      id: `stream_${randomBytes(8).toString('hex')}`,
      userId,
      msgId,
      content: initial ? truncateToBytes(initial.content, STREAM_MAX_BYTES, TRUNCATED) : '',
      finished: initial?.finished ?? false,
      createdAt: this.now(),
    };
    this.streams.set(stream.id, stream);
    if (msgId) this.byMsg.set(msgId, stream.id);
    return stream;
  }

  get(id: string): AibotStream | undefined {
    return this.streams.get(id);
  }

  forMessage(msgId: string): AibotStream | undefined {
    const id = this.byMsg.get(msgId);
    return id === undefined ? undefined : this.streams.get(id);
  }

  /** Appends a delta; the cumulative content never exceeds WeCom's 20,480 bytes. */
  append(stream: AibotStream, delta: string): void {
    if (stream.finished || stream.content.endsWith(TRUNCATED)) return;
    stream.content = truncateToBytes(stream.content + delta, STREAM_MAX_BYTES, TRUNCATED);
  }

  /** Replaces the content with the final (verified) text and marks the stream finished. */
  finish(stream: AibotStream, content: string): void {
    stream.content = truncateToBytes(content, STREAM_MAX_BYTES, TRUNCATED);
    stream.finished = true;
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, s] of this.streams) {
      if (s.createdAt >= cutoff) continue;
      this.streams.delete(id);
      if (s.msgId) this.byMsg.delete(s.msgId);
    }
  }
}
