import type { ChatCommand } from '../commands/parse-command.js';
import { applySubscriptionCommand } from '../digest/subscribe.js';
import type { SubscriptionStore } from '../digest/subscriptions.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { InputError, UnknownIssuerError } from '../errors/index.js';
import { type ChannelScope, ChannelScopes, toDocumentScope } from '../scopes/index.js';
import {
  figuresMarkdown,
  helpText,
  issuersText,
  renderComparisonMarkdown,
  renderScopeMarkdown,
  renderSummaryMarkdown,
} from './render.js';

/** Where a WeCom command was sent: the document set that conversation sees. */
export interface CommandContext {
  scopes: ChannelScopes;
  scope: ChannelScope;
  /** New-document digests: where subscriptions are kept (absent: off) and this conversation's digest address. */
  subscriptions?: SubscriptionStore | null;
  /** `chat:<chatid>` or `user:<userid>` (see digest-sender.ts). */
  conversation?: string | null;
}

const UNSCOPED: CommandContext = (() => {
  const scopes = ChannelScopes.unscoped();
  return { scopes, scope: scopes.forWecom(null) };
})();

async function subscriptionText(
  command: { kind: 'subscribe' | 'unsubscribe'; filter: string | null },
  where: CommandContext,
): Promise<string> {
  if (!where.subscriptions || !where.conversation) return '这里尚未开启新文件推送。';
  const chat = where.conversation.startsWith('chat:') ? where.conversation.slice(5) : null;
  if (command.kind === 'subscribe' && chat && !where.scopes.wecomWebhook(chat)) {
    return '本群还没有配置群机器人地址，无法推送新文件。请管理员在 POLICYBOT_SCOPES_FILE 的 webhooks 中为本群添加群机器人 webhook。';
  }
  const result = await applySubscriptionCommand(where.subscriptions, 'wecom', where.conversation, command);
  const what = result.filter ? `与“${result.filter}”相关的新文件` : '所有新文件';
  if (result.kind === 'subscribed') {
    return result.isNew
      ? `已订阅${what}：每份新文件推送一条消息。发送“取消订阅”可退订。`
      : `已经订阅过${what}。`;
  }
  return result.removed > 0 ? `已取消 ${result.removed} 项订阅。` : '没有找到这项订阅。';
}

/** Runs a non-question command and returns the reply as markdown. */
export async function runCommand(
  engine: PolicyEngine,
  command: Exclude<ChatCommand, { kind: 'question' }>,
  requestId: string,
  where: CommandContext = UNSCOPED,
): Promise<string> {
  const scope = toDocumentScope(where.scope);
  switch (command.kind) {
    case 'help':
      return helpText(engine.exampleQuestions('zh'));
    case 'issuers':
      return issuersText(where.scopes.issuersIn(where.scope, engine.issuers()));
    case 'scope':
      return renderScopeMarkdown(where.scope, engine.documents());
    case 'subscribe':
    case 'unsubscribe':
      return subscriptionText(command, where);
    case 'figures':
      return figuresMarkdown(
        engine.figures({ target: command.target ?? '', ...(scope ? { scope } : {}) }),
        command.target,
      );
    case 'summary':
      try {
        return renderSummaryMarkdown(
          await engine.summary(command.target, { language: 'zh', requestId, ...(scope ? { scope } : {}) }),
        );
      } catch (error) {
        // A typo in the issuer name is the user's to fix: say which names exist.
        if (error instanceof UnknownIssuerError) {
          return `没有找到发文机关或文件“${command.target}”。可查询的发文机关：${error.known.join('、')}；文件可用文号或标题查询。`;
        }
        throw error;
      }
    case 'compare':
      try {
        return renderComparisonMarkdown(
          await engine.compare({ before: command.before, after: command.after, language: 'zh', requestId }),
        );
      } catch (error) {
        // A side that names nothing is the user's to fix: say so in their words.
        if (error instanceof InputError) return `无法比较：${error.message}`;
        throw error;
      }
  }
}
