/**
 * New-document digests: for each document an index build added or changed, every subscription whose
 * conversation sees the document (its channel's document set) and whose filter it matches gets one message —
 * exactly once per document version and subscription, even with several replicas running the same digest: a
 * delivery is claimed first with an atomic set-if-absent in the shared store (`SET NX` in Redis), and only the
 * claimant sends. Sends are paced per conversation by a (shared) rate limiter. Platform-free: senders render
 * and deliver (src/slack/digest-sender.ts, src/wecom/digest-sender.ts).
 */
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { keyFigures } from '../figures/key-figures.js';
import { regionByCode, regionWithin } from '../ingest/metadata/regions.js';
import type { RateLimiter } from '../internal/rate-limiter.js';
import type { DedupeStore } from '../internal/ttl-store.js';
import type { Logger } from '../logging/logger.js';
import { regionNamed } from '../scopes/document-set.js';
import type { ChannelScopes } from '../scopes/index.js';
import type { DocumentInfo, Figure } from '../types.js';
import type { DigestPlatform, Subscription, SubscriptionStore } from './subscriptions.js';

/** What a digest message says about one document. */
export interface DigestItem {
  docId: string;
  /** The document version (content hash): a changed document is a new item. */
  version: string;
  title: string;
  issuers: string[];
  docNumber: string | null;
  date: string | null;
  region: string | null;
  /** Up to three verbatim lines (src/summary/document-summary.ts). */
  summary: string[];
  /** Its key figures, most salient first (targets first, see src/figures/key-figures.ts), each with its quote. */
  figures: Figure[];
  /** A question to ask about it, ready to send. */
  ask: string;
  /** True when the document was in the index before and its content changed. */
  changed: boolean;
}

/** Delivers digest messages to one platform. */
export interface DigestSender {
  platform: DigestPlatform;
  /** Messages per window per conversation (the platform's posting limits). */
  rate: { limit: number; windowMs: number };
  /** Null when this conversation can receive digests; otherwise why not (e.g. no webhook for a group). */
  unreachable(conversation: string): string | null;
  send(conversation: string, item: DigestItem): Promise<void>;
}

export interface DigestDocument {
  id: string;
  contentHash: string;
  changed?: boolean;
}

export type DeliveryStatus = 'sent' | 'planned' | 'duplicate' | 'failed' | 'unreachable';

export interface Delivery {
  subscription: Subscription;
  item: DigestItem;
  status: DeliveryStatus;
  reason?: string;
}

export interface RunDigestOptions {
  engine: PolicyEngine;
  documents: readonly DigestDocument[];
  subscriptions: SubscriptionStore;
  /** Delivery claims (shared by replicas with Redis). */
  claims: DedupeStore;
  senders: Partial<Record<DigestPlatform, DigestSender>>;
  /** Which documents each conversation sees (its channel's document set). */
  scopes: ChannelScopes;
  /** A rate limiter per platform (shared by replicas with Redis); default: none. */
  limiter?: (platform: DigestPlatform, rate: DigestSender['rate']) => RateLimiter;
  logger: Logger;
  /** Only plan: nothing is claimed or sent. */
  dryRun?: boolean;
  sleep?: (ms: number) => Promise<void>;
}

/** `--since` / `?since=`: a date (`2026-12-01`, midnight UTC) or an ISO time; null when it is neither. */
export function parseSince(value: string): Date | null {
  const trimmed = value.trim();
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
  return trimmed === '' || Number.isNaN(at.getTime()) ? null : at;
}

/** A delivery claim is kept long enough that no later digest run sends the same document version again. */
const CLAIM_TTL_MS = 400 * 24 * 60 * 60_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The digest item of a document of the library (null when the index has no such document). */
export function digestItem(engine: PolicyEngine, doc: DigestDocument): DigestItem | null {
  const info = engine.documents().find((d) => d.id === doc.id);
  if (!info) return null;
  const { meta } = info;
  const title = meta.title;
  return {
    docId: info.id,
    version: doc.contentHash,
    title,
    issuers: meta.issuers.map((i) => i.full),
    docNumber: meta.docNumber,
    date: meta.date,
    region: meta.region?.name ?? null,
    summary: engine.documentSummary(info.id),
    figures: keyFigures(engine.figures({ doc: info.id })),
    ask: `《${title}》的主要内容是什么？`,
    changed: doc.changed ?? false,
  };
}

/**
 * Whether a subscription's filter selects a document: an issuer it names (short, full, or what the engine's
 * fuzzy lookup makes of it), a region it lies in, or a keyword in its title, 文号, part titles, headings, tags or
 * summary lines (not its whole text: a word in passing is no reason for a message).
 */
export function filterMatches(
  filter: string | null,
  info: DocumentInfo,
  item: DigestItem,
  engine: Pick<PolicyEngine, 'resolveIssuer' | 'issuers'>,
): boolean {
  if (filter === null) return true;
  const f = filter.trim();
  if (f === '') return true;
  const issuers = info.meta.issuers;
  if (issuers.some((i) => i.short === f || i.full === f || i.full.includes(f))) return true;
  const resolved = f.length >= 2 ? engine.resolveIssuer(f) : null;
  if (resolved && issuers.some((i) => i.full === resolved.full)) return true;
  const region = regionNamed(f);
  const own = info.meta.region ? regionByCode(info.meta.region.code) : null;
  if (region && own && regionWithin(own, region)) return true;
  // Its parts' titles and headings too (the articles of a column, with their issuers' sections).
  const parts = engine.issuers().filter((i) => i.docId === info.id);
  const haystack = [
    info.meta.title,
    info.meta.docNumber ?? '',
    ...info.sections,
    ...parts.flatMap((p) => [p.partTitle, ...p.sections]),
    ...item.summary,
    ...info.meta.tags,
  ];
  return haystack.some((text) => text.toLowerCase().includes(f.toLowerCase()));
}

/**
 * The documents a subscribed conversation sees: a Slack channel's set (DMs, `D…`, the DM default), a WeCom group
 * chat's (`chat:<chatid>`) or the DM default for a person (`user:<userid>`).
 */
export function conversationScope(scopes: ChannelScopes, s: Subscription): readonly string[] | null {
  if (s.platform === 'slack') return scopes.forSlack(s.conversation, s.conversation.startsWith('D')).docIds;
  const chat = /^chat:(.+)$/u.exec(s.conversation)?.[1] ?? null;
  return scopes.forWecom(chat).docIds;
}

/** Plans (and unless `dryRun`, claims and sends) the digest of `documents`; see the module comment. */
export async function runDigest(options: RunDigestOptions): Promise<Delivery[]> {
  const { engine, logger } = options;
  const sleep = options.sleep ?? realSleep;
  const subscriptions = await options.subscriptions.list();
  // Nobody to tell: no digest items are made (a first build "adds" every document of the library).
  if (subscriptions.length === 0) {
    logger.info({ documents: options.documents.length, deliveries: 0 }, 'digest run: no subscriptions');
    return [];
  }
  const infos = new Map(engine.documents().map((d) => [d.id, d]));
  const limiters = new Map<DigestPlatform, RateLimiter>();
  const deliveries: Delivery[] = [];
  for (const doc of options.documents) {
    const info = infos.get(doc.id);
    const item = info ? digestItem(engine, doc) : null;
    if (!info || !item) continue;
    for (const subscription of subscriptions) {
      const sender = options.senders[subscription.platform];
      const scope = conversationScope(options.scopes, subscription);
      if (scope && !scope.includes(doc.id)) continue;
      if (!filterMatches(subscription.filter, info, item, engine)) continue;
      const delivery: Delivery = { subscription, item, status: 'planned' };
      deliveries.push(delivery);
      if (options.dryRun) continue;
      const reason = sender
        ? sender.unreachable(subscription.conversation)
        : `${subscription.platform} is not configured`;
      if (!sender || reason) {
        delivery.status = 'unreachable';
        delivery.reason = reason ?? undefined;
        continue;
      }
      // One delivery per document version and conversation, whichever replica (or run) gets here first. Two
      // filters of one conversation matching the same document make one message, not two.
      const claim = `digest:${subscription.platform}:${subscription.conversation}:${doc.id}:${doc.contentHash}`;
      if (!(await options.claims.claim(claim, CLAIM_TTL_MS))) {
        delivery.status = 'duplicate';
        continue;
      }
      try {
        const limiter = limiters.get(sender.platform) ?? options.limiter?.(sender.platform, sender.rate);
        if (limiter) {
          limiters.set(sender.platform, limiter);
          for (let wait = await limiter.take(subscription.conversation); wait > 0; ) {
            await sleep(wait * 1000);
            wait = await limiter.take(subscription.conversation);
          }
        }
        await sender.send(subscription.conversation, item);
        delivery.status = 'sent';
      } catch (err) {
        // At most once: the claim stays, so a failed delivery is logged, not retried into a duplicate.
        delivery.status = 'failed';
        delivery.reason = err instanceof Error ? err.message : String(err);
        logger.error({ err, subscription: subscription.id, doc: doc.id }, 'digest delivery failed');
      }
    }
  }
  logger.info(
    {
      documents: options.documents.length,
      deliveries: deliveries.length,
      sent: deliveries.filter((d) => d.status === 'sent').length,
      dryRun: options.dryRun ?? false,
    },
    'digest run',
  );
  return deliveries;
}
