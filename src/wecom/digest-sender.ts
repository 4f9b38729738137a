import type { DigestItem, DigestSender } from '../digest/digest.js';
import type { Logger } from '../logging/logger.js';
import type { ChannelScopes } from '../scopes/index.js';
import { renderDigestMarkdown } from './render.js';
import { WebhookClient } from './WebhookClient.js';
import type { WecomApiClient } from './WecomApiClient.js';

/** `chat:<chatid>` (an AI-bot group chat) or `user:<userid>` (the self-built app's one-to-one chat). */
export function wecomConversation(kind: 'chat' | 'user', id: string): string {
  return `${kind}:${id}`;
}

function parse(conversation: string): { kind: 'chat' | 'user'; id: string } | null {
  const m = /^(chat|user):(.+)$/u.exec(conversation);
  return m ? { kind: m[1] as 'chat' | 'user', id: m[2] as string } : null;
}

/**
 * Sends digest messages as markdown: to a group chat through its group robot webhook (from the scopes file's
 * `webhooks`; 20 messages a minute), to a person through the app's message/send.
 */
export function createWecomDigestSender(options: {
  scopes: ChannelScopes;
  app: WecomApiClient | null;
  logger: Logger;
  fetch?: typeof fetch;
  /** The web page's public address (POLICYBOT_PUBLIC_URL), linked from each message. */
  publicUrl?: string | null;
}): DigestSender {
  const { scopes, app, logger } = options;
  const webhooks = new Map<string, WebhookClient>();
  const webhookFor = (chatId: string) => {
    const url = scopes.wecomWebhook(chatId);
    if (!url) return null;
    let client = webhooks.get(url);
    if (!client) {
      client = new WebhookClient(url, logger, options.fetch ? { fetch: options.fetch } : {});
      webhooks.set(url, client);
    }
    return client;
  };
  return {
    platform: 'wecom',
    rate: { limit: 20, windowMs: 60_000 },
    unreachable: (conversation) => {
      const c = parse(conversation);
      if (!c) return `not a WeCom conversation: ${conversation}`;
      if (c.kind === 'chat') return scopes.wecomWebhook(c.id) ? null : 'no group robot webhook for this chat';
      return app ? null : 'the WeCom app is not configured';
    },
    async send(conversation: string, item: DigestItem) {
      const c = parse(conversation);
      const markdown = renderDigestMarkdown(item, {
        group: c?.kind === 'chat',
        publicUrl: options.publicUrl ?? null,
      });
      if (c?.kind === 'chat') {
        const client = webhookFor(c.id);
        if (client) await client.sendMarkdown(markdown);
        return;
      }
      if (c?.kind === 'user' && app) {
        await app.sendMessage(c.id, { msgtype: 'markdown', markdown: { content: markdown } });
      }
    },
  };
}
