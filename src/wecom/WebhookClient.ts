import { UpstreamError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { callWecom, WecomApiError } from './WecomApiClient.js';

/** 45009: "api freq out of limit" — the robot's 20-a-minute budget is spent. */
const FREQ_LIMIT_ERRCODE = 45009;

export interface WebhookRateLimit {
  /** Messages allowed per window; WeCom group robots allow 20 a minute. */
  limit?: number;
  windowMs?: number;
  /** Injectable clock and sleep, so tests need not wait a minute. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** Hides the webhook key (a credential) in anything logged. */
export function maskWebhookUrl(url: string): string {
  return url.replace(/([?&]key=)[^&]+/i, '$1***');
}

/**
 * Posts to a group robot (群机器人) webhook, at most `limit` messages per sliding `windowMs`:
 * a message over the budget waits for a slot instead of being dropped.
 */
export class WebhookClient {
  private readonly sent: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly webhookUrl: string,
    private readonly logger: Logger,
    options: { fetch?: typeof fetch; rateLimit?: WebhookRateLimit; timeoutMs?: number } = {},
  ) {
    let parsed: URL;
    try {
      parsed = new URL(webhookUrl);
    } catch {
      throw new UpstreamError('the webhook URL is not a valid URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new UpstreamError('the webhook URL must be http(s)');
    }
    this.limit = options.rateLimit?.limit ?? 20;
    this.windowMs = options.rateLimit?.windowMs ?? 60_000;
    this.now = options.rateLimit?.now ?? Date.now;
    this.sleep = options.rateLimit?.sleep ?? realSleep;
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private readonly timeoutMs: number;

  /** Waits until one more message fits in the window, then records it. */
  private async takeSlot(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - this.windowMs) this.sent.shift();
      if (this.sent.length < this.limit) {
        this.sent.push(now);
        return;
      }
      const wait = (this.sent[0] ?? now) + this.windowMs - now;
      this.logger.info({ waitMs: wait }, 'wecom webhook rate limit reached; waiting');
      await this.sleep(Math.max(1, wait));
    }
  }

  /** Posts one markdown message; retries after a full window on 45009, throws on other errcodes. */
  async sendMarkdown(content: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.takeSlot();
      const body = await callWecom(this.fetchImpl, 'webhook/send', this.webhookUrl, {
        method: 'POST',
        body: { msgtype: 'markdown', markdown: { content } },
        timeoutMs: this.timeoutMs,
      });
      const errcode = body.errcode ?? 0;
      if (errcode === 0) return;
      if (errcode === FREQ_LIMIT_ERRCODE && attempt < 2) {
        // Someone else is posting to the same robot: back off a whole window.
        this.logger.warn({ errcode, webhook: maskWebhookUrl(this.webhookUrl) }, 'wecom webhook throttled');
        await this.sleep(this.windowMs);
        continue;
      }
      throw new WecomApiError('webhook/send', errcode, String(body.errmsg ?? ''));
    }
  }
}
