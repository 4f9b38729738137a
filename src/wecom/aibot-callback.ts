import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { type ChatCommand, parseCommand } from '../commands/parse-command.js';
import type { SubscriptionStore } from '../digest/subscriptions.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { InputError, userFacingMessage } from '../errors/index.js';
import type { DedupeStore } from '../internal/ttl-store.js';
import { type Logger, newRequestId } from '../logging/logger.js';
import { ChannelScopes, toDocumentScope } from '../scopes/index.js';
import { type AibotStream, type AibotStreamStore, appendToStream, finishStream } from './AibotStreams.js';
import type { BackgroundTasks } from './BackgroundTasks.js';
import { runCommand } from './commands.js';
import { wecomConversation } from './digest-sender.js';
import { bodyErrorHandler, readSignedQuery, rejectCallback, urlVerificationHandler } from './http.js';
import { busyText, renderAnswerMarkdown, unsupportedMessageText, welcomeText } from './render.js';
import { computeSignature, decryptMessage, encryptMessage, verifySignature } from './wecom-crypto.js';

export const AIBOT_CALLBACK_PATH = '/wecom/aibot';
/** The AI bot is an internal bot: its receive id is the empty string. */
const RECEIVE_ID = '';
/** WeCom stops refreshing a stream 6 minutes after it began; an answer after that is read by nobody. */
const STREAM_POLL_MS = 6 * 60_000;

/** The decrypted callback: only the fields we use are checked; the rest passes through. */
const aibotMessage = z.looseObject({
  msgid: z.string().optional(),
  msgtype: z.string(),
  chattype: z.string().optional(),
  /** The group chat's id (chattype "group"): the key of its document set. */
  chatid: z.string().optional(),
  from: z.looseObject({ userid: z.string() }).optional(),
  text: z.looseObject({ content: z.string() }).optional(),
  // Voice arrives already transcribed; 图文混排 ("mixed") carries text items among images.
  voice: z.looseObject({ content: z.string() }).optional(),
  mixed: z
    .looseObject({
      msg_item: z.array(
        z.looseObject({ msgtype: z.string(), text: z.looseObject({ content: z.string() }).optional() }),
      ),
    })
    .optional(),
  stream: z.looseObject({ id: z.string() }).optional(),
  event: z.looseObject({ eventtype: z.string() }).optional(),
});
export type AibotMessage = z.infer<typeof aibotMessage>;

/** Plaintext replies (before encryption). */
export type AibotReply =
  | { msgtype: 'stream'; stream: { id: string; finish: boolean; content: string } }
  | { msgtype: 'text'; text: { content: string } };

export interface AibotCallbackDeps {
  token: string;
  aesKey: Buffer;
  maxSkewSeconds: number;
  /** How long a MsgId is remembered; at least the span of timestamps the window accepts (see dedupeTtlMs). */
  dedupeTtlMs: number;
  engine: PolicyEngine;
  streams: AibotStreamStore;
  dedupe: DedupeStore;
  tasks: BackgroundTasks;
  logger: Logger;
  now: () => number;
  /** Which documents each group chat and single chat sees. */
  scopes?: ChannelScopes;
  /** New-document digest subscriptions (absent: digests off). */
  subscriptions?: SubscriptionStore | null;
}

/** The conversation a message came from, and the document set it sees. */
function whereFrom(message: AibotMessage, deps: AibotCallbackDeps) {
  const scopes = deps.scopes ?? ChannelScopes.unscoped();
  const chatId = message.chattype === 'group' ? (message.chatid ?? null) : null;
  const user = message.from?.userid;
  const conversation = chatId
    ? wecomConversation('chat', chatId)
    : user
      ? wecomConversation('user', user)
      : null;
  return { scopes, scope: scopes.forWecom(chatId), subscriptions: deps.subscriptions ?? null, conversation };
}

function streamReply(stream: AibotStream): AibotReply {
  return { msgtype: 'stream', stream: { id: stream.id, finish: stream.finished, content: stream.content } };
}

/** In a group the text starts with "@BotName "; commands and questions start after it. */
function withoutMention(text: string): string {
  return text.replace(/^\s*@\S+\s*/u, '').trim();
}

/** The text a user message carries (text, transcribed voice, the text parts of a mixed message), or null. */
export function messageText(message: AibotMessage): string | null {
  switch (message.msgtype) {
    case 'text':
      return message.text?.content ?? null;
    case 'voice':
      return message.voice?.content ?? null;
    case 'mixed': {
      const parts = (message.mixed?.msg_item ?? []).flatMap((item) =>
        item.msgtype === 'text' && item.text ? [item.text.content] : [],
      );
      return parts.length > 0 ? parts.join('\n') : null;
    }
    default:
      return null;
  }
}

/** Partial text is published at most this often (a shared store is written per save, not per delta). */
const SAVE_INTERVAL_MS = 200;

/**
 * Produces a stream's content in the background: deltas as they come (published every SAVE_INTERVAL_MS), then
 * the verified answer. The answer is abandoned — its LLM call aborted — once WeCom has stopped polling.
 */
async function produce(
  stream: AibotStream,
  command: ChatCommand,
  where: ReturnType<typeof whereFrom>,
  deps: AibotCallbackDeps,
): Promise<void> {
  const requestId = newRequestId();
  const logger = deps.logger.child({ requestId, streamId: stream.id, msgId: stream.msgId });
  const abandoned = AbortSignal.timeout(STREAM_POLL_MS);
  let lastSave = 0;
  let saving: Promise<void> | null = null;
  try {
    if (command.kind !== 'question') {
      finishStream(stream, await runCommand(deps.engine, command, requestId, where));
      return;
    }
    logger.info('wecom ai-bot question');
    const scope = toDocumentScope(where.scope);
    for await (const event of deps.engine.answerStream({
      text: command.text,
      requestId,
      signal: abandoned,
      ...(scope ? { scope } : {}),
    })) {
      if (event.type === 'delta') {
        appendToStream(stream, event.text);
        if (!saving && deps.now() - lastSave >= SAVE_INTERVAL_MS) {
          lastSave = deps.now();
          saving = deps.streams.save(stream).finally(() => {
            saving = null;
          });
        }
      } else finishStream(stream, renderAnswerMarkdown(event.answer));
    }
    if (!stream.finished) throw new Error('answer stream ended without a final answer');
  } catch (err) {
    logger.error({ err }, 'wecom ai-bot answer failed');
    finishStream(stream, userFacingMessage(err, requestId, 'zh'));
  } finally {
    await saving;
    await deps.streams.save(stream);
  }
}

/** Decides the (plaintext) reply to one decrypted AI-bot callback; null = empty 200. */
export async function handleAibotMessage(
  message: AibotMessage,
  deps: AibotCallbackDeps,
): Promise<AibotReply | null> {
  switch (message.msgtype) {
    case 'stream': {
      if (!message.stream) throw new InputError('stream refresh without stream.id');
      const stream = await deps.streams.get(message.stream.id);
      if (stream) return streamReply(stream);
      // Unknown or expired (e.g. after a restart): close WeCom's spinner politely.
      return {
        msgtype: 'stream',
        stream: { id: message.stream.id, finish: true, content: '抱歉，这条回答已失效，请重新提问。' },
      };
    }
    case 'event':
      if (message.event?.eventtype === 'enter_chat')
        return { msgtype: 'text', text: { content: welcomeText(deps.engine.exampleQuestions('zh')) } };
      return null;
    default: {
      const text = messageText(message);
      if (text === null) {
        // image, file, video…: one polite, finished reply.
        const id = `stream_${randomBytes(8).toString('hex')}`;
        return {
          msgtype: 'stream',
          stream: { id, finish: true, content: unsupportedMessageText(deps.engine.exampleQuestions('zh')) },
        };
      }
      const userId = message.from?.userid ?? 'unknown';
      const msgId = message.msgid ?? null;
      if (msgId) {
        let fresh = true;
        try {
          fresh = await deps.dedupe.claim(`wecom:aibot:msg:${msgId}`, deps.dedupeTtlMs);
        } catch (err) {
          deps.logger.error({ err }, 'wecom dedupe store failed');
        }
        if (!fresh) {
          // A retry of a message we already took: show the same stream, never start another.
          const existing = await deps.streams.forMessage(msgId);
          deps.logger.info({ msgId }, 'wecom ai-bot duplicate message');
          return existing ? streamReply(existing) : null;
        }
      }
      const command = parseCommand(withoutMention(text));
      if (command.kind === 'question' && !command.text) return null;
      const where = whereFrom(message, deps);
      if (
        command.kind === 'help' ||
        command.kind === 'issuers' ||
        command.kind === 'scope' ||
        command.kind === 'subscribe' ||
        command.kind === 'unsubscribe'
      ) {
        const content = await runCommand(deps.engine, command, newRequestId(), where);
        return streamReply(await deps.streams.create(userId, msgId, { content, finished: true }));
      }
      if ((await deps.streams.inFlight(userId)) >= deps.streams.maxPerUser) {
        deps.logger.info({ userId }, 'wecom ai-bot user has too many streams in flight');
        return streamReply(await deps.streams.create(userId, msgId, { content: busyText(), finished: true }));
      }
      const stream = await deps.streams.create(userId, msgId);
      deps.tasks.run('wecom ai-bot answer', () => produce(stream, command, where, deps));
      return streamReply(stream);
    }
  }
}

/** Encrypts a reply into WeCom's JSON envelope `{ encrypt, msgsignature, timestamp, nonce }`. */
export function encryptAibotReply(
  reply: AibotReply,
  token: string,
  aesKey: Buffer,
  nowMilliseconds: number,
): { encrypt: string; msgsignature: string; timestamp: number; nonce: string } {
  const encrypt = encryptMessage(aesKey, JSON.stringify(reply), RECEIVE_ID);
  const timestamp = Math.floor(nowMilliseconds / 1000);
  const nonce = randomBytes(8).toString('hex');
  return {
    encrypt,
    msgsignature: computeSignature(token, String(timestamp), nonce, encrypt),
    timestamp,
    nonce,
  };
}

/** Mounts GET (URL verification) and POST (encrypted JSON callbacks) on `/wecom/aibot`. */
export function createAibotCallbackRouter(deps: AibotCallbackDeps): Router {
  const router = express.Router();
  const logger = deps.logger.child({ route: AIBOT_CALLBACK_PATH });

  router.get(
    AIBOT_CALLBACK_PATH,
    urlVerificationHandler(
      AIBOT_CALLBACK_PATH,
      {
        token: deps.token,
        aesKey: deps.aesKey,
        receiveId: RECEIVE_ID,
        maxSkewSeconds: deps.maxSkewSeconds,
        now: deps.now,
      },
      logger,
    ),
  );

  router.post(
    AIBOT_CALLBACK_PATH,
    express.json({ type: () => true, limit: '64kb', strict: true }),
    async (req: Request, res: Response) => {
      let message: AibotMessage;
      try {
        const query = readSignedQuery(req);
        const encrypted = (req.body as { encrypt?: unknown } | undefined)?.encrypt;
        if (typeof encrypted !== 'string' || !encrypted) throw new InputError('encrypt field is missing');
        verifySignature({
          token: deps.token,
          ...query,
          encrypt: encrypted,
          maxSkewSeconds: deps.maxSkewSeconds,
          nowMilliseconds: deps.now(),
        });
        const plain = decryptMessage(deps.aesKey, encrypted, RECEIVE_ID);
        let json: unknown;
        try {
          json = JSON.parse(plain);
        } catch {
          throw new InputError('decrypted payload is not JSON');
        }
        const parsed = aibotMessage.safeParse(json);
        if (!parsed.success) throw new InputError('decrypted payload has an unexpected shape');
        message = parsed.data;
      } catch (error) {
        rejectCallback(res, error, logger, AIBOT_CALLBACK_PATH);
        return;
      }
      try {
        const reply = await handleAibotMessage(message, deps);
        if (!reply) {
          res.status(200).type('text/plain').send('');
          return;
        }
        res.status(200).json(encryptAibotReply(reply, deps.token, deps.aesKey, deps.now()));
      } catch (error) {
        rejectCallback(res, error, logger, AIBOT_CALLBACK_PATH);
      }
    },
  );

  router.use(bodyErrorHandler(logger));
  return router;
}
