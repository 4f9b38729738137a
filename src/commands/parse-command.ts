/**
 * The one parser of chat commands, shared by Slack's `/policy …` and WeCom's text messages (app callback, AI
 * bot): a command word first ("summary 国务院", "/summary 国务院", "总结 国务院"), anything else is a question.
 * A command word must stand alone — "总结一下科技司的工作" and "帮助企业的政策有哪些" are questions.
 */

/** What a chat message asks for. */
export type ChatCommand =
  | { kind: 'help' }
  | { kind: 'issuers' }
  /** `target`: an issuer or a document (文号, title) as typed; null → every issuer. */
  | { kind: 'summary'; target: string | null }
  /** Key figures; `target`: an issuer, a document or topic words as typed; null → the whole library. */
  | { kind: 'figures'; target: string | null }
  | { kind: 'question'; text: string };

type CommandKind = Exclude<ChatCommand['kind'], 'question'>;

/** Command words (lower case, without a leading "/"), and whether the command takes an argument. */
const WORDS: Record<string, { kind: CommandKind; takesArgument: boolean }> = {
  help: { kind: 'help', takesArgument: false },
  帮助: { kind: 'help', takesArgument: false },
  '?': { kind: 'help', takesArgument: false },
  '？': { kind: 'help', takesArgument: false },
  issuers: { kind: 'issuers', takesArgument: false },
  部门: { kind: 'issuers', takesArgument: false },
  部门列表: { kind: 'issuers', takesArgument: false },
  发文机关: { kind: 'issuers', takesArgument: false },
  summary: { kind: 'summary', takesArgument: true },
  摘要: { kind: 'summary', takesArgument: true },
  总结: { kind: 'summary', takesArgument: true },
  figures: { kind: 'figures', takesArgument: true },
  数据: { kind: 'figures', takesArgument: true },
  指标: { kind: 'figures', takesArgument: true },
  关键数据: { kind: 'figures', takesArgument: true },
};

/** Parses what the user typed after the slash command, or a whole WeCom text message. Empty text is help. */
export function parseCommand(raw: string): ChatCommand {
  const text = raw.trim();
  if (text === '') return { kind: 'help' };
  const [first = '', ...rest] = text.split(/\s+/u);
  const entry = WORDS[first.replace(/^\//u, '').toLowerCase()];
  const argument = rest.join(' ').trim();
  if (!entry || (argument !== '' && !entry.takesArgument)) return { kind: 'question', text };
  switch (entry.kind) {
    case 'summary':
      return { kind: 'summary', target: argument || null };
    case 'figures':
      return { kind: 'figures', target: argument || null };
    default:
      return { kind: entry.kind };
  }
}
