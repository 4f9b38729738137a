/**
 * Who wants new-document digests: one subscription per conversation and filter (an issuer, region or keyword;
 * null for every document). Kept with the shared state: in Redis when `REDIS_URL` is set (one hash, so every
 * replica sees the same list), otherwise in a JSON file beside the index.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RedisConnection } from '../internal/redis/connection.js';

export type DigestPlatform = 'slack' | 'wecom';

export interface Subscription {
  /** `${platform}:${conversation}:${filter ?? '*'}`. */
  id: string;
  platform: DigestPlatform;
  /** Slack: the channel (or DM) id. WeCom: `chat:<chatid>` (an AI-bot group chat) or `user:<userid>` (app). */
  conversation: string;
  /** An issuer, region or keyword; null = every new document. */
  filter: string | null;
  createdAt: string;
}

export interface SubscriptionStore {
  list(): Promise<Subscription[]>;
  /** Adds it; false when the conversation already had this filter. */
  add(subscription: Omit<Subscription, 'id' | 'createdAt'>): Promise<boolean>;
  /** Removes the conversation's subscription with this filter (null: all of them); returns how many went. */
  remove(platform: DigestPlatform, conversation: string, filter: string | null): Promise<number>;
}

export function subscriptionId(
  platform: DigestPlatform,
  conversation: string,
  filter: string | null,
): string {
  return `${platform}:${conversation}:${filter ?? '*'}`;
}

function create(s: Omit<Subscription, 'id' | 'createdAt'>): Subscription {
  return {
    ...s,
    id: subscriptionId(s.platform, s.conversation, s.filter),
    createdAt: new Date().toISOString(),
  };
}

const matches = (s: Subscription, platform: DigestPlatform, conversation: string, filter: string | null) =>
  s.platform === platform && s.conversation === conversation && (filter === null || s.filter === filter);

export class MemorySubscriptionStore implements SubscriptionStore {
  private readonly subs = new Map<string, Subscription>();

  async list(): Promise<Subscription[]> {
    return [...this.subs.values()];
  }

  async add(s: Omit<Subscription, 'id' | 'createdAt'>): Promise<boolean> {
    const sub = create(s);
    if (this.subs.has(sub.id)) return false;
    this.subs.set(sub.id, sub);
    return true;
  }

  async remove(platform: DigestPlatform, conversation: string, filter: string | null): Promise<number> {
    let n = 0;
    for (const [id, s] of this.subs) {
      if (matches(s, platform, conversation, filter)) {
        this.subs.delete(id);
        n++;
      }
    }
    return n;
  }
}

/** One JSON file (written to a temporary sibling and renamed, so a crash never leaves half a file). */
export class FileSubscriptionStore implements SubscriptionStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  list(): Promise<Subscription[]> {
    return this.serial(() => this.read());
  }

  add(s: Omit<Subscription, 'id' | 'createdAt'>): Promise<boolean> {
    return this.serial(async () => {
      const subs = await this.read();
      const sub = create(s);
      if (subs.some((x) => x.id === sub.id)) return false;
      await this.write([...subs, sub]);
      return true;
    });
  }

  remove(platform: DigestPlatform, conversation: string, filter: string | null): Promise<number> {
    return this.serial(async () => {
      const subs = await this.read();
      const kept = subs.filter((s) => !matches(s, platform, conversation, filter));
      if (kept.length !== subs.length) await this.write(kept);
      return subs.length - kept.length;
    });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => {});
    return next;
  }

  private async read(): Promise<Subscription[]> {
    const raw = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '[]';
      throw error;
    });
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as Subscription[]) : [];
  }

  private async write(subs: Subscription[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    await writeFile(tmp, `${JSON.stringify(subs, null, 2)}\n`);
    await rename(tmp, this.file);
  }
}

/**
 * Subscriptions in one Redis hash (field = subscription id), shared by every replica. While Redis is unreachable
 * the replica works on its own in-process list (as every shared store does) and says so in the log.
 */
export class RedisSubscriptionStore implements SubscriptionStore {
  private readonly local = new MemorySubscriptionStore();
  constructor(private readonly redis: RedisConnection) {}

  private get key(): string {
    return this.redis.key('digest:subscriptions');
  }

  list(): Promise<Subscription[]> {
    return this.redis.run(
      'subscriptions list',
      async (client) =>
        Object.values(await client.hgetall(this.key)).map((v) => JSON.parse(v) as Subscription),
      () => this.local.list(),
    );
  }

  add(s: Omit<Subscription, 'id' | 'createdAt'>): Promise<boolean> {
    const sub = create(s);
    return this.redis.run(
      'subscriptions add',
      async (client) => (await client.hsetnx(this.key, sub.id, JSON.stringify(sub))) === 1,
      () => this.local.add(s),
    );
  }

  remove(platform: DigestPlatform, conversation: string, filter: string | null): Promise<number> {
    return this.redis.run(
      'subscriptions remove',
      async (client) => {
        const ids = Object.values(await client.hgetall(this.key))
          .map((v) => JSON.parse(v) as Subscription)
          .filter((x) => matches(x, platform, conversation, filter))
          .map((x) => x.id);
        return ids.length > 0 ? await client.hdel(this.key, ...ids) : 0;
      },
      () => this.local.remove(platform, conversation, filter),
    );
  }
}

/** Redis when the shared state has it, otherwise the JSON file `file` (one replica). */
export function createSubscriptionStore(redis: RedisConnection | null, file: string): SubscriptionStore {
  return redis ? new RedisSubscriptionStore(redis) : new FileSubscriptionStore(file);
}
