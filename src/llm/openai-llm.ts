/**
 * `LlmClient` over the openai SDK (any OpenAI-compatible server: OpenAI, DeepSeek, Qwen, vLLM, Ollama).
 * The SDK's own retries are off (`maxRetries: 0`): this module retries itself so that the total time
 * spent, waits included, stays inside `budgetMs`.
 */
import OpenAI, { APIConnectionTimeoutError } from 'openai';
import type { Config } from '../config/config.js';
import { ErrorCode, UpstreamError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { CompletionRequest, LlmClient } from './LlmClient.js';
import { backoffMs, classifyFailure, type FailureInfo } from './retry-policy.js';

export type LlmConfig = NonNullable<Config['llm']>;

export interface OpenAiLlmOptions {
  config: LlmConfig;
  logger: Logger;
  /** First backoff delay; doubled per attempt (default 500 ms). */
  baseDelayMs?: number;
  /** Backoff cap (default 8 s). */
  maxDelayMs?: number;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Attempt {
  controller: AbortController;
  /** True once our timer aborted the attempt. */
  timedOut: () => boolean;
  /** (Re)arms the timer: `ms` from now, never past the budget deadline. */
  arm: (ms: number) => void;
  dispose: () => void;
}

/** Creates the OpenAI-compatible client. Throws nothing; failures surface per call. */
export function createOpenAiLlm(options: OpenAiLlmOptions): LlmClient {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 8000;
  const client = new OpenAI({
    apiKey: config.apiKey,
    // Explicit, so the SDK does not read OPENAI_* variables behind the config's back.
    baseURL: config.baseURL ?? 'https://api.openai.com/v1',
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: config.timeoutMs,
  });

  function startAttempt(deadline: number): Attempt {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const arm = (ms: number) => {
      if (timer) clearTimeout(timer);
      const wait = Math.max(0, Math.min(ms, deadline - now()));
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, wait);
    };
    return {
      controller,
      timedOut: () => timedOut,
      arm,
      dispose: () => {
        if (timer) clearTimeout(timer);
      },
    };
  }

  function toUpstream(error: unknown, info: FailureInfo, template: string): UpstreamError {
    const code = info.timeout ? ErrorCode.LlmTimeout : ErrorCode.LlmUnavailable;
    const what = info.timeout ? 'timed out' : `failed${info.status ? ` (HTTP ${info.status})` : ''}`;
    return new UpstreamError(`Language model call "${template}" ${what}`, {
      cause: error,
      status: info.status,
      code,
    });
  }

  /**
   * Decides what happens after a failed attempt: returns the delay before the next one,
   * or throws the coded error when the failure is final or the budget cannot fit another try.
   */
  function nextDelay(
    error: unknown,
    timedOut: boolean,
    attempt: number,
    deadline: number,
    request: CompletionRequest,
  ): number {
    const info = classifyFailure(error, timedOut);
    const lastAttempt = attempt >= config.maxRetries;
    const delay = info.retryAfterMs ?? backoffMs(attempt, baseDelay, maxDelay, random);
    const fits = now() + delay < deadline;
    const log = {
      requestId: request.requestId,
      template: request.template,
      model: config.model,
      attempt: attempt + 1,
      status: info.status,
      timeout: info.timeout,
    };
    if (!info.retryable || lastAttempt || !fits) {
      logger.warn(
        {
          ...log,
          reason: !info.retryable ? 'not retryable' : lastAttempt ? 'retries exhausted' : 'budget exhausted',
        },
        'llm call failed',
      );
      throw toUpstream(error, info, request.template);
    }
    logger.info({ ...log, delayMs: delay, retryAfter: info.retryAfterMs !== null }, 'llm call retrying');
    return delay;
  }

  function budgetExceeded(request: CompletionRequest): UpstreamError {
    return new UpstreamError(
      `Language model call "${request.template}" timed out (budget ${config.budgetMs} ms)`,
      {
        code: ErrorCode.LlmTimeout,
        cause: new APIConnectionTimeoutError(),
      },
    );
  }

  const body = (request: CompletionRequest) => ({
    model: config.model,
    messages: request.messages,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
  });

  return {
    model: config.model,

    async complete(request) {
      const deadline = now() + config.budgetMs;
      for (let attempt = 0; ; attempt++) {
        if (now() >= deadline) throw budgetExceeded(request);
        const a = startAttempt(deadline);
        a.arm(config.timeoutMs);
        try {
          const started = now();
          const completion = await client.chat.completions.create(
            { ...body(request), stream: false },
            {
              signal: a.controller.signal,
              maxRetries: 0,
              timeout: Math.max(1, Math.min(config.timeoutMs, deadline - now())),
            },
          );
          logger.debug(
            {
              requestId: request.requestId,
              template: request.template,
              ms: now() - started,
              attempt: attempt + 1,
            },
            'llm call done',
          );
          return completion.choices[0]?.message?.content ?? '';
        } catch (error) {
          const delay = nextDelay(error, a.timedOut(), attempt, deadline, request);
          await sleep(delay);
        } finally {
          a.dispose();
        }
      }
    },

    async *stream(request) {
      const deadline = now() + config.budgetMs;
      for (let attempt = 0; ; attempt++) {
        if (now() >= deadline) throw budgetExceeded(request);
        const a = startAttempt(deadline);
        // The timer is an idle timeout: re-armed on every chunk, so a stream that stalls midway is cut.
        a.arm(config.timeoutMs);
        let yielded = false;
        try {
          const stream = await client.chat.completions.create(
            { ...body(request), stream: true },
            {
              signal: a.controller.signal,
              maxRetries: 0,
              timeout: Math.max(1, Math.min(config.timeoutMs, deadline - now())),
            },
          );
          for await (const chunk of stream) {
            a.arm(config.timeoutMs);
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) {
              yielded = true;
              yield delta;
            }
          }
          // The SDK ends a stream quietly when its signal aborts; our idle timer firing is a timeout.
          if (a.timedOut()) throw new APIConnectionTimeoutError({ message: 'stream idle timeout' });
          return;
        } catch (error) {
          if (yielded) {
            // Text already reached the caller: no silent retry (it would duplicate text); the caller falls back.
            const info = classifyFailure(error, a.timedOut());
            logger.warn(
              {
                requestId: request.requestId,
                template: request.template,
                status: info.status,
                timeout: info.timeout,
              },
              'llm stream broke midway',
            );
            throw toUpstream(error, info, request.template);
          }
          const delay = nextDelay(error, a.timedOut(), attempt, deadline, request);
          await sleep(delay);
        } finally {
          a.dispose();
          a.controller.abort();
        }
      }
    },
  };
}
