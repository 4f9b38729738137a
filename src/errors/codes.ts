/** Every error the product raises carries one of these codes; front ends branch on them, never on messages. */
export enum ErrorCode {
  ConfigInvalid = 'policybot_config_invalid',
  UsageError = 'policybot_usage_error',
  InputInvalid = 'policybot_input_invalid',
  InputTooLong = 'policybot_input_too_long',
  RateLimited = 'policybot_rate_limited',
  NotFound = 'policybot_not_found',
  UnknownIssuer = 'policybot_unknown_issuer',
  UnknownDocument = 'policybot_unknown_document',
  CorpusEmpty = 'policybot_corpus_empty',
  CorpusUnreadable = 'policybot_corpus_unreadable',
  IndexMissing = 'policybot_index_missing',
  IndexCorrupt = 'policybot_index_corrupt',
  IndexMismatch = 'policybot_index_mismatch',
  /** Another `policybot index` is building the same index folder. */
  IndexLocked = 'policybot_index_locked',
  ModelUnavailable = 'policybot_model_unavailable',
  SignatureInvalid = 'policybot_signature_invalid',
  RequestStale = 'policybot_request_stale',
  DecryptFailed = 'policybot_decrypt_failed',
  LlmUnavailable = 'policybot_llm_unavailable',
  LlmTimeout = 'policybot_llm_timeout',
  UpstreamError = 'policybot_upstream_error',
  Unknown = 'policybot_unknown',
}

/** Who has to act: the user (bad input), us (a bug or bad deployment), or a service we call. */
export type ErrorCategory = 'user' | 'system' | 'upstream';
