/**
 * The language-model port of the answer layer. Implementations own transport, retries and the time
 * budget; callers only see text or a coded `UpstreamError` (LlmUnavailable / LlmTimeout).
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  /** Template name, for logs ("answer-with-citations"). */
  template: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Correlates upstream calls with the question in logs. */
  requestId?: string;
  /** Aborts the call (and any wait between retries): the caller no longer needs the reply. */
  signal?: AbortSignal;
  /** Epoch ms by which the call must be over, retries included (the user request's budget). */
  deadline?: number;
}

export interface LlmClient {
  readonly model: string;
  /** The whole reply. Retries transient failures inside the client's time budget, then throws. */
  complete(request: CompletionRequest): Promise<string>;
  /**
   * Reply text deltas in order. Transient failures before the first delta are retried inside the budget;
   * a failure after text has been yielded throws (the caller falls back, replacing the partial text).
   */
  stream(request: CompletionRequest): AsyncIterable<string>;
}
