import type { Context } from '@slack/bolt';
import { asCodedError, ErrorCode, UpstreamError, userFacingMessage } from '../errors/index.js';
import { type Logger, newRequestId } from '../logging/logger.js';
import { maskSlackTokens } from './bolt-logger.js';
import { maybeRequestState } from './request-state.js';

/** What Bolt passes an extended error handler (the type itself is not exported from @slack/bolt's index). */
export interface ErrorSinkArgs {
  error: Error;
  context: Context;
}

/** Bolt wraps errors without a `code` in UnknownError with the original kept; undo that. */
function unwrap(error: unknown): unknown {
  const original = (error as { original?: unknown }).original;
  return original instanceof Error ? original : error;
}

/** Slack Web API failures become upstream errors for the user message; the Slack error code goes to the logs. */
function classify(error: unknown): { error: unknown; slackError: string | undefined } {
  const data = (error as { data?: { error?: unknown } }).data;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('slack_webapi_')) {
    const slackError = typeof data?.error === 'string' ? data.error : undefined;
    return { error: new UpstreamError(`Slack Web API: ${slackError ?? code}`, { cause: error }), slackError };
  }
  return { error, slackError: undefined };
}

/**
 * The one error sink (`app.error`): every listener error ends here. Details (code, message, stack) go to the
 * log with the request id; the user gets `userFacingMessage` only, in the place the listener registered
 * (thread, DM or response_url). It never rethrows: Slack was acknowledged long ago.
 */
export function createErrorSink(logger: Logger) {
  return async ({ error, context }: ErrorSinkArgs): Promise<void> => {
    const state = maybeRequestState(context);
    const requestId = state?.requestId ?? newRequestId();
    const log = state?.logger ?? logger.child({ requestId });
    const { error: classified, slackError } = classify(unwrap(error));
    const coded = asCodedError(classified);
    const cause = unwrap(error) as Error;
    log.error(
      {
        code: coded.code,
        category: coded.category,
        slackError,
        err: {
          name: cause?.name,
          message: maskSlackTokens(String(cause?.message ?? cause)),
          stack: cause?.stack ? maskSlackTokens(cause.stack) : undefined,
        },
      },
      'slack request failed',
    );
    if (!state?.replyWithError) return;
    const text = userFacingMessage(coded, requestId, state.language);
    try {
      await state.replyWithError(text);
    } catch (replyError) {
      log.warn(
        {
          code: ErrorCode.UpstreamError,
          err: { message: maskSlackTokens(String((replyError as Error)?.message)) },
        },
        'could not tell the user about the failure',
      );
    }
  };
}
