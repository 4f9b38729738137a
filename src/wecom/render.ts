import { citationSource } from '../answer/citation-source.js';
import type { Answer, Citation, IssuerInfo, Language, Summary } from '../types.js';

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
    const lines = [`**${d.issuer.full}**`];
    if (d.partTitle) lines.push(`> ${d.partTitle}`);
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

/** Removes the markdown this module produces, for the text fallback of an already-split chunk. */
export function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/<\/?font[^>]*>/g, '')
    .replace(/^>\s?/gm, '')
    .replace(/^#{1,6}\s+/gm, '');
}

export const EXAMPLE_QUESTIONS = ['2021年新建了多少个5G基站？', '总结 科技司', '部门'];

export function helpText(): string {
  return [
    '我可以回答有关政策文件的问题，并给出引用来源。',
    '',
    '直接发送问题即可，例如：',
    ...EXAMPLE_QUESTIONS.slice(0, 1).map((q) => `• ${q}`),
    '',
    '命令：',
    '• 帮助 / help：显示本说明',
    '• 部门 / issuers：列出可查询的部门',
    '• 总结 科技司 / /summary 科技司：某部门工作要点摘要（“总结”不带部门则汇总全部）',
  ].join('\n');
}

export function welcomeText(): string {
  return [
    '您好！我是政策文件问答助手，回答会附上原文出处。',
    '试试问我：',
    ...EXAMPLE_QUESTIONS.map((q) => `• ${q}`),
    '发送“帮助”查看全部用法。',
  ].join('\n');
}

export function issuersText(issuers: IssuerInfo[]): string {
  if (issuers.length === 0) return '目前没有可查询的部门。';
  return [
    '可查询的部门：',
    ...issuers.map((d) => `• ${d.short}（${d.full}）`),
    '',
    '发送“总结 部门名”查看摘要，例如：总结 科技司',
  ].join('\n');
}

export function unsupportedMessageText(): string {
  return '抱歉，我目前只能处理文字消息。请用文字描述您的问题，例如：2021年新建了多少个5G基站？';
}

export function busyText(): string {
  return '您有 3 个问题正在处理中，请稍候，等前面的回答完成后再提问。';
}
