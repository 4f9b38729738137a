import type { ChatCommand } from '../commands/parse-command.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { UnknownIssuerError } from '../errors/index.js';
import { type ChannelScope, ChannelScopes, toDocumentScope } from '../scopes/index.js';
import { helpText, issuersText, renderScopeMarkdown, renderSummaryMarkdown } from './render.js';

/** Where a WeCom command was sent: the document set that conversation sees. */
export interface CommandContext {
  scopes: ChannelScopes;
  scope: ChannelScope;
}

const UNSCOPED: CommandContext = (() => {
  const scopes = ChannelScopes.unscoped();
  return { scopes, scope: scopes.forWecom(null) };
})();

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
      return helpText();
    case 'issuers':
      return issuersText(where.scopes.issuersIn(where.scope, engine.issuers()));
    case 'scope':
      return renderScopeMarkdown(where.scope, engine.documents());
    case 'subscribe':
    case 'unsubscribe':
      return '这里尚未开启新文件推送。';
    case 'summary':
      try {
        return renderSummaryMarkdown(
          await engine.summary(command.target, { language: 'zh', requestId, ...(scope ? { scope } : {}) }),
        );
      } catch (error) {
        // A typo in the issuer name is the user's to fix: say which names exist.
        if (error instanceof UnknownIssuerError) {
          return `没有找到部门“${command.target}”。可查询的部门：${error.known.join('、')}`;
        }
        throw error;
      }
  }
}
