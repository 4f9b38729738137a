import { webApi } from '@slack/bolt';
import type { DigestItem, DigestSender } from '../digest/digest.js';
import type { SlackConfig } from './deps.js';
import { renderDigest } from './render/digest-blocks.js';

/**
 * Posts digest messages with chat.postMessage. Slack allows about one message a second per channel; the
 * WebClient also waits out a 429's Retry-After.
 */
export function createSlackDigestSender(options: {
  config: SlackConfig;
  client?: webApi.WebClient;
}): DigestSender {
  const { config } = options;
  const apiUrl = config.apiUrl
    ? config.apiUrl.endsWith('/')
      ? config.apiUrl
      : `${config.apiUrl}/`
    : undefined;
  const client =
    options.client ??
    new webApi.WebClient(config.botToken, {
      retryConfig: { retries: 3, factor: 2, minTimeout: 300, maxTimeout: 3000 },
      ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    });
  return {
    platform: 'slack',
    rate: { limit: 1, windowMs: 1000 },
    unreachable: () => null,
    async send(channel: string, item: DigestItem) {
      const message = renderDigest(item, config.slashCommand);
      await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
    },
  };
}
