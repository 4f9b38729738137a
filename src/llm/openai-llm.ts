/**
 * `LlmClient` over the openai SDK (any OpenAI-compatible server: OpenAI, DeepSeek, Qwen, vLLM, Ollama).
 * The SDK's own retries are off (`maxRetries: 0`): this module retries itself so that the total time
 * spent, waits included, stays inside the request's deadline (at most `budgetMs`). The request's `signal`
 * aborts the HTTP call itself, so the server sees the connection close.
 */
import OpenAI, { APIConnectionTimeoutError } from 'openai';
import type { Config } from '../config/config.js';
import { ErrorCode, UpstreamError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { CompletionRequest, LlmClient } from './LlmClient.js';
import { backoffMs, classifyFailure, type FailureInfo } from './retry-policy.js';

/** The client's part of the LLM settings (the circuit breaker wraps any client, see circuit-breaker.ts). */
export type LlmConfig = Omit<NonNullable<Config['llm']>, 'breaker'>;

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

/** Resolves after `ms`, or at once when `signal` aborts. */
function waitUnlessAborted(sleep: (ms: number) => Promise<void>, ms: number, signal?: AbortSignal) {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void sleep(ms).then(done);
  });
}

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

  function startAttempt(deadline: number, signal: AbortSignal | undefined): Attempt {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
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
        signal?.removeEventListener('abort', onAbort);
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

  /**
   * The caller's signal fired: at its deadline that is a timeout; otherwise the caller is gone and the
   * call is simply over (not retried, not the model's fault).
   */
  function abortedByCaller(request: CompletionRequest, cause?: unknown): UpstreamError {
    const timeout = (request.signal?.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
    return new UpstreamError(
      `Language model call "${request.template}" ${timeout ? 'timed out (request budget)' : 'cancelled by the caller'}`,
      {
        code: timeout ? ErrorCode.LlmTimeout : ErrorCode.LlmUnavailable,
        cause: cause ?? request.signal?.reason,
      },
    );
  }

  /** The request's deadline: its own, never more than `budgetMs` from now. */
  function deadlineOf(request: CompletionRequest): number {
    return Math.min(now() + config.budgetMs, request.deadline ?? Number.POSITIVE_INFINITY);
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
      const deadline = deadlineOf(request);
      for (let attempt = 0; ; attempt++) {
        if (request.signal?.aborted) throw abortedByCaller(request);
        if (now() >= deadline) throw budgetExceeded(request);
        const a = startAttempt(deadline, request.signal);
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
          if (request.signal?.aborted && !a.timedOut()) throw abortedByCaller(request, error);
          const delay = nextDelay(error, a.timedOut(), attempt, deadline, request);
          await waitUnlessAborted(sleep, delay, request.signal);
        } finally {
          a.dispose();
        }
      }
    },

    async *stream(request) {
      const deadline = deadlineOf(request);
      for (let attempt = 0; ; attempt++) {
        if (request.signal?.aborted) throw abortedByCaller(request);
        if (now() >= deadline) throw budgetExceeded(request);
        const a = startAttempt(deadline, request.signal);
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
          if (request.signal?.aborted) throw abortedByCaller(request);
          return;
        } catch (error) {
          if (error instanceof UpstreamError) throw error;
          if (request.signal?.aborted && !a.timedOut()) throw abortedByCaller(request, error);
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
          await waitUnlessAborted(sleep, delay, request.signal);
        } finally {
          a.dispose();
          a.controller.abort();
        }
      }
    },
  };
}
