import type { PolicyEngine } from '../engine/PolicyEngine.js';
import type { Logger } from '../logging/logger.js';
import { renderSummaryMarkdownBlocks } from './render.js';
import { MARKDOWN_MAX_BYTES, splitByBytes, utf8Length } from './split-text.js';
import { maskWebhookUrl, WebhookClient, type WebhookRateLimit } from './WebhookClient.js';

export interface PushSummaryOptions {
  /** Group robot webhook, e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (a credential). */
  webhookUrl: string;
  engine: PolicyEngine;
  /** Short, full or fuzzy issuer name; null = all issuers. */
  issuer: string | null;
  logger: Logger;
  fetch?: typeof fetch;
  rateLimit?: WebhookRateLimit;
}

/** Packs blocks into messages of at most `maxBytes`, keeping a block whole when it fits. */
export function packBlocks(blocks: string[], maxBytes: number): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks.flatMap((b) => (utf8Length(b) > maxBytes ? splitByBytes(b, maxBytes) : [b]))) {
    const joined = current ? `${current}\n\n${block}` : block;
    if (utf8Length(joined) <= maxBytes) {
      current = joined;
      continue;
    }
    if (current) messages.push(current);
    current = block;
  }
  if (current) messages.push(current);
  return messages;
}

/**
 * Posts a issuer's (or every issuer's) summary to a group robot as markdown messages of at
 * most 4,096 bytes, at most 20 a minute (waiting, not dropping). Throws `UnknownIssuerError` for an
 * unknown issuer and `UpstreamError`/`WecomApiError` when the webhook fails.
 */
export async function pushSummary(options: PushSummaryOptions): Promise<{ messages: number }> {
  const summary = await options.engine.summary(options.issuer, { language: 'zh' });
  const messages = packBlocks(renderSummaryMarkdownBlocks(summary), MARKDOWN_MAX_BYTES);
  const client = new WebhookClient(options.webhookUrl, options.logger, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  for (const content of messages) await client.sendMarkdown(content);
  options.logger.info(
    {
      messages: messages.length,
      issuer: options.issuer,
      webhook: maskWebhookUrl(options.webhookUrl),
    },
    'wecom summary pushed',
  );
  return { messages: messages.length };
}
