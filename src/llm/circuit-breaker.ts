import { ErrorCode, UpstreamError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { LlmCircuitStatus } from '../types.js';
import type { CompletionRequest, LlmClient } from './LlmClient.js';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls (errors or timeouts) that open the circuit; 0 never opens it. */
  failures: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Stops calling a language model that keeps failing: after `failures` consecutive failed calls every call fails
 * at once (answers go extractive, with their usual notice) for `cooldownMs`; then one trial call is let
 * through (half-open) — success closes the circuit, failure opens it again. A call the caller cancelled
 * (client gone) counts neither way. Logged once per opening; `/healthz` shows the state.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | null = null;
  private trial = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  status(): LlmCircuitStatus {
    const state = this.state();
    return {
      state,
      consecutiveFailures: this.consecutive,
      openUntil:
        state === 'open' && this.openedAt !== null
          ? new Date(this.openedAt + this.options.cooldownMs).toISOString()
          : null,
    };
  }

  private state(): LlmCircuitStatus['state'] {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt < this.options.cooldownMs ? 'open' : 'half-open';
  }

  /** Throws when no call may go out now; otherwise the caller must report the outcome exactly once. */
  enter(template: string): void {
    const state = this.state();
    if (state === 'closed') return;
    if (state === 'half-open' && !this.trial) {
      this.trial = true;
      this.options.logger.info({ template }, 'llm circuit half-open: trial call');
      return;
    }
    throw new UpstreamError(`Language model call "${template}" skipped: circuit open`, {
      code: ErrorCode.LlmUnavailable,
    });
  }

  succeeded(): void {
    if (this.openedAt !== null)
      this.options.logger.info('llm circuit closed: the language model answers again');
    this.consecutive = 0;
    this.openedAt = null;
    this.trial = false;
  }

  failed(error: unknown): void {
    this.consecutive += 1;
    const wasTrial = this.trial;
    this.trial = false;
    if (this.options.failures <= 0) return;
    if (wasTrial || (this.openedAt === null && this.consecutive >= this.options.failures)) {
      this.openedAt = this.now();
      this.options.logger.warn(
        {
          consecutiveFailures: this.consecutive,
          cooldownMs: this.options.cooldownMs,
          code: (error as { code?: unknown })?.code,
        },
        'llm circuit open: answering extractively during the cool-down',
      );
    }
  }

  /** A call that ended without a verdict (cancelled by the caller). */
  released(): void {
    this.trial = false;
  }
}

/** True when the caller gave up on the call (client gone), as opposed to the model failing or timing out. */
function cancelledByCaller(request: CompletionRequest): boolean {
  const signal = request.signal;
  if (!signal?.aborted) return false;
  return (signal.reason as { name?: unknown } | undefined)?.name !== 'TimeoutError';
}

/** The deadline has already passed: the call would not reach the model, so it says nothing about it. */
function pastDeadline(request: CompletionRequest, now: () => number): boolean {
  return request.deadline !== undefined && now() >= request.deadline;
}

/** `llm` behind `breaker`: calls fail fast while it is open; outcomes are reported to it. */
export function withCircuitBreaker(
  llm: LlmClient,
  breaker: CircuitBreaker,
  now: () => number = Date.now,
): LlmClient {
  const verdict = (request: CompletionRequest, error: unknown) => {
    if (cancelledByCaller(request)) breaker.released();
    else breaker.failed(error);
  };
  return {
    model: llm.model,
    async complete(request) {
      if (pastDeadline(request, now)) return llm.complete(request);
      breaker.enter(request.template);
      try {
        const text = await llm.complete(request);
        breaker.succeeded();
        return text;
      } catch (error) {
        verdict(request, error);
        throw error;
      }
    },
    async *stream(request) {
      if (pastDeadline(request, now)) {
        yield* llm.stream(request);
        return;
      }
      breaker.enter(request.template);
      let settled = false;
      try {
        for await (const delta of llm.stream(request)) {
          if (!settled) {
            // The model is answering: that is all the breaker needs to know.
            settled = true;
            breaker.succeeded();
          }
          yield delta;
        }
        if (!settled) {
          settled = true;
          breaker.succeeded();
        }
      } catch (error) {
        if (!settled) {
          settled = true;
          verdict(request, error);
        }
        throw error;
      } finally {
        if (!settled) breaker.released();
      }
    },
  };
}
