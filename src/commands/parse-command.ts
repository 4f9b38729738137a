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
  /** `before`/`after` as typed (document, 文号, title, issuer, each with an optional year); `after` null: results vs targets. */
  | { kind: 'compare'; before: string; after: string | null }
  /** The document set this conversation sees (see src/scopes). */
  | { kind: 'scope' }
  /** New-document digests to this conversation; `filter`: an issuer, region or keyword, null → every document. */
  | { kind: 'subscribe'; filter: string | null }
  /** `filter` null → every subscription of this conversation. */
  | { kind: 'unsubscribe'; filter: string | null }
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
  compare: { kind: 'compare', takesArgument: true },
  比较: { kind: 'compare', takesArgument: true },
  对比: { kind: 'compare', takesArgument: true },
  scope: { kind: 'scope', takesArgument: false },
  范围: { kind: 'scope', takesArgument: false },
  文档范围: { kind: 'scope', takesArgument: false },
  subscribe: { kind: 'subscribe', takesArgument: true },
  订阅: { kind: 'subscribe', takesArgument: true },
  unsubscribe: { kind: 'unsubscribe', takesArgument: true },
  取消订阅: { kind: 'unsubscribe', takesArgument: true },
  退订: { kind: 'unsubscribe', takesArgument: true },
  figures: { kind: 'figures', takesArgument: true },
  数据: { kind: 'figures', takesArgument: true },
  指标: { kind: 'figures', takesArgument: true },
  关键数据: { kind: 'figures', takesArgument: true },
};

const YEAR_WORD = /^(?:(?:19|20)\d{2}年?|今年|去年|前年|明年)度?$/u;
const SEPARATOR = /\s+(?:vs\.?|versus|和|与|对比|比较)\s+|\s*(?:\||｜|↔|→|->)\s*/iu;

/**
 * The two sides of "compare …" as typed: split at a separator ("A vs B", "A | B", "A 和 B"); else
 * "X 2021 2022" is X in two years, "2021 2022" two years, "X Y" two names, "X 2021" or "X" one target
 * (whose results and targets are compared).
 */
export function splitCompareTargets(argument: string): { before: string; after: string | null } {
  const text = argument.trim();
  const parts = text
    .split(SEPARATOR)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 2) return { before: parts[0] as string, after: parts[1] as string };
  const words = text.split(/\s+/u).filter(Boolean);
  const years = words.filter((w) => YEAR_WORD.test(w));
  const names = words.filter((w) => !YEAR_WORD.test(w));
  if (years.length === 2) {
    const name = names.join(' ');
    return { before: `${name} ${years[0]}`.trim(), after: `${name} ${years[1]}`.trim() };
  }
  if (years.length === 0 && names.length === 2)
    return { before: names[0] as string, after: names[1] as string };
  return { before: text, after: null };
}

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
    case 'compare':
      return argument ? { kind: 'compare', ...splitCompareTargets(argument) } : { kind: 'help' };
    case 'subscribe':
    case 'unsubscribe':
      return { kind: entry.kind, filter: argument || null };
    case 'figures':
      return { kind: 'figures', target: argument || null };
    default:
      return { kind: entry.kind };
  }
}
