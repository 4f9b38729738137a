import { UpstreamError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';

/** A WeCom API call answered with a non-zero `errcode`. */
export class WecomApiError extends UpstreamError {
  readonly errcode: number;
  constructor(api: string, errcode: number, errmsg: string) {
    // errmsg is WeCom's own text; it never echoes our secret or token.
    super(`WeCom ${api} failed: errcode ${errcode} (${errmsg.slice(0, 200)})`);
    this.errcode = errcode;
  }
}

/** 40014 invalid access_token, 42001 access_token expired: refresh once and retry once. */
const TOKEN_ERRCODES = new Set([40014, 42001]);

/** True when WeCom rejected the access token rather than the message. */
export function isTokenError(error: unknown): boolean {
  return error instanceof WecomApiError && TOKEN_ERRCODES.has(error.errcode);
}
/** Refresh this long before WeCom's `expires_in`, so a token never expires mid-request. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export type AppMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } };

interface WecomResponse {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

/**
 * Calls one WeCom URL and returns its JSON body. Transport failures and non-JSON bodies become
 * `UpstreamError`; the URL (which may carry an access token or webhook key) is never put in messages.
 */
export async function callWecom(
  fetchImpl: typeof fetch,
  api: string,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown; timeoutMs: number },
): Promise<WecomResponse> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: init.method,
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (cause) {
    throw new UpstreamError(`WeCom ${api} request failed`, { cause });
  }
  if (!response.ok) {
    throw new UpstreamError(`WeCom ${api} answered HTTP ${response.status}`, { status: response.status });
  }
  try {
    const body = (await response.json()) as unknown;
    if (body === null || typeof body !== 'object') throw new Error('not an object');
    return body as WecomResponse;
  } catch (cause) {
    throw new UpstreamError(`WeCom ${api} answered with invalid JSON`, { cause, status: response.status });
  }
}

export interface WecomApiClientOptions {
  /** e.g. https://qyapi.weixin.qq.com (no trailing slash). */
  apiBase: string;
  corpId: string;
  secret: string;
  agentId: number;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** The self-built app's outbound API: `gettoken` (cached) and `message/send`. */
export class WecomApiClient {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WecomApiClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** A cached access token; concurrent callers share one `gettoken` request. */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Drops the cached token (after WeCom said it is invalid or expired). */
  invalidateToken(): void {
    this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const url = new URL(`${this.options.apiBase}/cgi-bin/gettoken`);
    url.searchParams.set('corpid', this.options.corpId);
    url.searchParams.set('corpsecret', this.options.secret);
    const body = await callWecom(this.fetchImpl, 'gettoken', url.toString(), {
      method: 'GET',
      timeoutMs: this.timeoutMs,
    });
    if (body.errcode !== undefined && body.errcode !== 0) {
      throw new WecomApiError('gettoken', body.errcode, String(body.errmsg ?? ''));
    }
    if (typeof body.access_token !== 'string' || body.access_token.length === 0) {
      throw new UpstreamError('WeCom gettoken returned no access_token');
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 7200;
    const lifetime = Math.max(expiresIn * 1000 - EXPIRY_MARGIN_MS, (expiresIn * 1000) / 2);
    this.token = { value: body.access_token, expiresAt: this.now() + lifetime };
    this.options.logger.debug({ expiresIn }, 'wecom access token refreshed');
    return body.access_token;
  }

  /**
   * `message/send` to one user. On 40014/42001 the token is refreshed once and the message resent once;
   * any other non-zero errcode throws `WecomApiError`.
   */
  async sendMessage(toUser: string, message: AppMessage): Promise<void> {
    const payload = { touser: toUser, agentid: this.options.agentId, ...message, safe: 0 };
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const url = `${this.options.apiBase}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`;
      const body = await callWecom(this.fetchImpl, 'message/send', url, {
        method: 'POST',
        body: payload,
        timeoutMs: this.timeoutMs,
      });
      const errcode = body.errcode ?? 0;
      if (errcode === 0) {
        if (body.invaliduser)
          this.options.logger.warn({ invaliduser: body.invaliduser }, 'wecom invalid user');
        return;
      }
      if (TOKEN_ERRCODES.has(errcode) && attempt === 0) {
        this.options.logger.info({ errcode }, 'wecom access token rejected; refreshing once');
        if (this.token?.value === token) this.invalidateToken();
        continue;
      }
      throw new WecomApiError('message/send', errcode, String(body.errmsg ?? ''));
    }
  }
}
