import {
  endsSentence,
  hasClausePunct,
  isByline,
  isEditorsNote,
  isEnumeratedHeading,
  isHeadingLike,
  startsEnumerator,
} from './text-rules.js';
import type { SourceDocument } from './types.js';

/** A paragraph of the cleaned text. */
export interface CleanParagraph {
  start: number;
  end: number;
  /** Markdown heading level (1 for `#`), 0 when the source did not mark it as a heading. */
  headingLevel: number;
}

export interface CleanedText {
  /** Paragraphs separated by "\n\n". */
  text: string;
  paragraphs: CleanParagraph[];
  /** Stray tokens that were dropped (e.g. "EN"), for logging. */
  removed: string[];
  /** How many layout breaks were repaired by joining two source paragraphs. */
  joins: number;
}

/** One source line (or markdown block) as seen by the rejoin rule. */
export interface Block {
  text: string;
  headingLevel: number;
}

/**
 * A lone language-switch token before the column title ("EN 落实工作会精神…") is a web-page artifact,
 * not content. Only the first line, only a known language code, only when Chinese text follows.
 */
const STRAY_LEADING_TOKEN = /^(?:EN|ENG|CN|CHN|ZH)[ \t\u3000]+(?=\p{Script=Han})/u;

const isAsciiWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * True when `next` visibly continues a word cut off at the end of a short line: it starts with punctuation,
 * or its first clause is one or two characters and more text follows ("系。…", "区，…", "署，…").
 */
function continuesFragment(next: string): boolean {
  const firstPunct = next.search(/[，。；：！？,;:!?、）)”’]/u);
  // "正文。" alone is a sentence of its own after a heading; "系。强化…" is the tail of a word and more text.
  return firstPunct >= 0 && firstPunct <= 2 && next.length > firstPunct + 1;
}

/**
 * THE REJOIN RULE — whether source paragraph `next` is the rest of the paragraph `current` that the page
 * layout broke (e.g. "…网络化的制造业创新体" / "系。…", "组织做好“百城千屏”" / "超高清视频…"):
 *
 * 1. Never across a marked heading (markdown `#`), and never after a complete paragraph: `current` ending in
 *    sentence-final punctuation 。！？；…:：!?. (optionally followed by closing quotes/brackets) is complete.
 * 2. Never into or out of a byline (an organisation name such as "工业和信息化部科技司"), and never into a line
 *    that starts something new: an editor's note ("编者按：") or an enumerated heading ("一、", "（二）", "第三章").
 * 3. Never into the next article's title: `next` is short and unpunctuated and the line after it is a byline.
 * 4. If `current` is itself heading-like (short, no clause punctuation — a title, heading, date — or a short
 *    numbered heading such as "一、坚持稳中求进，推动高质量发展"), it is kept
 *    unless `next` visibly continues a cut word: it starts with punctuation, or its first clause is at most two
 *    characters and more text follows ("系。强化…", "区，探索…"). A real title is followed by a byline, a short
 *    line or a full sentence.
 * 5. Otherwise `current` is a long text cut mid-sentence (it ends in a character, a comma, "、", an opening
 *    quote…): join.
 *
 * Joining removes only the layout break; between two Latin letters/digits a single space is kept so words do
 * not fuse. No content character is added, removed or changed.
 */
export function shouldJoin(current: Block, next: Block, afterNext: Block | undefined): boolean {
  if (current.headingLevel > 0 || next.headingLevel > 0) return false;
  if (endsSentence(current.text)) return false;
  if (isByline(current.text) || isByline(next.text)) return false;
  if (isEditorsNote(next.text) || startsEnumerator(next.text)) return false;
  if (isHeadingLike(next.text) && afterNext !== undefined && isByline(afterNext.text)) return false;
  if (isHeadingLike(current.text) || isEnumeratedHeading(current.text)) return continuesFragment(next.text);
  return true;
}

function toBlocks(source: Pick<SourceDocument, 'text' | 'blocks'>): Block[] {
  const headingAt = new Map<number, number>();
  for (const h of source.blocks ?? []) if (h.kind === 'heading') headingAt.set(h.start, h.level ?? 1);
  const blocks: Block[] = [];
  const text = source.text;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).trim();
    if (line) blocks.push({ text: line, headingLevel: headingAt.get(lineStart) ?? 0 });
    lineStart = lineEnd + 1;
  }
  return blocks;
}

/**
 * Repairs layout: one paragraph per source line (or markdown block), broken paragraphs rejoined (see
 * `shouldJoin`), surrounding whitespace and stray tokens dropped. Internal spaces ("着力推动中小企业 平稳健康发展")
 * are content and kept. Linear in the text length.
 */
export function cleanText(source: Pick<SourceDocument, 'text' | 'blocks'>): CleanedText {
  const blocks = toBlocks(source);
  const removed: string[] = [];
  const first = blocks[0];
  if (first) {
    const m = STRAY_LEADING_TOKEN.exec(first.text);
    if (m) {
      removed.push(m[0].trim());
      first.text = first.text.slice(m[0].length);
    }
  }

  const parts: string[] = [];
  const paragraphs: CleanParagraph[] = [];
  let length = 0;
  let joins = 0;
  let i = 0;
  while (i < blocks.length) {
    const head = blocks[i] as Block;
    const current: Block = { text: head.text, headingLevel: head.headingLevel };
    if (paragraphs.length > 0) {
      parts.push('\n\n');
      length += 2;
    }
    const start = length;
    const pieces = [head.text];
    let j = i + 1;
    while (j < blocks.length && shouldJoin(current, blocks[j] as Block, blocks[j + 1])) {
      const next = blocks[j] as Block;
      const sep =
        isAsciiWordChar(current.text[current.text.length - 1]) && isAsciiWordChar(next.text[0]) ? ' ' : '';
      pieces.push(sep, next.text);
      // Only the end and the presence of clause punctuation matter to later decisions.
      current.text = hasClausePunct(current.text)
        ? `，${sep}${next.text}`
        : `${current.text}${sep}${next.text}`;
      joins++;
      j++;
    }
    for (const p of pieces) {
      parts.push(p);
      length += p.length;
    }
    paragraphs.push({ start, end: length, headingLevel: head.headingLevel });
    i = j;
  }
  return { text: parts.join(''), paragraphs, removed, joins };
}
