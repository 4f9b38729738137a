import { citationSource } from '../answer/citation-source.js';
import { citationsCitedIn } from '../compare/render.js';
import type { DigestItem } from '../digest/digest.js';
import { figureLine } from '../figures/render-figures.js';
import { type ChannelScope, describeCriteria } from '../scopes/index.js';
import type {
  Answer,
  Citation,
  Comparison,
  DocumentInfo,
  Figure,
  IssuerInfo,
  Language,
  Summary,
} from '../types.js';
import { MARKDOWN_MAX_BYTES, utf8Length } from './split-text.js';

/**
 * Answer/Summary → WeCom message text. Markdown follows WeCom's subset (bold, `>` quotes, line breaks);
 * the plain-text variants are for `text` messages (the markdown fallback).
 */

const QUOTE_MAX_CHARS = 120;

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** `[n] 发文机关 · 《标题》（文号） › 章节 · “quote”` — the one citation line format used everywhere in WeCom. */
export function citationLine(citation: Citation): string {
  const parts = [`[${citation.n}]${citation.issuer ? ` ${citation.issuer}` : ''}`];
  parts.push(citationSource(citation));
  parts.push(`“${clip(citation.quote, QUOTE_MAX_CHARS)}”`);
  return parts.join(' · ').replace(/^(\[\d+\]) · /u, '$1 ');
}

function sourcesHeading(language: Language): string {
  return language === 'zh' ? '来源' : 'Sources';
}

function suggestionLine(answer: Answer): string | null {
  if (!answer.refused || answer.suggestions.length === 0) return null;
  const list = answer.suggestions.join('、');
  return answer.language === 'zh' ? `可以试试这些主题：${list}` : `You could ask about: ${list}`;
}

/** An item line of a list answer ("- 有独立的法人资格[1]；"), as the answer layer writes them. */
const LIST_ITEM = /^- /u;

/** A list answer's group lines (the source, ending with a colon, before its items) in bold; items stay "- " lines. */
function listMarkdown(text: string): string {
  const lines = text.split('\n');
  if (lines.filter((l) => LIST_ITEM.test(l)).length < 2) return text;
  return lines
    .map((line, i) =>
      !LIST_ITEM.test(line) && LIST_ITEM.test(lines[i + 1] ?? '') && /[：:]$/u.test(line)
        ? `**${line}**`
        : line,
    )
    .join('\n');
}

/**
 * Markdown: answer text, an optional notice, then "来源"/"Sources" with one line per citation. A list answer
 * keeps one line per item, with its group lines in bold. Callers split it under WeCom's 4,096-byte limit at
 * line breaks (`splitByBytes`), so an item line is never cut.
 */
export function renderAnswerMarkdown(answer: Answer): string {
  const lines: string[] = [listMarkdown(answer.text.trim())];
  const suggestions = suggestionLine(answer);
  if (suggestions) lines.push('', suggestions);
  if (answer.notice) lines.push('', `> ${answer.notice}`);
  if (answer.citations.length > 0) {
    lines.push('', `**${sourcesHeading(answer.language)}**`);
    for (const c of answer.citations) lines.push(`> ${citationLine(c)}`);
  }
  return lines.join('\n');
}

/** Plain text with the same content as `renderAnswerMarkdown`. */
export function renderAnswerText(answer: Answer): string {
  const lines: string[] = [answer.text.trim()];
  const suggestions = suggestionLine(answer);
  if (suggestions) lines.push('', suggestions);
  if (answer.notice) lines.push('', answer.notice);
  if (answer.citations.length > 0) {
    lines.push('', `${sourcesHeading(answer.language)}:`);
    for (const c of answer.citations) lines.push(citationLine(c));
  }
  return lines.join('\n');
}

/**
 * A summary as markdown blocks, one per issuer (so a webhook push can put whole issuers
 * in each message), followed by a sources block.
 */
export function renderSummaryMarkdownBlocks(summary: Summary): string[] {
  const zh = summary.language === 'zh';
  const blocks = summary.issuers.map((d) => {
    const doc = d.document;
    const lines = doc
      ? [
          `**《${doc.title}》**`,
          ...(doc.docNumber || doc.date
            ? [`> ${[doc.docNumber, doc.date].filter(Boolean).join(' · ')}`]
            : []),
        ]
      : [`**${d.issuer.full}**`];
    if (!doc && d.partTitle && d.partTitle !== d.issuer.full) lines.push(`> ${d.partTitle}`);
    for (const section of d.sections) {
      lines.push('', `**${section.heading}**`);
      for (const bullet of section.bullets) {
        const refs = bullet.citations.map((n) => `[${n}]`).join('');
        lines.push(`- ${bullet.text}${refs}`);
      }
    }
    return lines.join('\n');
  });
  if (blocks.length === 0) blocks.push(summary.text);
  if (summary.citations.length > 0) {
    blocks.push(
      [`**${zh ? '来源' : 'Sources'}**`, ...summary.citations.map((c) => `> ${citationLine(c)}`)].join('\n'),
    );
  }
  return blocks;
}

export function renderSummaryMarkdown(summary: Summary): string {
  return renderSummaryMarkdownBlocks(summary).join('\n\n');
}

/** Markdown: the comparison's text (each side cited), an optional notice, then the sources its text cites. */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const lines: string[] = [comparison.text.trim()];
  if (comparison.notice) lines.push('', `> ${comparison.notice}`);
  const cited = citationsCitedIn(comparison.text, comparison.citations);
  if (cited.length > 0) {
    lines.push('', `**${sourcesHeading(comparison.language)}**`);
    for (const c of cited) lines.push(`> ${citationLine(c)}`);
  }
  return lines.join('\n');
}

/** Removes the markdown this module produces, for the text fallback of an already-split chunk. */
export function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/<\/?font[^>]*>/g, '')
    .replace(/^>\s?/gm, '')
    .replace(/^#{1,6}\s+/gm, '');
}

/**
 * Help for the text commands. `examples` are questions made from the loaded library
 * (`PolicyEngine.exampleQuestions`), so they always have an answer there.
 */
export function helpText(examples: readonly string[] = []): string {
  return [
    '我可以回答有关政策文件的问题，并给出引用来源。',
    '',
    ...(examples.length > 0
      ? ['直接发送问题即可，例如：', ...examples.slice(0, 2).map((q) => `• ${q}`), '']
      : []),
    '命令：',
    '• 帮助 / help：显示本说明',
    '• 部门 / issuers：列出可查询的发文机关',
    '• 总结 发文机关或文件 / /summary …：发文机关的文件一览，或某份文件（文号、标题）的主要内容（“总结”不带名称则汇总全部）',
    '• 比较 A vs B / 比较 发文机关 2021 2022 / 比较 某文件：有什么变化（新增、不再提及、数字变化），两边都有引用',
    '• 范围 / scope：本会话可查询的文件范围',
    '• 订阅 [发文机关|地区|关键词] / 取消订阅：新文件推送',
    '• 数据 发文机关或文件或主题 / /figures …：关键数据（目标、完成情况、时限），每条附引用',
  ].join('\n');
}

export function welcomeText(examples: readonly string[] = []): string {
  return [
    '您好！我是政策文件问答助手，回答会附上原文出处。',
    ...(examples.length > 0 ? ['试试问我：', ...examples.map((q) => `• ${q}`)] : []),
    '发送“帮助”查看全部用法。',
  ].join('\n');
}

export function issuersText(issuers: IssuerInfo[]): string {
  if (issuers.length === 0) return '目前没有可查询的部门。';
  return [
    '可查询的部门：',
    ...issuers.map((d) => `• ${d.short}（${d.full}）`),
    '',
    `发送“总结 名称”查看摘要，例如：总结 ${issuers[0]?.short ?? ''}`,
  ].join('\n');
}

/** Documents listed by the scope command before "等 N 份". */
const SCOPE_MAX_LISTED = 15;

/** The scope command: the document set this conversation sees, as markdown. */
export function renderScopeMarkdown(scope: ChannelScope, documents: readonly DocumentInfo[]): string {
  const where = scope.source === 'channel' ? '本群' : '本会话';
  if (scope.docIds === null) return `${where}可查询全部文件（共 ${documents.length} 份）。`;
  const ids = new Set(scope.docIds);
  const docs = documents.filter((d) => ids.has(d.id));
  const lines = [
    `**${where}的文件范围：${scope.label ?? scope.name}**（${docs.length}/${documents.length} 份）`,
  ];
  if (scope.criteria) lines.push(`> 条件：${describeCriteria(scope.criteria, 'zh')}`);
  for (const d of docs.slice(0, SCOPE_MAX_LISTED)) {
    const extra = [d.meta.issuers[0]?.short, d.meta.docNumber, d.meta.date].filter(Boolean).join(' · ');
    lines.push(`- ${d.meta.title}${extra ? `（${extra}）` : ''}`);
  }
  if (docs.length > SCOPE_MAX_LISTED) lines.push(`- 等共 ${docs.length} 份`);
  if (docs.length === 0) lines.push('目前文件库中没有属于该范围的文件。');
  return lines.join('\n');
}

/** One new-document digest message as WeCom markdown (group robot or app message). */
/** Where a WeCom digest goes and what its "ask about it" line can offer. */
export interface DigestMarkdownOptions {
  /** A group chat (the AI bot answers there when mentioned) rather than the app's one-to-one chat. */
  group?: boolean;
  /** The web page's public address (POLICYBOT_PUBLIC_URL): a link that opens it asking the question. */
  publicUrl?: string | null;
}

/**
 * One new-document digest as WeCom markdown: title, issuer · 文号 · date, three summary lines, the key figures
 * that fit under 4,096 bytes, and how to ask about it — the exact message to send (to the app, or mentioning the
 * bot in a group), and with POLICYBOT_PUBLIC_URL a link to the web page asking it. No button: group robot
 * webhooks cannot carry callback buttons, and an app template card would be a second message per document
 * (its fields, 26–112 characters, cannot hold the verbatim quotes).
 */
export function renderDigestMarkdown(item: DigestItem, options: DigestMarkdownOptions = {}): string {
  const head = [`**${item.changed ? '文件更新' : '新文件'}：${item.title}**`];
  const meta = [
    item.issuers.length > 0 ? `发文机关：${item.issuers.join('、')}` : null,
    item.docNumber ? `文号：${item.docNumber}` : null,
    item.date ? `日期：${item.date}` : null,
    item.region ? `地区：${item.region}` : null,
  ].filter((l): l is string => l !== null);
  for (const l of meta) head.push(`> ${l}`);
  if (item.summary.length > 0) head.push('', ...item.summary.map((l) => `- ${clip(l, 200)}`));
  const send = options.group ? '请在群里@我并发送' : '请发送';
  const tail = ['', `想了解更多，${send}：<font color="info">${item.ask}</font>`];
  if (options.publicUrl) tail.push(`[在网页上提问](${options.publicUrl}/?q=${encodeURIComponent(item.ask)})`);
  // Key figures, most salient first, as many as fit under WeCom's markdown limit (each with its quote).
  const figures = item.figures.map((f) => `> ${clip(figureLine(f), QUOTE_MAX_CHARS + 60)}`);
  for (let n = figures.length; n >= 0; n--) {
    const shown = n > 0 ? ['', '**关键数据**', ...figures.slice(0, n)] : [];
    const text = [...head, ...shown, ...tail].join('\n');
    if (utf8Length(text) <= MARKDOWN_MAX_BYTES || n === 0) return text;
  }
  return [...head, ...tail].join('\n');
}

export function unsupportedMessageText(examples: readonly string[] = []): string {
  const [example] = examples;
  return `抱歉，我目前只能处理文字消息。请用文字描述您的问题${example ? `，例如：${example}` : '。'}`;
}

export function busyText(): string {
  return '您有 3 个问题正在处理中，请稍候，等前面的回答完成后再提问。';
}

/** Key figures shown in one WeCom message; the rest are counted. */
export const FIGURES_PER_MESSAGE = 15;

/** Key figures as WeCom markdown: year, 目标/完成, subject and value, the verbatim quote, where it is. */
export function figuresMarkdown(figures: readonly Figure[], target: string | null): string {
  const what = target ? `“${target}”` : '全部文件';
  if (figures.length === 0) return `没有找到${what}的关键数据。可以换一个部门、文件或主题词试试。`;
  const shown = figures.slice(0, FIGURES_PER_MESSAGE);
  const lines = shown.map((f) => {
    const where = [f.issuer, f.sectionPath[f.sectionPath.length - 1]].filter(Boolean).join(' · ');
    return `> ${figureLine(f)}${where ? ` <font color="comment">${where}</font>` : ''}`;
  });
  const more = figures.length - shown.length;
  return [
    `**${what}的关键数据（${figures.length}条）**`,
    ...lines,
    ...(more > 0 ? [`另有${more}条，可在网页“数据”视图或命令行查看。`] : []),
  ].join('\n');
}
