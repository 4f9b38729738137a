import type { webApi } from '@slack/bolt';
import { toDocumentScope } from '../../scopes/index.js';
import type { Question, Turn } from '../../types.js';
import type { SlackDeps } from '../deps.js';
import { renderAnswer } from '../render/answer-blocks.js';
import type { RequestState } from '../request-state.js';
import { streamAnswer } from './stream-answer.js';
import { fetchThreadHistory, stripBotMention } from './thread-history.js';

/** Where a question was asked and where its answer goes. */
export interface ConversationQuestion {
  channel: string;
  user: string;
  teamId: string | undefined;
  /** ts of the user's message (dedupe key, 👀 reaction). */
  messageTs: string;
  /** Thread the message is in (its `thread_ts`), if any: its history becomes the prior turns. */
  inThreadTs: string | undefined;
  /** Thread to answer in; undefined posts at the top level (a DM that is not in a thread). */
  replyThreadTs: string | undefined;
  /** Raw Slack text, bot mention included. */
  text: string;
  botUserId: string | undefined;
  botId: string | undefined;
  /** History already fetched by the caller (follow-up detection), to avoid a second conversations.replies. */
  history?: Turn[];
}

const EYES = 'eyes';

/** Claims the message so that the app_mention + message pair, and redeliveries, produce one answer. */
export async function claimMessage(deps: SlackDeps, channel: string, ts: string): Promise<boolean> {
  return deps.dedupe.claim(`slack:message:${channel}:${ts}`, deps.dedupeTtlMs);
}

/** A person's rate-limit notice goes out once per window, not once per extra message. */
async function notifyRateLimited(
  client: webApi.WebClient,
  deps: SlackDeps,
  q: ConversationQuestion,
  waitSeconds: number,
  isDirectMessage: boolean,
): Promise<void> {
  if (!(await deps.dedupe.claim(`slack:ratelimit-notice:${q.user}`, waitSeconds * 1000))) return;
  const text = `You're asking faster than I can keep up with (${deps.config.rateLimitPerMinute} questions a minute). Please try again in ${waitSeconds}s.`;
  const thread = q.replyThreadTs ? { thread_ts: q.replyThreadTs } : {};
  if (isDirectMessage) await client.chat.postMessage({ channel: q.channel, text, ...thread });
  else await client.chat.postEphemeral({ channel: q.channel, user: q.user, text, ...thread });
}

/**
 * The shared path for mentions, DMs and thread follow-ups, run after Slack has been acknowledged:
 * dedupe → rate limit → 👀 → history → answer (streamed when the LLM is on) → post in the thread → remove 👀.
 * Errors propagate to the one error sink, which tells the user (in the same thread) with the request id.
 */
export async function answerInConversation(
  client: webApi.WebClient,
  deps: SlackDeps,
  state: RequestState,
  q: ConversationQuestion,
  options: { isDirectMessage: boolean },
): Promise<void> {
  const log = state.logger;
  const text = stripBotMention(q.text, q.botUserId);
  if (!(await claimMessage(deps, q.channel, q.messageTs))) {
    log.debug({ channel: q.channel, ts: q.messageTs }, 'message already being answered');
    return;
  }
  const threadArg = q.replyThreadTs ? { thread_ts: q.replyThreadTs } : {};
  state.replyWithError = async (message) => {
    await client.chat.postMessage({ channel: q.channel, text: message, ...threadArg });
  };
  if (!text) {
    await client.chat.postMessage({
      channel: q.channel,
      text: `Ask me a question about the policy documents${exampleHint(deps.engine.exampleQuestions('zh'))} (or try ${deps.config.slashCommand} help).`,
      ...threadArg,
    });
    return;
  }
  const wait = await deps.limiter.take(q.user);
  if (wait > 0) {
    log.info({ user: q.user, waitSeconds: wait }, 'slack user rate limited');
    await notifyRateLimited(client, deps, q, wait, options.isDirectMessage);
    return;
  }

  await setReaction(client, 'add', q.channel, q.messageTs, log);
  // Aborted when this function leaves, normally or not: an answer that can no longer be posted (the thread or
  // channel is gone, Slack keeps failing) stops its language-model call instead of running to the budget.
  const done = new AbortController();
  try {
    let history = q.history;
    if (history === undefined && q.inThreadTs) {
      history = (
        await fetchThreadHistory(client, {
          channel: q.channel,
          threadTs: q.inThreadTs,
          excludeTs: q.messageTs,
          ...(q.botUserId ? { botUserId: q.botUserId } : {}),
          ...(q.botId ? { botId: q.botId } : {}),
        })
      ).turns;
    }
    const question: Question = {
      text,
      requestId: state.requestId,
      language: state.language,
      signal: done.signal,
    };
    if (history && history.length > 0) question.history = history;
    const scope = toDocumentScope(deps.scopes.forSlack(q.channel, options.isDirectMessage));
    if (scope) question.scope = scope;
    log.info({ channel: q.channel, turns: history?.length ?? 0, chars: text.length }, 'slack question');

    let answerId: string;
    if (deps.engine.status().llm.configured) {
      const { answer } = await streamAnswer(
        client,
        deps,
        { channel: q.channel, threadTs: q.replyThreadTs, user: q.user, teamId: q.teamId },
        question,
        log,
      );
      await deps.answers.set(answer.id, answer);
      answerId = answer.id;
    } else {
      const answer = await deps.engine.answer(question);
      const message = renderAnswer(answer);
      await client.chat.postMessage({
        channel: q.channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...threadArg,
      });
      await deps.answers.set(answer.id, answer);
      answerId = answer.id;
    }
    if (q.replyThreadTs) await deps.answeredThreads.set(`${q.channel}:${q.replyThreadTs}`, true);
    log.info({ answerId }, 'slack answer posted');
  } finally {
    done.abort(new DOMException('answer no longer needed', 'AbortError'));
    await setReaction(client, 'remove', q.channel, q.messageTs, log);
  }
}

// Reactions are a courtesy: a missing reactions:write scope or an already-present reaction must not stop the answer.
async function setReaction(
  client: webApi.WebClient,
  change: 'add' | 'remove',
  channel: string,
  ts: string,
  log: RequestState['logger'],
): Promise<void> {
  try {
    await client.reactions[change]({ channel, timestamp: ts, name: EYES });
  } catch (error) {
    log.debug({ err: { message: (error as Error).message } }, `reactions.${change} failed (ignored)`);
  }
}

function exampleHint(examples: readonly string[]): string {
  const [example] = examples;
  return example ? `, e.g. "${example}"` : '';
}
