import type { Context } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import type { Language } from '../types.js';

/** Per-request data the global middleware puts on Bolt's `context`, read by listeners and the error sink. */
export interface RequestState {
  requestId: string;
  /** Child logger carrying the request id. */
  logger: Logger;
  /** Language of the user's text, for the error message. */
  language: Language;
  /** Set by a listener once it knows where the user is; the error sink uses it to say "sorry" there. */
  replyWithError?: (text: string) => Promise<void>;
}

const KEY = 'policybot';

export function setRequestState(context: Context, state: RequestState): void {
  context[KEY] = state;
}

/** The state set by the request-context middleware (always present for listeners). */
export function requestState(context: Context): RequestState {
  const state = context[KEY] as RequestState | undefined;
  if (!state) throw new Error('request state missing: the request-context middleware must run first');
  return state;
}

export function maybeRequestState(context: Context | undefined): RequestState | undefined {
  return context?.[KEY] as RequestState | undefined;
}

export function detectLanguage(text: string): Language {
  return /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
}
