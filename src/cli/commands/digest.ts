import { join } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/index.js';
import {
  createSubscriptionStore,
  type Delivery,
  type DigestDocument,
  type DigestPlatform,
  type DigestSender,
  parseSince,
  runDigest,
} from '../../digest/index.js';
import { createEngine, type Engine } from '../../engine/createEngine.js';
import { UsageError } from '../../errors/index.js';
import { documentsIndexedSince } from '../../index/document-changes.js';
import { createSharedState, type SharedState } from '../../internal/shared-state.js';
import type { Logger } from '../../logging/logger.js';
import { ChannelScopes, readScopesFile } from '../../scopes/index.js';
import { createCliContext, printLine, printWarnings } from '../context.js';

/** Where subscriptions are kept without Redis. */
export function subscriptionsFile(config: Config): string {
  return join(config.indexDir, 'state', 'subscriptions.json');
}

/** The senders of the platforms that are configured (Slack: bot token; WeCom: the app and/or group webhooks). */
export async function createDigestSenders(
  config: Config,
  scopes: ChannelScopes,
  logger: Logger,
): Promise<Partial<Record<DigestPlatform, DigestSender>>> {
  const senders: Partial<Record<DigestPlatform, DigestSender>> = {};
  if (config.slack) {
    const { createSlackDigestSender } = await import('../../slack/digest-sender.js');
    senders.slack = createSlackDigestSender({ config: config.slack });
  }
  const { createWecomDigestSender } = await import('../../wecom/digest-sender.js');
  const { WecomApiClient } = await import('../../wecom/WecomApiClient.js');
  const app = config.wecom.app
    ? new WecomApiClient({
        apiBase: config.wecom.apiBase,
        corpId: config.wecom.app.corpId,
        secret: config.wecom.app.secret,
        agentId: config.wecom.app.agentId,
        logger,
      })
    : null;
  senders.wecom = createWecomDigestSender({ scopes, app, logger, publicUrl: config.server.publicUrl });
  return senders;
}

/** Runs a digest of `documents` with the shared state's claims and rate limits. */
export async function digestDocuments(options: {
  config: Config;
  engine: Engine;
  state: SharedState;
  scopes: ChannelScopes;
  documents: DigestDocument[];
  logger: Logger;
  dryRun: boolean;
}): Promise<Delivery[]> {
  const { config, state, logger } = options;
  return runDigest({
    engine: options.engine,
    documents: options.documents,
    subscriptions: createSubscriptionStore(state.redis, subscriptionsFile(config)),
    claims: state.dedupe,
    scopes: options.scopes,
    senders: await createDigestSenders(config, options.scopes, logger),
    limiter: (platform, rate) => state.rateLimiter(`digest-${platform}`, rate.limit, rate.windowMs),
    logger,
    dryRun: options.dryRun,
  });
}

function sinceOption(value: string): Date {
  const at = parseSince(value);
  if (!at) throw new UsageError(`digest: --since must be a date (2026-12-01), got "${value}"`);
  return at;
}

export function register(program: Command): void {
  program
    .command('digest')
    .description('Send (or with --dry-run, show) the new-document digest of documents indexed since DATE')
    .requiredOption(
      '--since <date>',
      'documents first indexed at or after this date (YYYY-MM-DD or ISO time)',
    )
    .option('--dry-run', 'show what would be sent; send nothing')
    .option('--json', 'one JSON object per delivery, with the Slack blocks and the WeCom markdown')
    .action(async (opts: { since: string; dryRun?: boolean; json?: boolean }) => {
      const since = sinceOption(opts.since);
      const { config, logger } = createCliContext();
      const scopesFile = config.scopesFile ? await readScopesFile(config.scopesFile) : null;
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      const state = await createSharedState({ redis: config.redis, logger });
      try {
        const scopes = scopesFile
          ? new ChannelScopes(scopesFile, engine.documents(), logger)
          : ChannelScopes.unscoped();
        const manifest = engine.index.manifest;
        const documents = documentsIndexedSince(manifest, since).map((d) => ({
          id: d.id,
          contentHash: d.contentHash,
        }));
        const deliveries = await digestDocuments({
          config,
          engine,
          state,
          scopes,
          documents,
          logger,
          dryRun: opts.dryRun ?? false,
        });
        const { renderDigest } = await import('../../slack/render/digest-blocks.js');
        const { renderDigestMarkdown } = await import('../../wecom/render.js');
        const slashCommand = config.slack?.slashCommand ?? '/policy';
        const wecomMarkdown = (d: Delivery) =>
          renderDigestMarkdown(d.item, {
            group: d.subscription.conversation.startsWith('chat:'),
            publicUrl: config.server.publicUrl,
          });
        if (opts.json) {
          for (const d of deliveries) {
            const message =
              d.subscription.platform === 'slack'
                ? { slack: renderDigest(d.item, slashCommand) }
                : { wecomMarkdown: wecomMarkdown(d) };
            printLine(
              JSON.stringify({
                subscription: d.subscription,
                doc: d.item.docId,
                status: d.status,
                reason: d.reason ?? null,
                ...message,
              }),
            );
          }
          return;
        }
        printLine(
          `${documents.length} document(s) indexed since ${since.toISOString()}; ${deliveries.length} message(s) ${opts.dryRun ? 'would be sent' : 'planned'}.`,
        );
        for (const d of deliveries) {
          const s = d.subscription;
          printLine('');
          printLine(
            `── ${s.platform} ${s.conversation}${s.filter ? ` (filter: ${s.filter})` : ''} · ${d.item.docId} · ${d.status}${d.reason ? ` (${d.reason})` : ''}`,
          );
          printLine(
            s.platform === 'slack'
              ? JSON.stringify(renderDigest(d.item, slashCommand).blocks, null, 2)
              : wecomMarkdown(d),
          );
        }
      } finally {
        await state.close();
        await engine.close();
      }
    });
}
