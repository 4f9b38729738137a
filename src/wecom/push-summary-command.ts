import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { isCodedError, UnknownIssuerError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { pushSummary } from './push-summary.js';
import type { WebhookRateLimit } from './WebhookClient.js';

/** Parsed flags of `policybot push-summary --dept NAME --webhook URL | --all`. */
export interface PushSummaryArgs {
  dept?: string;
  all?: boolean;
  webhook?: string;
}

export interface PushSummaryDeps {
  engine: PolicyEngine;
  logger: Logger;
  fetch?: typeof fetch;
  rateLimit?: WebhookRateLimit;
  /** Where user-facing lines go (defaults: stdout / stderr). */
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Runs the command; returns the process exit code (0 ok, 1 failed, 2 usage error). */
export async function runPushSummary(args: PushSummaryArgs, deps: PushSummaryDeps): Promise<number> {
  const out = deps.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = deps.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dept = args.dept?.trim();
  if (Boolean(dept) === Boolean(args.all)) {
    err('push-summary: give exactly one of --dept NAME or --all');
    return 2;
  }
  const webhook = args.webhook?.trim();
  if (!webhook || !/^https?:\/\//i.test(webhook)) {
    err(
      'push-summary: --webhook URL is required (the group robot webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)',
    );
    return 2;
  }
  try {
    const { messages } = await pushSummary({
      webhookUrl: webhook,
      engine: deps.engine,
      issuer: dept ?? null,
      logger: deps.logger,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.rateLimit ? { rateLimit: deps.rateLimit } : {}),
    });
    out(`Posted ${messages} message${messages === 1 ? '' : 's'} to the WeCom group robot.`);
    return 0;
  } catch (error) {
    if (error instanceof UnknownIssuerError) {
      err(`push-summary: unknown issuer "${dept}". Known: ${error.known.join(', ')}`);
      return 1;
    }
    deps.logger.error({ err: error }, 'push-summary failed');
    // Coded errors carry no secrets in their messages (the webhook key is never put in one).
    err(`push-summary: ${isCodedError(error) ? error.message : 'failed; see the log for details'}`);
    return 1;
  }
}
