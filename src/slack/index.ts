/**
 * Slack front end (Bolt): mentions answered in threads, thread follow-ups, DMs, the slash command, Share and
 * feedback buttons — acknowledged first, answered once.
 */
export type { AnswerRef } from './action-ids.js';
export { ActionId, decodeAnswerRef, encodeAnswerRef } from './action-ids.js';
export { createBoltLogger, maskSlackTokens } from './bolt-logger.js';
export {
  createSlackFrontEnd,
  DEFAULT_SLACK_RETRY,
  SLACK_EVENTS_PATH,
  type SlackFrontEnd,
  type SlackFrontEndOptions,
} from './create-slack-front-end.js';
export type { SlackConfig } from './deps.js';
export type { FeedbackRecord } from './feedback-log.js';
export { renderAnswer } from './render/answer-blocks.js';
export {
  computeSlackSignature,
  isValidSlackSignature,
  SLACK_MAX_SKEW_SECONDS,
  type VerifySlackSignatureInput,
  verifySlackSignature,
} from './verify-signature.js';
