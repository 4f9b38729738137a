/**
 * From a loaded file's lines to the document's paragraphs: page chrome and metadata tables out, fragments and
 * layout breaks rejoined, the title set on several lines made one paragraph, what follows the document's end
 * (footers, link lists) dropped, and each paragraph given the role it plays in the document.
 *
 * Everything here is a rule about Chinese policy documents and the pages that carry them in general (see
 * /docs/design.md "Reading documents"), never about one file. Characters of kept lines are never changed;
 * only line breaks, surrounding whitespace and whole lines of chrome are removed.
 */
import { findDate, parseDateLine } from '../internal/dates.js';
import { chromeMask, isEndOfArticle } from './clean/chrome.js';
import { continuesFragment, joinFragments, unclosed } from './clean/fragments.js';
import { docNumberLine } from './metadata/doc-number.js';
import { splitOrganizations, unspace } from './metadata/organizations.js';
import { looksLikeTitle, titleFromPageTitle } from './metadata/title.js';
import { addStated, isMetadataLabel, statedField } from './stated-labels.js';
import {
  ADOPTION_HISTORY,
  ATTACHMENT_LINE,
  EMPTY_ATTACHMENT_LINE,
  endsSentence,
  hasClausePunct,
  isByline,
  isEditorsNote,
  isEnumeratedHeading,
  isHeadingLike,
  startsEnumerator,
} from './text-rules.js';
import type { SourceBlock, SourceDocument, StatedMetadata } from './types.js';

/**
 * What a paragraph is in its document. The text of `body`, `table`, `history` and `attachment` paragraphs (and of
 * editors' notes) is chunked (node-parser/chunker.ts); headings live in the chunks' section paths.
 */
export type ParagraphRole =
  | 'title'
  | 'doc-number'
  | 'meta'
  /** The adoption history under a law's title (题注): "（1991年3月4日国务院令第76号发布　2018年9月6日…修订通过）". */
  | 'history'
  | 'addressee'
  | 'heading'
  | 'body'
  | 'table'
  | 'signature'
  | 'note'
  | 'attachment';

/** A paragraph of the cleaned text. */
export interface CleanParagraph {
  start: number;
  end: number;
  /** Heading level the format marked (markdown `#`, DOCX styles, HTML h1–h6), 0 when it did not. */
  headingLevel: number;
  role: ParagraphRole;
  /** 1-based page of paged formats, null otherwise. */
  page: number | null;
}

export interface CleanedText {
  /** Paragraphs separated by "\n\n". */
  text: string;
  paragraphs: CleanParagraph[];
  /** Metadata the text states in labelled lines (发布时间：…, a metadata table one cell a line). */
  stated: StatedMetadata;
  /** A title found in the page's own title line (scraped first line), before it was dropped as chrome. */
  pageTitle: string | null;
  /** Stray tokens dropped (e.g. "EN"), for logging. */
  removed: string[];
  /** Lines dropped as chrome, as metadata table, as the page's head and as what follows the document. */
  dropped: { chrome: number; metadata: number; head: number; tail: number };
  /** How many layout breaks were repaired by joining two source lines. */
  joins: number;
  /** Lines before the title that were dropped (decree headers, page furniture): metadata may still be in them. */
  head: string[];
}

/** One source line as the cleaner sees it. */
export interface Block {
  text: string;
  headingLevel: number;
}

interface Line {
  text: string;
  kind: SourceBlock['kind'];
  level: number;
  page: number | null;
  role: ParagraphRole | null;
  /** An end-of-article mark (扫一扫…, 打印本页, 相关链接) stood right before this line. */
  afterEndMark?: boolean;
}

/**
 * A lone language-switch token before the column title ("EN 落实工作会精神…") is a web-page artifact,
 * not content. Only the first line, only a known language code, only when Chinese text follows.
 */
const STRAY_LEADING_TOKEN = /^(?:EN|ENG|CN|CHN|ZH)[ \t\u3000]+(?=\p{Script=Han})/u;
/** A labelled line of a metadata table: "发布时间：2020/06/08", "[发文机构]", "名 称 ：". */
const TIMESTAMP =
  /^(?:(?:19|20)\d{2}[-/.年]\s*\d{1,2}[-/.月]\s*\d{1,2}日?)\s+\d{1,2}\s*[:：时]\s*\d{1,2}\s*分?(?:\s*[:：]?\s*\d{1,2}\s*秒?)?$/u;
const LABEL_LINE = /^(?:[【[]\s*([^】\]]{1,12}?)\s*[】\]]\s*[：:]?|([^：:]{1,14}?)\s*[：:])\s*(.*)$/u;
/** A line long and punctuated enough to be running text, not furniture. */
const SUBSTANTIVE_MIN = 30;
/** Shortest title ("专利代理条例"); "最新通知" on a menu is not one. */
const MIN_TITLE = 6;
/** Lines of a title block at most (titles are set on up to four lines). */
const TITLE_LINES = 5;
/** Lines before the first substantive one that are searched for a title. */
const TITLE_SEARCH = 80;

const isAsciiWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);
const compact = (s: string) => s.replace(/[\s\u3000]+/gu, '');

/**
 * Running text: long, mostly Chinese, with sentence punctuation — not a metadata row such as
 * "000014349/2019-00001 卫生、体育\医药管理" or a menu of short items separated by "、".
 */
function isSubstantive(text: string): boolean {
  if (text.length < SUBSTANTIVE_MIN || !/[，。；：！？,;:]/u.test(text)) return false;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return han >= text.length * 0.5;
}

/**
 * True when `next` visibly continues a word cut off at the end of a short line: it starts with punctuation,
 * or its first clause is one or two characters and more text follows ("系。…", "区，…", "署，…").
 */
function continuesCutWord(next: string): boolean {
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
  // An article (第二条 …) cut before its sentence ends goes on: it is never a heading.
  if (/^第[一二三四五六七八九十百千\d]+[条款]/u.test(current.text)) return true;
  if (isHeadingLike(current.text) || isEnumeratedHeading(current.text)) return continuesCutWord(next.text);
  return true;
}

function toLines(source: Pick<SourceDocument, 'text' | 'blocks'>): Line[] {
  const lines: Line[] = [];
  const push = (raw: string, kind: SourceBlock['kind'], level: number, page: number | null) => {
    const text = raw.trim();
    if (text) lines.push({ text, kind, level, page, role: null });
  };
  if (source.blocks && source.blocks.length > 0) {
    for (const b of source.blocks) {
      for (const raw of source.text.slice(b.start, b.end).split('\n')) {
        push(raw, b.kind, b.kind === 'heading' ? (b.level ?? 1) : 0, b.page ?? null);
      }
    }
    return lines;
  }
  for (const raw of source.text.split('\n')) push(raw, 'line', 0, null);
  return lines;
}

/**
 * 文号 and dates split over several short lines ("京发改" / "〔2026〕" / "341号"; "202" / "5" / "年" / "11" /
 * "月" / "25" / "日") are joined when the pieces together are exactly one.
 */
function repairSplitTokens(lines: Line[]): { lines: Line[]; joins: number } {
  const out: Line[] = [];
  let joins = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as Line;
    let taken = 1;
    const complete = docNumberLine(line.text) !== null || parseDateLine(line.text) !== null;
    if (line.kind === 'line' && line.text.length <= 12 && !complete) {
      let text = line.text;
      for (let j = i + 1; j < Math.min(lines.length, i + 8); j++) {
        const next = lines[j] as Line;
        if (next.kind !== 'line' || next.text.length > 12) break;
        text += next.text;
        if ((docNumberLine(text) && /号$/u.test(text)) || (parseDateLine(text) && /日$/u.test(text))) {
          taken = j - i + 1;
        }
      }
      if (taken > 1) {
        out.push({
          ...line,
          text: lines
            .slice(i, i + taken)
            .map((l) => l.text)
            .join(''),
        });
        joins += taken - 1;
      }
    }
    if (taken === 1) out.push(line);
    i += taken;
  }
  return { lines: out, joins };
}

/** The second half of a label a narrow table cell wrapped ("号：", "期：", "题："). */
const LABEL_TAIL = /^\p{Script=Han}{1,4}[：:]$/u;
const LABEL_HEAD = /^\p{Script=Han}{1,5}$/u;

/**
 * A metadata table printed from a web page (a PDF text layer, a scan of one) with labels wrapped inside
 * narrow cells: the label's first characters on the line above its value, the rest under it —
 * "发文字 发布日" / "国办发〔2019〕2号 2019年01月17日" / "号： 期：", or "标" / title / "题：". Returns the
 * label/value pairs of the three lines at `i`, or null when they are not such a row (each label must be a
 * known metadata label, and the values as many as the labels).
 */
function wrappedLabelRow(lines: readonly Line[], i: number): [string, string][] | null {
  const [head, value, tail] = [lines[i], lines[i + 1], lines[i + 2]];
  if (!head || !value || !tail) return null;
  const tails = tail.text.trim().split(/\s+/u);
  const heads = head.text.trim().split(/\s+/u);
  if (heads.length !== tails.length || heads.length > 3) return null;
  if (!tails.every((t) => LABEL_TAIL.test(t)) || !heads.every((h) => LABEL_HEAD.test(h))) return null;
  const labels = heads.map((h, k) => `${h}${(tails[k] as string).slice(0, -1)}`);
  if (!labels.every(isMetadataLabel)) return null;
  const values = labels.length === 1 ? [value.text.trim()] : value.text.trim().split(/\s+/u);
  if (values.length !== labels.length) return null;
  return labels.map((label, k) => [label, values[k] as string]);
}

/** Labelled lines before the running text are a metadata table: their values are stated metadata. */
function takeMetadataTable(lines: Line[], firstBody: number, stated: StatedMetadata): boolean[] {
  const used = lines.map(() => false);
  for (let i = 0; i < Math.min(firstBody, lines.length); i++) {
    const wrapped = wrappedLabelRow(lines, i);
    if (wrapped) {
      for (const [label, value] of wrapped) addStated(stated, label, value);
      used[i] = used[i + 1] = used[i + 2] = true;
      i += 2;
      continue;
    }
    const text = (lines[i] as Line).text.replace(/^[（(]\s*|\s*[）)]$/gu, '');
    // A page's time stamp ("2020-11-05 15:08", "2026年02月10日 07时41分") is when it was published.
    if (TIMESTAMP.test(text)) {
      const date = findDate(text);
      if (date) addStated(stated, '发布日期', date.iso);
      used[i] = true;
      continue;
    }
    const m = LABEL_LINE.exec(text);
    if (!m) continue;
    const label = m[1] ?? m[2] ?? '';
    if (!isMetadataLabel(label)) continue;
    let value = (m[3] ?? '').trim();
    used[i] = true;
    const next = lines[i + 1];
    if (!value && next && i + 1 < firstBody) {
      const nextLabel = LABEL_LINE.exec(next.text);
      const nextIsLabel = nextLabel && isMetadataLabel(nextLabel[1] ?? nextLabel[2] ?? '');
      // A value is not another field's line: "来源：" with its value left out, then the 文号.
      const field = statedField(label);
      // Nor the first line of a title set on two ("…关于印发国家组织药品" / "集中采购和使用试点方案的通知").
      const after = lines[i + 2]?.text ?? '';
      const otherField =
        (field !== 'docNumber' && docNumberLine(next.text) !== null) ||
        (field !== 'title' && (looksLikeTitle(next.text) || looksLikeTitle(next.text + after)));
      if (!nextIsLabel && !otherField) {
        value = next.text;
        used[i + 1] = true;
        i++;
      }
    }
    for (const [l, v] of labelledPairs(label, value)) addStated(stated, l, v);
  }
  return used;
}

/**
 * The label/value pairs of one labelled line: a page sets several on one line ("信息来源：X 发布时间：Y"), and each
 * value ends where a word opening with another known label begins. A colon after anything else stays in the value.
 */
function labelledPairs(label: string, value: string): [string, string][] {
  const pairs: [string, string][] = [[label, '']];
  for (const piece of value.split(/(\s+)/u)) {
    const m = /^([^\s：:]{1,14})[：:](.*)$/u.exec(piece);
    if (m && isMetadataLabel(m[1] ?? '')) pairs.push([m[1] ?? '', m[2] ?? '']);
    else (pairs[pairs.length - 1] as [string, string])[1] += piece;
  }
  return pairs.map(([l, v]): [string, string] => [l, v.trim()]).filter(([, v]) => v.length > 0);
}

function joinLineFragments(lines: Line[]): { lines: Line[]; joins: number } {
  const out: Line[] = [];
  let joins = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const prev = out[out.length - 1];
    // The first line of a file is its title or the page's, never a fragment cut from the next one.
    const firstLine = out.length === 1 && prev?.text === lines[0]?.text;
    const lines2 = prev?.kind === 'line' && line.kind === 'line';
    // Even paragraphs a format marks are one when a bracket opened in the first closes in the second.
    const bracketed =
      prev?.kind === 'paragraph' &&
      line.kind === 'paragraph' &&
      unclosed(prev.text) &&
      !unclosed(prev.text + line.text);
    if (
      prev &&
      (bracketed ||
        (lines2 &&
          !(firstLine && prev.text.length <= 2) &&
          continuesFragment(prev.text, line.text, lines[i + 1]?.text)))
    ) {
      prev.text = joinFragments(prev.text, line.text);
      joins++;
      continue;
    }
    out.push({ ...line });
  }
  return { lines: out, joins };
}

interface TitleBlock {
  start: number;
  /** Exclusive. */
  end: number;
  text: string;
}

/** Joins title lines the way the page sets them apart: nothing between Han characters. */
function joinTitleLines(parts: readonly string[]): string {
  return parts.reduce((acc, p) => (acc ? joinFragments(acc, unspace(p)) : unspace(p)), '');
}

/**
 * The lines that make the document's title: the block (1–5 short lines, no sentence end) whose text is the
 * stated title, else the first block before the running text that reads as a title ("…关于…的通知",
 * "…条例", "2026年浙江省政府工作报告"), preferring blocks followed by a 文号, an addressee or a dated line.
 */
function findTitleBlock(lines: Line[], stated: StatedMetadata, firstBody: number): TitleBlock | null {
  const want = stated.title ? compact(stated.title) : null;
  // The stated title is looked for further down: a decree's promulgation sentence may stand above it.
  const limit = Math.min(lines.length, want ? TITLE_SEARCH : Math.max(firstBody + 1, 1), TITLE_SEARCH);
  const found: (TitleBlock & { score: number })[] = [];
  for (let i = 0; i < limit; i++) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(lines.length, i + TITLE_LINES); j++) {
      const line = lines[j] as Line;
      if (line.text.length > 80 || /[。；！？]$/u.test(line.text) || docNumberLine(line.text)) break;
      parts.push(line.text);
      const text = joinTitleLines(parts);
      const exact = want !== null && compact(text) === want;
      if (!exact && (!looksLikeTitle(text) || compact(text).length < MIN_TITLE)) continue;
      // Two menu items one under the other ("信息发布" / "最新通知") are not a title set on two lines.
      if (!exact && j > i && !/关于|《/u.test(text) && (lines[i] as Line).text.length < 10) continue;
      // The block must start where a title starts: not in the middle of a line run that reads on.
      const after = lines[j + 1]?.text ?? '';
      let score = exact ? 100 : 10;
      if (docNumberLine(after) || /[：:]$/u.test(after) || /^[—－-]{1,2}/u.test(after)) score += 5;
      if (/关于/u.test(text)) score += 3;
      if (/^[【[]|[-_]\s*\S+$/u.test(line.text) || /[_|]/u.test(text)) score -= 8;
      score -= i * 0.05 + (j - i) * 0.5;
      found.push({ start: i, end: j + 1, text, score });
    }
  }
  let best = found.reduce<(TitleBlock & { score: number }) | null>(
    (a, b) => (!a || b.score > a.score ? b : a),
    null,
  );
  if (!best || best.score <= 0) return null;
  // Pages print the title twice, in their header and above the text: the copy nearer the text is the document's.
  const same = compact(best.text);
  for (const c of found) if (c.start > best.start && compact(c.text) === same) best = c;
  // "国家发展改革委 国家能源局" / "关于…的通知": the issuers set above "关于" belong to the title.
  let start = best.start;
  const issuerLines: string[] = [];
  while (start > 0 && issuerLines.length < 8 && /^关于/u.test(best.text)) {
    const line = (lines[start - 1] as Line).text;
    if (!splitOrganizations(line)) break;
    issuerLines.unshift(unspace(line));
    start--;
  }
  if (issuerLines.length === 0) return best;
  return { start, end: best.end, text: `${issuerLines.join(' ')}${best.text}` };
}

/** A head line repeating the start of the text ("各位代表：现在，我代表…" as a page's teaser) is not content. */
function repeatsLater(line: string, laterText: string): boolean {
  const probe = compact(line)
    .replace(/[…。.]+$/u, '')
    .slice(0, 24);
  return probe.length >= 12 && laterText.includes(probe);
}

/** Index of the first line that is running text (long and punctuated), or lines.length. */
function firstSubstantive(lines: readonly Line[]): number {
  const i = lines.findIndex((l) => l.kind !== 'heading' && isSubstantive(l.text));
  return i < 0 ? lines.length : i;
}

const NOTE =
  /^[（(]\s*此件(?:公开发布|主动公开|不予公开|依申请公开|不公开|删减后公开)\s*[）)]$|^(?:抄送|抄报|分送|主送)\s*[：:]|\d{1,2}\s*日\s*印发$|^[（(]?\s*(?:联系人|联系电话|联系方式)\s*[：:]/u;
/** "——2026年1月26日在河南省第十四届人民代表大会第四次会议上" (the dash is sometimes lost). */
const DASH_LINE = /^(?:[—－-]{1,2}\s*.{0,40}\d{1,2}\s*日|[^。；]{4,20}日\s*在.{2,60}(?:会议|大会|会)上)/u;
const SPEAKER =
  /^[\p{Script=Han}]{0,24}(?:省长|市长|主席|区长|县长|州长|总理|副总理|部长|主任|书记|局长)[\s\u3000]+[\p{Script=Han}·]{2,6}$/u;
/** Who a notice is addressed to ("各省、自治区、直辖市人民政府，国务院各部委：") or a speech's salutation ("各位代表："). */
const ADDRESSEE = /^(?:各|有关|国务院各|全国各|同志们)[^。；！？]{0,300}[：:]$/u;

/**
 * Where the document ends: the last line that is running text, a closing date, an attachment or a note —
 * whatever follows (footers, related links, lists of other sites) is the page's, not the document's.
 */
function documentEnd(lines: readonly Line[]): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = (lines[i] as Line).text;
    // A sentence ends the text; page furniture does not end in 。 (a short closing sentence counts too).
    if (t.length >= 2 && /[。；！？][”’」』）)]*$/u.test(t)) return i + 1;
    if (isSubstantive(t) && /[：:]$/u.test(t)) return i + 1;
    if (parseDateLine(t) || (ATTACHMENT_LINE.test(t) && !EMPTY_ATTACHMENT_LINE.test(t)) || NOTE.test(t))
      return i + 1;
  }
  return lines.length;
}

/** Lines after which a paragraph never continues: a title, a 文号, a date, an organisation, a contact line. */
function closesLine(text: string): boolean {
  return (
    looksLikeTitle(text) ||
    docNumberLine(text) !== null ||
    parseDateLine(text) !== null ||
    splitOrganizations(text) !== null ||
    NOTE.test(text) ||
    ATTACHMENT_LINE.test(text)
  );
}

/** Lines that always start a paragraph of their own. */
function opensLine(text: string): boolean {
  return (
    docNumberLine(text) !== null ||
    parseDateLine(text) !== null ||
    ADDRESSEE.test(text) ||
    ATTACHMENT_LINE.test(text) ||
    NOTE.test(text) ||
    DASH_LINE.test(text) ||
    SPEAKER.test(text) ||
    splitOrganizations(text) !== null
  );
}

const CONTENTS_HEADING = /^目\s*录$/u;
/** A table-of-contents line: a short heading, maybe with dot leaders and a page number. */
const CONTENTS_ENTRY = /^[^。；！？]{1,60}$/u;
const DOT_LEADER = /[.．…·]{3,}\s*\d{1,4}$|[…]{2,}\s*\d{1,4}$/u;

/**
 * A table of contents — "目录" and the headings under it, or lines with dot leaders and page numbers — is
 * neither sections nor text: it repeats the headings that follow. It ends where the first entry comes again.
 */
function markTableOfContents(paragraphs: CleanParagraph[], text: string): void {
  const at = (p: CleanParagraph) => text.slice(p.start, p.end);
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i] as CleanParagraph;
    if (DOT_LEADER.test(at(p))) p.role = 'meta';
    if (!CONTENTS_HEADING.test(at(p))) continue;
    p.role = 'meta';
    const first = paragraphs[i + 1] ? compact(at(paragraphs[i + 1] as CleanParagraph)) : '';
    for (let j = i + 1; j < paragraphs.length; j++) {
      const q = paragraphs[j] as CleanParagraph;
      const t = at(q);
      if (j > i + 1 && compact(t) === first) break;
      if (!CONTENTS_ENTRY.test(t)) break;
      q.role = 'meta';
      i = j;
    }
  }
}

/** Longest line that can be a table cell scraped one cell a line. */
const MAX_CELL = 24;
/** Cells in a row before a run counts as a table rather than a few short lines. */
const MIN_CELLS = 3;

function isCell(line: Line): boolean {
  const t = line.text;
  return (
    line.kind === 'line' &&
    line.role === null &&
    t.length <= MAX_CELL &&
    !/[。；！？：:]$/u.test(t) &&
    !startsEnumerator(t) &&
    !splitOrganizations(t) &&
    !parseDateLine(t) &&
    !docNumberLine(t) &&
    !ATTACHMENT_LINE.test(t) &&
    !NOTE.test(t) &&
    !DASH_LINE.test(t) &&
    !SPEAKER.test(t) &&
    !ADOPTION_HISTORY.test(t)
  );
}

/**
 * A table scraped one cell a line ("负荷率" / "报价上限（元/千瓦时）" / "0.4" …) becomes one paragraph with the
 * cells separated by spaces, instead of dozens of paragraphs of a few characters each.
 */
function mergeCellRuns(lines: Line[], from: number): Line[] {
  const out = lines.slice(0, from);
  let i = from;
  while (i < lines.length) {
    let j = i;
    while (j < lines.length && isCell(lines[j] as Line)) j++;
    if (j - i >= MIN_CELLS) {
      const run = lines.slice(i, j);
      out.push({ ...(run[0] as Line), text: run.map((l) => l.text).join(' '), role: 'table' });
      i = j;
    } else {
      out.push(lines[i] as Line);
      i++;
    }
  }
  return out;
}

/** Role of a line inside the document (before numbering-based structure, which structure-document adds). */
function roleOf(line: Line, prev: Line | undefined, next: Line | undefined): ParagraphRole {
  const t = line.text;
  if (line.kind === 'heading') return 'heading';
  if (line.kind === 'table-row') return 'table';
  if (docNumberLine(t)) return 'doc-number';
  if (NOTE.test(t)) return 'note';
  if (ATTACHMENT_LINE.test(t) && t.length <= 120) return 'attachment';
  // "附件：1.申报项目信息表" / "2.各区发展改革委联系方式": the list goes on.
  if (prev?.role === 'attachment' && /^\d{1,2}\s*[.．、]/u.test(t) && t.length <= 120) return 'attachment';
  // The history is text of its own: it answers when a document was first issued and revised, and by what order.
  if (ADOPTION_HISTORY.test(t)) return 'history';
  if (DASH_LINE.test(t) || SPEAKER.test(t)) return 'meta';
  if (parseDateLine(t)) return prev?.role === 'title' ? 'meta' : 'signature';
  if (splitOrganizations(t) && !startsEnumerator(t)) {
    // An organisation line right before a date or another organisation line closes the document or a part.
    const nextIsClosing = next && (parseDateLine(next.text) || splitOrganizations(next.text));
    if (nextIsClosing || prev?.role === 'signature') return 'signature';
  }
  if (ADDRESSEE.test(t) && !startsEnumerator(t)) return 'addressee';
  return 'body';
}

/**
 * Repairs layout and drops what is not the document (see the module comment); gives every paragraph its
 * role. Linear in the text length.
 */
export function cleanText(
  source: Pick<SourceDocument, 'text' | 'blocks'> & { stated?: StatedMetadata },
): CleanedText {
  const removed: string[] = [];
  const stated: StatedMetadata = {};
  const dropped = { chrome: 0, metadata: 0, head: 0, tail: 0 };
  const headText: string[] = [];
  let lines = toLines(source);
  const first = lines[0];
  if (first) {
    const m = STRAY_LEADING_TOKEN.exec(first.text);
    if (m) {
      removed.push(m[0].trim());
      first.text = first.text.slice(m[0].length);
    }
  }
  // Chrome goes first, so that a widget word never joins a 文号 or a sentence.
  const chrome = chromeMask(
    lines.map((l) => l.text),
    firstSubstantive(lines),
  );
  const unchromed: Line[] = [];
  let endMark = false;
  let seenText = false;
  for (const [i, line] of lines.entries()) {
    if (seenText && isEndOfArticle(line.text)) endMark = true;
    if (chrome[i] || (endMark && isEndOfArticle(line.text))) dropped.chrome++;
    else {
      unchromed.push(endMark ? { ...line, afterEndMark: true } : line);
      endMark = false;
      if (isSubstantive(line.text)) seenText = true;
    }
  }
  // A scraper's first line is the page title ("【…】-site", "…_栏目_网站"); keep what it says about the title.
  const pageTitle = unchromed[0] ? titleFromPageTitle(unchromed[0].text) : null;
  const repaired = repairSplitTokens(unchromed);
  lines = repaired.lines;
  let joins = repaired.joins;
  const firstBody = firstSubstantive(lines);
  const table = takeMetadataTable(lines, firstBody, stated);
  const kept = lines.filter((_, i) => {
    if (table[i]) dropped.metadata++;
    return !table[i];
  });
  const fragments = joinLineFragments(kept);
  lines = fragments.lines;
  joins += fragments.joins;

  // The document's frame: its title block, and its end.
  const bodyStart = firstSubstantive(lines);
  const title = findTitleBlock(lines, { ...stated, ...source.stated }, bodyStart);
  let head = 0;
  if (title) {
    // Before the title only running text (a decree's promulgation sentence) and 文号/date lines are content.
    const laterText = compact(
      lines
        .slice(title.end)
        .map((l) => l.text)
        .join(''),
    );
    const before = lines.slice(0, title.start).filter((l) => {
      const keep =
        (isSubstantive(l.text) && !repeatsLater(l.text, laterText)) ||
        docNumberLine(l.text) !== null ||
        l.kind === 'heading';
      if (!keep) {
        dropped.head++;
        headText.push(l.text);
      }
      return keep;
    });
    const titleLine: Line = {
      text: title.text,
      kind: 'paragraph',
      level: lines[title.start]?.level ?? 0,
      page: lines[title.start]?.page ?? null,
      role: 'title',
    };
    lines = [...before, titleLine, ...lines.slice(title.end)];
    head = before.length;
  }
  // The first end-of-article mark after the title ends the document; attachment file names may follow it.
  const mark = lines.findIndex((l, n) => n > head && l.afterEndMark);
  if (mark > head) {
    const tail = lines.slice(mark).filter((l) => ATTACHMENT_LINE.test(l.text) && l.text.length <= 120);
    dropped.tail += lines.length - mark - tail.length;
    lines = [...lines.slice(0, mark), ...tail];
  }
  const end = documentEnd(lines);
  if (end > head) {
    dropped.tail += lines.length - end;
    lines = lines.slice(0, end);
  }
  lines = mergeCellRuns(lines, title ? head + 1 : 0);

  // Paragraphs: plain lines rejoined where the layout broke a sentence; roles.
  const parts: string[] = [];
  const paragraphs: CleanParagraph[] = [];
  let length = 0;
  let i = 0;
  let previous: Line | undefined;
  while (i < lines.length) {
    const headLine = lines[i] as Line;
    const current: Block = { text: headLine.text, headingLevel: headLine.level };
    const pieces = [headLine.text];
    let j = i + 1;
    if (headLine.kind === 'line' && headLine.role === null) {
      while (j < lines.length) {
        const next = lines[j] as Line;
        if (next.kind !== 'line' || next.role !== null) break;
        const afterNext = lines[j + 1];
        const asBlock = (l: Line): Block => ({ text: l.text, headingLevel: l.level });
        if (closesLine(current.text) || opensLine(next.text)) break;
        if (!shouldJoin(current, asBlock(next), afterNext && asBlock(afterNext))) break;
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
    }
    const text = pieces.join('');
    const line: Line = { ...headLine, text };
    const role = headLine.role ?? roleOf(line, previous, lines[j]);
    line.role = role;
    previous = line;
    if (paragraphs.length > 0) {
      parts.push('\n\n');
      length += 2;
    }
    const start = length;
    parts.push(text);
    length += text.length;
    paragraphs.push({ start, end: length, headingLevel: headLine.level, role, page: headLine.page });
    i = j;
  }
  markTableOfContents(paragraphs, parts.join(''));
  return {
    text: parts.join(''),
    paragraphs,
    stated,
    pageTitle,
    removed,
    dropped,
    joins,
    head: headText,
  };
}
