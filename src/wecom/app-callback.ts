import express, { type Request, type Response, type Router } from 'express';
import { parseCommand } from '../commands/parse-command.js';
import type { SubscriptionStore } from '../digest/subscriptions.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { InputError, userFacingMessage } from '../errors/index.js';
import type { DedupeStore } from '../internal/ttl-store.js';
import { type Logger, newRequestId } from '../logging/logger.js';
import { ChannelScopes, toDocumentScope } from '../scopes/index.js';
import type { BackgroundTasks } from './BackgroundTasks.js';
import { runCommand } from './commands.js';
import { wecomConversation } from './digest-sender.js';
import { bodyErrorHandler, readSignedQuery, rejectCallback, urlVerificationHandler } from './http.js';
import { parseWecomXml } from './parse-xml.js';
import {
  renderAnswerMarkdown,
  renderAnswerText,
  stripMarkdown,
  unsupportedMessageText,
  welcomeText,
} from './render.js';
import { MARKDOWN_MAX_BYTES, splitByBytes, TEXT_MAX_BYTES } from './split-text.js';
import { isTokenError, type WecomApiClient, WecomApiError } from './WecomApiClient.js';
import { decryptMessage, verifySignature } from './wecom-crypto.js';

export const APP_CALLBACK_PATH = '/wecom/callback';

export interface AppCallbackDeps {
  corpId: string;
  token: string;
  aesKey: Buffer;
  maxSkewSeconds: number;
  /** How long a MsgId is remembered; at least the span of timestamps the window accepts (see dedupeTtlMs). */
  dedupeTtlMs: number;
  engine: PolicyEngine;
  client: WecomApiClient;
  dedupe: DedupeStore;
  tasks: BackgroundTasks;
  logger: Logger;
  now: () => number;
  /** App messages are one-to-one: they see the direct-message default set. */
  scopes?: ChannelScopes;
  /** New-document digest subscriptions (absent: digests off). */
  subscriptions?: SubscriptionStore | null;
}

/**
 * Sends a reply as markdown (split under 4,096 bytes), falling back to text (2,048 bytes) for any part
 * WeCom refuses as markdown (e.g. clients that do not render it).
 */
export async function deliverReply(
  client: WecomApiClient,
  toUser: string,
  reply: { markdown: string; text: string },
  logger: Logger,
): Promise<void> {
  const parts = splitByBytes(reply.markdown, MARKDOWN_MAX_BYTES);
  for (const [i, part] of parts.entries()) {
    try {
      await client.sendMessage(toUser, { msgtype: 'markdown', markdown: { content: part } });
    } catch (error) {
      // Only a refusal of the message itself warrants text; transport and token failures do not.
      if (!(error instanceof WecomApiError) || isTokenError(error)) throw error;
      logger.warn({ errcode: error.errcode }, 'wecom markdown refused; sending as text');
      // Nothing delivered yet: use the native plain rendering; otherwise only what is left.
      const rest = i === 0 ? reply.text : stripMarkdown(parts.slice(i).join('\n'));
      await deliverText(client, toUser, rest);
      return;
    }
  }
}

/** Sends plain text, split on sentence boundaries into messages of at most 2,048 bytes. */
export async function deliverText(client: WecomApiClient, toUser: string, text: string): Promise<void> {
  for (const part of splitByBytes(text, TEXT_MAX_BYTES)) {
    await client.sendMessage(toUser, { msgtype: 'text', text: { content: part } });
  }
}

function dedupeKey(message: Record<string, string>): string {
  if (message.MsgId) return `wecom:app:msg:${message.MsgId}`;
  // Events carry no MsgId; sender + time + event identifies a retry.
  return `wecom:app:event:${message.FromUserName}:${message.CreateTime}:${message.Event ?? ''}`;
}

/** Answers one decrypted app message (runs after the callback was acknowledged). */
export async function handleAppMessage(
  message: Record<string, string>,
  deps: AppCallbackDeps,
): Promise<void> {
  const user = message.FromUserName;
  if (!user) return;
  const requestId = newRequestId();
  const logger = deps.logger.child({ requestId, msgId: message.MsgId, msgType: message.MsgType });
  try {
    switch (message.MsgType) {
      case 'text': {
        const command = parseCommand(message.Content ?? '');
        const scopes = deps.scopes ?? ChannelScopes.unscoped();
        const where = {
          scopes,
          scope: scopes.forWecom(null),
          subscriptions: deps.subscriptions ?? null,
          conversation: wecomConversation('user', user),
        };
        const scope = where ? toDocumentScope(where.scope) : undefined;
        if (command.kind === 'question') {
          if (!command.text) return;
          logger.info('wecom question');
          const answer = await deps.engine.answer({
            text: command.text,
            requestId,
            ...(scope ? { scope } : {}),
          });
          await deliverReply(
            deps.client,
            user,
            { markdown: renderAnswerMarkdown(answer), text: renderAnswerText(answer) },
            logger,
          );
        } else {
          logger.info({ command: command.kind }, 'wecom command');
          const markdown = await runCommand(deps.engine, command, requestId, where);
          await deliverReply(deps.client, user, { markdown, text: stripMarkdown(markdown) }, logger);
        }
        return;
      }
      case 'event': {
        const event = (message.Event ?? '').toLowerCase();
        if (event === 'enter_agent' || event === 'subscribe')
          await deliverText(deps.client, user, welcomeText(deps.engine.exampleQuestions('zh')));
        return;
      }
      default:
        await deliverText(deps.client, user, unsupportedMessageText(deps.engine.exampleQuestions('zh')));
    }
  } catch (err) {
    logger.error({ err }, 'wecom reply failed');
    // One attempt to tell the user (with the request id); if sending itself is what failed, it is logged.
    try {
      await deliverText(deps.client, user, userFacingMessage(err, requestId, 'zh'));
    } catch (sendErr) {
      logger.error({ err: sendErr }, 'wecom could not deliver the error message');
    }
  }
}

/** Mounts GET (URL verification) and POST (encrypted XML messages) on `/wecom/callback`. */
export function createAppCallbackRouter(deps: AppCallbackDeps): Router {
  const router = express.Router();
  const logger = deps.logger.child({ route: APP_CALLBACK_PATH });

  router.get(
    APP_CALLBACK_PATH,
    urlVerificationHandler(
      APP_CALLBACK_PATH,
      {
        token: deps.token,
        aesKey: deps.aesKey,
        receiveId: deps.corpId,
        maxSkewSeconds: deps.maxSkewSeconds,
        now: deps.now,
      },
      logger,
    ),
  );

  router.post(
    APP_CALLBACK_PATH,
    express.text({ type: () => true, limit: '64kb' }),
    async (req: Request, res: Response) => {
      let message: Record<string, string>;
      try {
        const query = readSignedQuery(req);
        const outer = parseWecomXml(typeof req.body === 'string' ? req.body : '');
        const encrypted = outer.Encrypt;
        if (!encrypted) throw new InputError('Encrypt element is missing');
        verifySignature({
          token: deps.token,
          ...query,
          encrypt: encrypted,
          maxSkewSeconds: deps.maxSkewSeconds,
          nowMilliseconds: deps.now(),
        });
        message = parseWecomXml(decryptMessage(deps.aesKey, encrypted, deps.corpId));
      } catch (error) {
        rejectCallback(res, error, logger, APP_CALLBACK_PATH);
        return;
      }
      let fresh = true;
      try {
        fresh = await deps.dedupe.claim(dedupeKey(message), deps.dedupeTtlMs);
      } catch (err) {
        // A store outage should not silence the bot: answer (a retry may then answer twice).
        logger.error({ err }, 'wecom dedupe store failed');
      }
      // Acknowledge at once (WeCom allows 5 s); the answer goes out through message/send.
      res.status(200).type('text/plain').send('');
      if (!fresh) {
        logger.info({ msgId: message.MsgId }, 'wecom duplicate callback ignored');
        return;
      }
      deps.tasks.run('wecom app message', () => handleAppMessage(message, deps));
    },
  );

  router.use(bodyErrorHandler(logger));
  return router;
}
