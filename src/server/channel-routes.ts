/**
 * The analyst's view of the chat front ends over HTTP: the configured document sets (`GET /api/scopes`), the
 * digest subscriptions (`GET /api/subscriptions`) and a dry run of the new-document digest
 * (`GET /api/digest?since=DATE`). All read-only: the web API has no authentication (see docs/web.md), so
 * subscribing stays with the chat commands, where Slack and WeCom say who is asking.
 */
import type { RequestHandler, Router } from 'express';
import { type DigestDocument, parseSince, runDigest, type SubscriptionStore } from '../digest/index.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { MemoryDedupeStore } from '../internal/ttl-store.js';
import type { Logger } from '../logging/logger.js';
import { type ChannelScope, type ChannelScopes, describeCriteria } from '../scopes/index.js';
import { renderDigest } from '../slack/render/digest-blocks.js';
import { renderDigestMarkdown } from '../wecom/render.js';
import { HttpInputError, methodNotAllowed } from './http-errors.js';

export interface ChannelRoutesOptions {
  engine: PolicyEngine;
  logger: Logger;
  scopes: ChannelScopes;
  /** Null when digests are off (no subscription store). */
  subscriptions: SubscriptionStore | null;
  /** The documents first indexed at or after `since` (the index manifest's record). */
  documentsSince: (since: Date) => DigestDocument[];
  /** Slack's slash command, shown in the Slack preview. */
  slashCommand: string;
  /** The web page's public address (POLICYBOT_PUBLIC_URL), linked from WeCom messages. */
  publicUrl?: string | null;
  /** False when the server was started without channel settings (tests, embedding): the page hides the view. */
  configured: boolean;
  /** The per-IP rate limit of the ask routes: a digest dry run renders a message per document and subscriber. */
  limited?: RequestHandler;
}

/** The document set a `scope` query parameter names (see `ChannelScopes.resolve`); 400 when it names nothing. */
export function scopeParam(scopes: ChannelScopes, value: string | undefined): ChannelScope | null {
  if (value === undefined || value.trim() === '') return null;
  const scope = scopes.resolve(value);
  if (!scope) {
    const names = scopes.list().map((s) => s.name);
    throw new HttpInputError(
      400,
      `The "scope" query parameter names no document set: "${value}" (sets: ${names.join(', ')}; or slack:<channel>, wecom:<chatid>).`,
    );
  }
  return scope;
}

export function registerChannelRoutes(router: Router, options: ChannelRoutesOptions): void {
  const { engine, scopes, logger } = options;

  router.get('/scopes', (_req, res) => {
    const documents = engine.documents();
    const titles = new Map(documents.map((d) => [d.id, d.meta.title]));
    res.json({
      configured: options.configured,
      active: scopes.active,
      documentCount: documents.length,
      sets: scopes.list().map((s) => ({
        name: s.name,
        label: s.label,
        criteria: s.criteria,
        description: s.criteria ? describeCriteria(s.criteria, 'zh') : null,
        wholeLibrary: s.docIds === null,
        documents: (s.docIds ?? documents.map((d) => d.id)).map((id) => ({
          id,
          title: titles.get(id) ?? id,
        })),
        slack: s.slack,
        wecom: s.wecom,
        dm: s.dm,
      })),
    });
  });
  router.all('/scopes', methodNotAllowed(['GET']));

  router.get('/subscriptions', async (_req, res) => {
    const subscriptions = options.subscriptions ? await options.subscriptions.list() : [];
    res.json({
      enabled: options.subscriptions !== null,
      subscriptions: subscriptions.map((s) => {
        const scope =
          s.platform === 'slack'
            ? scopes.forSlack(s.conversation, s.conversation.startsWith('D'))
            : scopes.forWecom(/^chat:(.+)$/u.exec(s.conversation)?.[1] ?? null);
        return { ...s, scope: scope.name };
      }),
    });
  });
  router.all('/subscriptions', methodNotAllowed(['GET']));

  // A dry run: what `policybot digest --since DATE --dry-run` would send; nothing is claimed or sent.
  const limited: RequestHandler = options.limited ?? ((_req, _res, next) => next());
  router.get('/digest', limited, async (req, res) => {
    const raw = typeof req.query.since === 'string' ? req.query.since : '';
    const since = parseSince(raw);
    if (!since) {
      throw new HttpInputError(400, `The "since" query parameter must be a date (2026-12-01), got "${raw}".`);
    }
    const documents = options.documentsSince(since);
    const deliveries = options.subscriptions
      ? await runDigest({
          engine,
          documents,
          subscriptions: options.subscriptions,
          claims: new MemoryDedupeStore(),
          senders: {},
          scopes,
          logger,
          dryRun: true,
        })
      : [];
    res.json({
      since: since.toISOString(),
      documents: documents.map((d) => d.id),
      deliveries: deliveries.map((d) => ({
        subscription: d.subscription,
        status: d.status,
        item: d.item,
        message:
          d.subscription.platform === 'slack'
            ? { slack: renderDigest(d.item, options.slashCommand) }
            : {
                wecomMarkdown: renderDigestMarkdown(d.item, {
                  group: d.subscription.conversation.startsWith('chat:'),
                  publicUrl: options.publicUrl ?? null,
                }),
              },
      })),
    });
  });
  router.all('/digest', methodNotAllowed(['GET']));
}
