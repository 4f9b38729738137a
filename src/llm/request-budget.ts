/** One user request's time for language-model calls: rewrite, answer and retries together. */
export interface RequestBudget {
  /** Aborted at the deadline (reason: a `TimeoutError`), when the caller's signal aborts, or by `end()`. */
  signal: AbortSignal;
  /** Epoch ms. */
  deadline: number;
  /** The request is over: anything still running for it is aborted, and the timer released. */
  end(): void;
}

/**
 * Starts a budget of `budgetMs` that also ends when `parent` (the front end's "answer no longer wanted")
 * aborts. The budget is per request, not per call, so a hanging model costs a question `budgetMs` once,
 * not once for the rewrite and again for the answer.
 */
export function startRequestBudget(
  budgetMs: number,
  parent?: AbortSignal,
  now: () => number = Date.now,
): RequestBudget {
  const controller = new AbortController();
  const deadline = now() + budgetMs;
  const timer = setTimeout(
    () => controller.abort(new DOMException(`request budget of ${budgetMs} ms spent`, 'TimeoutError')),
    budgetMs,
  );
  timer.unref();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    deadline,
    end() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
      if (!controller.signal.aborted) controller.abort(new DOMException('request finished', 'AbortError'));
    },
  };
}
