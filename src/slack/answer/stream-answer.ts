import type { webApi } from '@slack/bolt';
import { UpstreamError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import type { Answer, Question } from '../../types.js';
import type { SlackDeps } from '../deps.js';
import { renderAnswer, renderPartial } from '../render/answer-blocks.js';

export interface StreamTarget {
  channel: string;
  /** Thread to stream into; native streaming needs one (DM top-level replies use the fallback). */
  threadTs: string | undefined;
  user: string;
  teamId: string | undefined;
}

/** Slack errors meaning "this workspace or token cannot stream": fall back instead of failing the answer. */
const STREAM_UNSUPPORTED = new Set([
  'unknown_method',
  'not_allowed_token_type',
  'method_not_supported_for_channel_type',
  'missing_scope',
  'feature_not_enabled',
  'not_allowed',
  'invalid_arguments',
]);

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

type ChatWithStreams = webApi.WebClient['chat'] & {
  startStream?: webApi.WebClient['chat']['startStream'];
  appendStream?: webApi.WebClient['chat']['appendStream'];
  stopStream?: webApi.WebClient['chat']['stopStream'];
};

/** Calls `flush` at most once per `intervalMs`; text arriving in between waits for the next call or the end. */
class Throttle {
  private last = 0;
  constructor(private readonly intervalMs: number) {}
  due(now = Date.now()): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}

async function finalAnswer(
  events: AsyncIterable<{ type: 'delta'; text: string } | { type: 'final'; answer: Answer }>,
  onDelta: (text: string) => Promise<void>,
): Promise<Answer> {
  let answer: Answer | null = null;
  for await (const event of events) {
    if (event.type === 'delta') await onDelta(event.text);
    else answer = event.answer;
  }
  if (!answer) throw new UpstreamError('the answer stream ended without a final answer');
  return answer;
}

/**
 * Streams an answer into Slack while the language model writes it, then replaces the text with the verified
 * answer and its sources (the deltas are unverified). Native chat.startStream/appendStream/stopStream when the
 * WebClient has them and Slack accepts them; otherwise a placeholder message edited at most once per interval.
 * Returns the final answer and the ts of the message that holds it.
 */
export async function streamAnswer(
  client: webApi.WebClient,
  deps: SlackDeps,
  target: StreamTarget,
  question: Question,
  log: Logger,
): Promise<{ answer: Answer; ts: string }> {
  const chat = client.chat as ChatWithStreams;
  const native =
    deps.streaming.nativeAvailable &&
    target.threadTs !== undefined &&
    typeof chat.startStream === 'function' &&
    typeof chat.appendStream === 'function' &&
    typeof chat.stopStream === 'function';
  const throttle = new Throttle(deps.streamUpdateIntervalMs);
  let ts: string | undefined;
  let useNative = native;
  let pending = '';
  let shown = '';

  const startNative = async (text: string): Promise<void> => {
    try {
      const started = await (chat.startStream as NonNullable<ChatWithStreams['startStream']>)({
        channel: target.channel,
        thread_ts: target.threadTs as string,
        markdown_text: text,
        recipient_user_id: target.user,
        ...(target.teamId ? { recipient_team_id: target.teamId } : {}),
      });
      ts = started.ts;
    } catch (error) {
      const code = slackErrorCode(error);
      if (!code || !STREAM_UNSUPPORTED.has(code)) throw error;
      log.info({ slackError: code }, 'chat.startStream unavailable; streaming with chat.update instead');
      deps.streaming.nativeAvailable = false;
      useNative = false;
    }
  };

  const postPlaceholder = async (): Promise<void> => {
    const partial = renderPartial(shown);
    const posted = await client.chat.postMessage({
      channel: target.channel,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      text: partial.text,
      blocks: partial.blocks,
    });
    ts = posted.ts;
  };

  const onDelta = async (delta: string): Promise<void> => {
    pending += delta;
    if (!throttle.due()) return;
    if (useNative) {
      if (ts === undefined) {
        await startNative(pending);
        if (useNative) {
          shown += pending;
          pending = '';
          return;
        }
      } else {
        await (chat.appendStream as NonNullable<ChatWithStreams['appendStream']>)({
          channel: target.channel,
          ts,
          markdown_text: pending,
        });
        shown += pending;
        pending = '';
        return;
      }
    }
    shown += pending;
    pending = '';
    if (ts === undefined) {
      await postPlaceholder();
      return;
    }
    const partial = renderPartial(shown);
    await client.chat.update({ channel: target.channel, ts, text: partial.text, blocks: partial.blocks });
  };

  const answer = await finalAnswer(deps.engine.answerStream(question), onDelta);
  const message = renderAnswer(answer);
  if (ts === undefined) {
    // Nothing streamed yet (a very short or refused answer): post the verified answer directly.
    const posted = await client.chat.postMessage({
      channel: target.channel,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    return { answer, ts: posted.ts as string };
  }
  if (useNative) {
    await (chat.stopStream as NonNullable<ChatWithStreams['stopStream']>)({
      channel: target.channel,
      ts,
      ...(pending ? { markdown_text: pending } : {}),
    });
  }
  // The final message is the verified answer with sources, whatever was streamed before it.
  await client.chat.update({ channel: target.channel, ts, text: message.text, blocks: message.blocks });
  return { answer, ts };
}
