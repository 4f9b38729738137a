/**
 * Extractive list answers: for a question that asks for a set of things, find the block of a retrieved
 * document's structure that answers it (a heading matching the question and the items under it, or the
 * sentences of a paragraph), and answer with its items — one line each, in document order, each cited with
 * the quote of the item itself. Questions over several documents get the best block of each, grouped under
 * each document's title. Returns null when no block is a credible list (the caller answers as for a fact).
 */
import type { Chunk, Citation, Language, RetrievalResult, StructuredDocument } from '../../types.js';
import { buildCitation } from '../citations.js';
import { meetsNeed, queryTermWeights, sourceLabel } from '../extractive.js';
import type { QuestionShape } from '../question-shape.js';
import { splitClauses, splitSentences, stripTrailingPunctuation } from '../sentences.js';
import { bigrams, contentTerms, includesTerm, overlapRatio, weightTerms } from '../text-features.js';
import { heldAttachments } from './attachments.js';
import { blocksAround, type ItemSpan, type ListBlock, splitByNeed } from './blocks.js';
import type { DocumentLookup } from './document-lookup.js';

export interface ListOptions {
  lookup: DocumentLookup;
  /** Items shown at most; the rest are counted ("另有 N 项…"). Default 8. */
  maxItems?: number;
  /** Retrieved passages whose surroundings are searched for blocks, best first. Default 8 (all the engine retrieves). */
  maxPassages?: number;
}

/** One line of a list answer. */
export interface ListLine {
  docId: string;
  /** The item's offsets in the document's cleaned text. */
  start: number;
  end: number;
  /** The line as shown, without its citation markers. */
  text: string;
  /** Numbers of the citations the line carries (the item's quote, and its continuation in the next passage). */
  cites: number[];
}

export interface ListGroup {
  /** Where the group's items are: 《title》（文号） › the block's section path. */
  source: string;
  lines: ListLine[];
  /** Items of the block not shown. */
  more: number;
}

export interface ListResult {
  text: string;
  citations: Citation[];
  groups: ListGroup[];
  /**
   * `citations[i]`'s quote as a passage of its own (the chunk narrowed to the item's quote, same id and
   * offsets): what a language model is given and verified against, so each item is cited from itself.
   */
  itemPassages: Chunk[];
}

const MAX_ITEMS = 8;
/** A sentence item of running text is shown when it scores at least this share of the best item. */
const ON_TOPIC = 0.35;
/** A block answers as a list only when it scores at least this (else the fact answer stands). */
const MIN_BLOCK_SCORE = 0.3;
/** Share of the best block's score an announced list inside it needs to answer instead of it. */
const ANNOUNCED = 0.6;
/** A further document joins a multi-document answer when its best block scores this share of the best. */
const OTHER_DOCUMENT = 0.5;
/** Line length in characters before it is cut at a clause boundary (the quote keeps the whole item). */
const LINE_CHARS = 90;
/** The rest of an item in the next passage is cited too when it is at least this long. */
const CONTINUATION = 12;
const NUMBER_LABEL =
  /^[\s\u3000]*(?:第[一二三四五六七八九十百千零〇\d]+[条章节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,3}[.．、](?!\d)|[①-⑳])[\s\u3000]*/u;

interface Scorer {
  cov(text: string): number;
  head(text: string): number;
}

function scorer(question: string, retrieval: RetrievalResult, maxPassages: number): Scorer {
  const passages = retrieval.passages.slice(0, maxPassages);
  const terms = contentTerms(retrieval.terms);
  const weights = weightTerms(terms, passages, queryTermWeights(retrieval));
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  const qGrams = bigrams(`${question} ${terms.join(' ')}`);
  // Pieces of a longer term (bigrams of 中小企业) add nothing when the longer term matched.
  const pieceOf = new Map(terms.map((t) => [t, terms.filter((u) => u !== t && u.includes(t))]));
  const cov = (text: string) => {
    if (total <= 0) return 0;
    const matched = terms.filter((t) => includesTerm(text, t));
    let sum = 0;
    for (const t of matched) {
      const parents = pieceOf.get(t) ?? [];
      if (parents.some((u) => matched.includes(u))) continue;
      sum += (weights.get(t) ?? 0) * (parents.length > 0 ? 0.5 : 1);
    }
    return Math.min(1, sum / total);
  };
  return { cov, head: (text) => (text ? Math.max(cov(text), overlapRatio(qGrams, bigrams(text))) : 0) };
}

const textOf = (doc: StructuredDocument, s: { start: number; end: number }) =>
  doc.cleanedText.slice(s.start, s.end);

/** A block offered as the answer, with the items it would show and its score. */
export interface RankedBlock {
  block: ListBlock;
  items: ItemSpan[];
  score: number;
  /** How well the block's own heading matches the question (shape cue included). */
  head: number;
  /** The question quotes the block's heading ("医疗卫生方面"). */
  quoted: boolean;
}

/** Ranks a block found under a retrieved block's item stands below the retrieved passage. */
const EXPANDED_RANK = 3;

/** Headings that announce what a procedure or a condition question asks for (考核程序, 准入条件). */
const HEADING_CUES: Partial<Record<QuestionShape['kind'], RegExp>> = {
  procedure: /程序|流程|步骤|环节|阶段|办理|启动|响应|工作安排/u,
  condition: /条件|准入|资格|情形|要求|标准/u,
};
/**
 * What a question asks for and the headings under which policy documents put it: aims under 目标/目的, duties
 * under 职责/分工, uses of a result under 应用/运用, deadlines under 时间/进度/安排, measures under 措施/任务.
 */
const ASKED_FOR: readonly { asks: RegExp; heading: RegExp }[] = [
  {
    asks: /目的|目标|达到什么|达到哪些|意义|\b(?:aims?|goals?|objectives?|purposes?)\b/iu,
    heading: /目标|目的/u,
  },
  {
    asks: /职责|分工|负责|各方|\bresponsib|\bduties\b|\beach party\b/iu,
    heading: /职责|分工|责任|保障机制|组织实施/u,
  },
  { asks: /用到|用于|应用|运用|怎么用|\bused?\b|\buses\b/iu, heading: /应用|运用|使用/u },
  {
    asks: /时间节点|时间表|进度|时限|什么时候|\bdeadlines?\b|\btimetable\b|\bmilestones?\b/iu,
    heading: /时间|进度|安排|节点|步骤/u,
  },
  { asks: /措施|举措|\bmeasures?\b/iu, heading: /措施|举措|任务/u },
];

/** A heading the question quotes is at least this long (Han characters, without its numbering). */
const NAMED_HEADING = 4;

/** Whether the question quotes the heading itself ("十方面民生实事里，医疗卫生方面…" for "1.医疗卫生方面。"). */
function namedHeading(question: string, heading: string): boolean {
  const bare = heading.replace(NUMBER_LABEL, '').replace(/[\s\p{P}]/gu, '');
  return [...bare].length >= NAMED_HEADING && /^\p{Script=Han}+$/u.test(bare) && question.includes(bare);
}

/** Whether a block's heading names what the question's wording asks for. */
function namesAskedFor(question: string, heading: string): boolean {
  return ASKED_FOR.some((c) => c.asks.test(question) && c.heading.test(heading));
}
/** A block whose heading names what the question asks for (目标 for 目的) scores this much more. */
const ASKED_FOR_BONUS = 1.25;

/** Items about this long read as one line each; longer ones (whole sections) make a poor list. */
const ITEM_CHARS = 140;

/**
 * How well a block answers: its heading (and whether it announces what the question's shape asks for), its text
 * as a whole, how many of its items are on topic (and hold the figure or time asked for), its rank, and whether
 * its items are list items rather than whole sections.
 */
function scoreBlock(
  question: string,
  block: ListBlock,
  items: ItemSpan[],
  rank: number,
  s: Scorer,
  shape: QuestionShape,
): { score: number; head: number; quoted: boolean } {
  const text = textOf(block.doc, block);
  const texts = items.map((i) => textOf(block.doc, i));
  const onTopic = texts.filter((t) => s.cov(t) > 0).length / Math.max(1, items.length);
  const heading = `${block.heading} ${block.path.at(-1) ?? ''}`;
  const named = namesAskedFor(question, heading);
  const cue = named || HEADING_CUES[shape.kind]?.test(heading) ? 0.3 : 0;
  const asked = named ? ASKED_FOR_BONUS : 1;
  // A lead-in ("应当具备下列条件：") says that what follows is the list: its items need not repeat the question.
  const leadIn = block.announced && block.kind === 'numbered';
  // A heading the question quotes is the answer wherever the passage that led to it ranked.
  const quoted = namedHeading(question, block.path.at(-1) ?? '');
  const head = quoted
    ? 1
    : Math.min(1, Math.max(s.head(block.heading), s.head(block.path.at(-1) ?? '')) + cue);
  const n = items.length;
  const size = n > 12 ? Math.sqrt(12 / n) : 1;
  const length = text.length > 3000 ? 0.8 : 1;
  const mean = texts.reduce((a, t) => a + t.length, 0) / Math.max(1, n);
  const compact = mean > ITEM_CHARS ? Math.sqrt(ITEM_CHARS / mean) : 1;
  const need = shape.need ? 0.5 + 0.5 * (texts.filter((t) => meetsNeed(t, shape.need)).length / n) : 1;
  const kind = block.kind === 'numbered' ? (leadIn ? 1.2 : 1.1) : block.kind === 'parts' ? 1.2 : 1;
  const hit = leadIn ? Math.max(onTopic, 0.8) : onTopic;
  const score =
    (0.35 * s.cov(text) + 0.35 * head + 0.3 * hit) *
    (quoted ? 1 : 1 / (1 + 0.12 * rank)) *
    size *
    length *
    compact *
    need *
    kind *
    asked;
  return { score, head, quoted };
}

/** The items to show: all of a short block; the most relevant of a long one (document order kept). */
function chooseItems(
  block: ListBlock,
  items: ItemSpan[],
  s: Scorer,
  maxItems: number,
  need: QuestionShape['need'],
): { shown: ItemSpan[]; more: number } {
  const scored = items.map((item, i) => {
    const text = textOf(block.doc, item);
    return { item, i, score: s.cov(text) * (need && meetsNeed(text, need) ? 1.5 : 1) };
  });
  // Sentences gathered from running text are items only when on topic; numbered items are items by structure.
  // A sentence that only shares a word every item has (the issuer's name) is off topic: it must match at least a
  // share of the best item's score.
  const top = Math.max(0, ...scored.map((x) => x.score));
  const onTopic = scored.filter((x) => x.score > 0 && x.score >= top * ON_TOPIC);
  // A semicolon enumeration is one too, unless a figure or a time is asked for (then its clauses are the items).
  // Items that each hold the figure or time asked for are all answers to it, however few query words they share.
  const allHold = need !== null && scored.every((x) => meetsNeed(textOf(block.doc, x.item), need));
  // A notice's own text is short and all of it is what the notice asks: shown whole when it fits.
  const whole = block.kind === 'notice' && items.length <= maxItems && !need;
  const structural = block.kind === 'numbered' || (block.kind === 'parts' && !need) || allHold || whole;
  const kept = structural || onTopic.length < 2 ? scored : onTopic;
  if (kept.length <= maxItems) return { shown: kept.map((x) => x.item), more: items.length - kept.length };
  // A numbered list is shown from its start, as the document numbers it; the rest is counted.
  if (block.kind === 'numbered') return { shown: items.slice(0, maxItems), more: items.length - maxItems };
  const best = [...kept].sort((a, b) => b.score - a.score || a.i - b.i).slice(0, maxItems);
  best.sort((a, b) => a.i - b.i);
  return { shown: best.map((x) => x.item), more: items.length - maxItems };
}

/** The line for an item: without its numbering, a short lead kept with the sentence after it, cut at a clause. */
function lineText(text: string): string {
  const bare = text.replace(NUMBER_LABEL, '');
  const sentences = splitSentences(bare);
  const [first, second] = sentences;
  if (!first) return stripTrailingPunctuation(bare);
  let line = stripTrailingPunctuation(first.text);
  if (second && [...line].length <= 16 && !/[，,、]/u.test(line)) {
    line = `${line}：${stripTrailingPunctuation(second.text)}`;
  }
  if ([...line].length <= LINE_CHARS) return line;
  let cut = '';
  for (const c of splitClauses(line)) {
    if ([...cut].length + [...c.text].length > LINE_CHARS && cut) break;
    cut += c.text;
  }
  return stripTrailingPunctuation(cut);
}

/** The chunk holding most of a span (a quote must lie within one passage). */
function chunkFor(chunks: readonly Chunk[], start: number, end: number): Chunk | null {
  let best: Chunk | null = null;
  let bestOverlap = 0;
  for (const c of chunks) {
    if (c.end <= start) continue;
    if (c.start >= end) break;
    const overlap = Math.min(end, c.end) - Math.max(start, c.start);
    if (overlap > bestOverlap) {
      best = c;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** A quote ends before trailing commas and colons; a full stop is kept. */
function trimmedEnd(text: string, start: number, end: number): number {
  const trimmed = text.slice(start, end).replace(/[，、：,:\s\u3000]+$/u, '');
  return start + trimmed.length;
}

/** The sentences of a block's items that hold what `holds` asks for, in document order. */
function sentencesHolding(block: ListBlock, holds: (text: string) => boolean): ItemSpan[] {
  return block.items.flatMap((item) =>
    splitSentences(textOf(block.doc, item), item.start)
      .filter((x) => holds(x.text))
      .map((x) => ({ start: x.start, end: x.end })),
  );
}

/** Where blocks are looked for: a paragraph of a document, and the rank of the passage that led there. */
interface Seed {
  doc: StructuredDocument;
  paragraph: number;
  rank: number;
}

/** The blocks around each seed paragraph, scored, best first, one per block. */
function blocksFrom(
  question: string,
  seeds: readonly Seed[],
  shape: QuestionShape,
  s: Scorer,
): RankedBlock[] {
  const seen = new Map<string, RankedBlock>();
  const holds = (t: string) => meetsNeed(t, shape.need);
  const offer = (block: ListBlock, rank: number) => {
    const key = `${block.doc.id}\0${block.start}\0${block.end}\0${block.kind}`;
    if (seen.has(key)) return;
    const items =
      shape.need && (block.kind === 'sentences' || block.kind === 'parts' || block.kind === 'notice')
        ? splitByNeed(block.doc, block.items, holds)
        : block.items;
    if (items.length < 2) return;
    seen.set(key, { block, items, ...scoreBlock(question, block, items, rank, s, shape) });
  };
  for (const { doc, paragraph, rank } of seeds) {
    for (const block of blocksAround(doc, paragraph)) {
      offer(block, rank);
      // A figure or a time asked of a section whose numbered items are whole subsections: the sentences in
      // them that hold one are the items ("福建…2023年底前…", "浙江…2024年6月前…" across （一）（二）（三）).
      if (shape.need && block.kind === 'numbered') {
        const held = sentencesHolding(block, holds);
        if (held.length >= 2) offer({ ...block, kind: 'sentences', items: held }, rank);
      }
      // The items of a numbered block may themselves be lists (三、工作措施 › 2.全面整改 with its deadlines):
      // the blocks under each item are offered too, ranked below the passage that led to them.
      if (block.kind !== 'numbered') continue;
      for (const item of block.items) {
        const para = doc.paragraphs.findIndex((q) => q.start >= item.start);
        if (para < 0) continue;
        for (const inner of blocksAround(doc, para))
          if (inner.start >= block.start && inner.end <= block.end) offer(inner, rank + EXPANDED_RANK);
      }
    }
  }
  return [...seen.values()].sort((a, b) => b.score - a.score);
}

/** The candidates from the top passages' surroundings, best first, one per block. */
function candidates(
  question: string,
  retrieval: RetrievalResult,
  shape: QuestionShape,
  s: Scorer,
  options: ListOptions,
): RankedBlock[] {
  // A question over several documents looks at every passage retrieved: the other document may rank lower.
  const considered = shape.multi ? retrieval.passages.length : (options.maxPassages ?? 8);
  // Every paragraph a passage covers is a seed: a chunk of several short paragraphs ("促进高质量充分就业。…
  // 提升社会保障水平。…") starts at one of them, and the one the question asks about may be another.
  const seeds = retrieval.passages.slice(0, considered).flatMap((p, rank) => {
    const doc = options.lookup.document(p.chunk.docId);
    if (!doc) return [];
    const covered = doc.paragraphs.flatMap((q, i) =>
      i !== p.chunk.paragraphIndex && q.end > p.chunk.start && q.start < p.chunk.end ? [i] : [],
    );
    return [p.chunk.paragraphIndex, ...covered].map((paragraph) => ({ doc, paragraph, rank }));
  });
  return blocksFrom(question, seeds, shape, s);
}

/** Passages of an attachment searched for its answering block (it was not retrieved: its best-matching ones). */
const ATTACHMENT_SEEDS = 4;
/** The attachment answers when its best block scores at least this (a weaker bar than a retrieved block's). */
const MIN_ATTACHMENT_SCORE = MIN_BLOCK_SCORE / 2;

/** A block taken from an attachment its cover notice names. */
interface FromAttachment {
  ranked: RankedBlock;
}

/**
 * For a block of a cover notice that names an attachment the library holds as its own document: the best
 * block of the attachment (its passages that match the question best), or null when it has none.
 */
function fromAttachment(
  question: string,
  chosen: RankedBlock,
  shape: QuestionShape,
  s: Scorer,
  lookup: DocumentLookup,
): FromAttachment | null {
  let best: FromAttachment | null = null;
  for (const { doc } of heldAttachments(chosen.block.doc, lookup)) {
    const seeds = lookup
      .chunks(doc.id)
      .map((c) => ({ c, cov: s.cov(c.text) }))
      .filter((x) => x.cov > 0)
      .sort((a, b) => b.cov - a.cov)
      .slice(0, ATTACHMENT_SEEDS)
      .map((x, rank) => ({ doc, paragraph: x.c.paragraphIndex, rank }));
    const [top] = blocksFrom(question, seeds, shape, s);
    if (top && top.score >= MIN_ATTACHMENT_SCORE && (!best || top.score > best.ranked.score))
      best = { ranked: top };
  }
  return best;
}

/** …or this share when its title names something of the question the first document's title does not. */
const NAMED_DOCUMENT = 0.25;

/** Whether `doc`'s title shares a two-character run with the question that `first`'s title lacks. */
function namesOwn(question: string, doc: StructuredDocument, first: StructuredDocument | undefined): boolean {
  const q = [...question.replace(/[\s\p{P}]/gu, '')];
  const title = doc.meta.title;
  const other = first?.meta.title ?? '';
  for (let i = 0; i + 1 < q.length; i++) {
    const run = `${q[i]}${q[i + 1]}`;
    if (/^\p{Script=Han}{2}$/u.test(run) && title.includes(run) && !other.includes(run)) return true;
  }
  return false;
}

/** Years a question names ("the 2024 notice", "2019年"). */
const namedYears = (question: string) =>
  [...question.matchAll(/(?<!\d)(?:19|20)\d{2}(?!\d)/gu)].map((m) => m[0]);

/** Whether a document is of one of `years`: its date, 文号 or title says so. */
function ofYear(doc: StructuredDocument, years: readonly string[]): boolean {
  const { date, docNumber, title } = doc.meta;
  return years.some((y) => date?.startsWith(y) || docNumber?.includes(y) || title.includes(y));
}

/** A block from a document of another year than the one the question names scores this share. */
const OTHER_YEAR = 0.7;

/**
 * The question names a year and some candidate's document is of it: blocks of documents of other years rank
 * lower ("the 2024 notice on ancillary-service pricing" is not the 2022 storage notice).
 */
function preferNamedYear(ranked: RankedBlock[], question: string): RankedBlock[] {
  const years = namedYears(question);
  if (years.length === 0 || !ranked.some((r) => ofYear(r.block.doc, years))) return ranked;
  return ranked
    .map((r) => (ofYear(r.block.doc, years) ? r : { ...r, score: r.score * OTHER_YEAR }))
    .sort((a, b) => b.score - a.score);
}

/** The blocks answering: the best one, and for a multi-document question the best of each further document. */
function pick(all: RankedBlock[], shape: QuestionShape, question: string): RankedBlock[] {
  const ranked = preferNamedYear(all, question);
  const top = ranked[0];
  if (!top || top.score < MIN_BLOCK_SCORE) return [];
  const inside = (c: RankedBlock) =>
    c !== top &&
    c.block.doc.id === top.block.doc.id &&
    c.block.start >= top.block.start &&
    c.block.end <= top.block.end;
  // A list its document announces ("应当具备下列条件：") inside the best block, nearly as good, is the answer:
  // the outer block's items are whole articles or sections of which it is one. So is a heading the question
  // quotes inside a quoted one ("民生实事里，医疗卫生方面"): the innermost is what it asks for.
  const best =
    ranked.find((c) => inside(c) && c.block.announced && c.score >= top.score * ANNOUNCED) ??
    (top.quoted ? ranked.find((c) => inside(c) && c.quoted) : undefined) ??
    top;
  if (!shape.multi) return [best];
  const chosen = [best];
  for (const c of ranked) {
    if (chosen.length >= 3) break;
    if (chosen.some((x) => x.block.doc.id === c.block.doc.id)) continue;
    // A document whose title names what the question names and the first document's title does not (the other
    // province, the other year, the other notice) joins at a lower score.
    const named = namesOwn(question, c.block.doc, chosen[0]?.block.doc);
    if (c.score >= best.score * (named ? NAMED_DOCUMENT : OTHER_DOCUMENT)) chosen.push(c);
  }
  return chosen;
}

/** Every candidate block for a question, best first (for the answer, and to see why a block won). */
export function rankListBlocks(
  question: string,
  retrieval: RetrievalResult,
  shape: QuestionShape,
  options: ListOptions,
): RankedBlock[] {
  return candidates(
    question,
    retrieval,
    shape,
    scorer(question, retrieval, options.maxPassages ?? 8),
    options,
  );
}

/** The list answer for a retrieval result, or null when no block of the retrieved documents is a list. */
export function composeList(
  question: string,
  language: Language,
  retrieval: RetrievalResult,
  shape: QuestionShape,
  options: ListOptions,
): ListResult | null {
  const maxPassages = options.maxPassages ?? 8;
  const s = scorer(question, retrieval, maxPassages);
  const picked = pick(candidates(question, retrieval, shape, s, options), shape, question);
  if (picked.length === 0) return null;
  // A cover notice's block gives way to the attachment it names when the library holds that (its items are there).
  const chosen: { ranked: RankedBlock; via: string | null }[] = [];
  for (const ranked of picked) {
    const attached = fromAttachment(question, ranked, shape, s, options.lookup);
    const [cover] = options.lookup.chunks(ranked.block.doc.id);
    const entry =
      attached && cover
        ? { ranked: attached.ranked, via: `${sourceLabel(cover)}附件` }
        : { ranked, via: null };
    if (!chosen.some((c) => c.ranked.block.doc.id === entry.ranked.block.doc.id)) chosen.push(entry);
  }
  const citations: Citation[] = [];
  const itemPassages: Chunk[] = [];
  const groups: ListGroup[] = [];
  for (const {
    ranked: { block, items },
    via,
  } of chosen) {
    const chunks = options.lookup.chunks(block.doc.id);
    const { shown, more } = chooseItems(block, items, s, options.maxItems ?? MAX_ITEMS, shape.need);
    const lines: ListLine[] = [];
    let label: string | null = null;
    for (const item of shown) {
      const main = chunkFor(chunks, item.start, item.end);
      if (!main) continue;
      label ??= sourceLabel(main);
      const cite = (chunk: Chunk, from: number, to: number) => {
        const start = Math.max(from, chunk.start) - chunk.start;
        const end = trimmedEnd(chunk.text, start, Math.min(to, chunk.end) - chunk.start);
        if (end <= start) return null;
        const n = citations.length + 1;
        const citation = buildCitation(n, chunk, start, end);
        citations.push(citation);
        itemPassages.push({ ...chunk, text: citation.quote, start: citation.start, end: citation.end });
        return n;
      };
      const cites = [cite(main, item.start, item.end)];
      if (item.end - main.end >= CONTINUATION) {
        const next = chunkFor(chunks, main.end, item.end);
        if (next && next !== main) cites.push(cite(next, main.end, item.end));
      }
      const numbers = cites.filter((n): n is number => n !== null);
      if (numbers.length === 0) continue;
      lines.push({
        docId: block.doc.id,
        start: item.start,
        end: item.end,
        text: lineText(textOf(block.doc, item)),
        cites: numbers,
      });
    }
    if (lines.length === 0 || !label) continue;
    const path = block.path.slice(-2).join(' › ');
    const source = path ? `${label} › ${path}` : label;
    groups.push({ source: via ? `${source}（见${via}）` : source, lines, more });
  }
  if (groups.length === 0 || groups.reduce((a, g) => a + g.lines.length, 0) < 2) return null;
  return { text: renderList(groups, language), citations, groups, itemPassages };
}

/** Plain text with one line per item ("- …[n]；"), grouped per source; every front end renders from it. */
export function renderList(groups: readonly ListGroup[], language: Language): string {
  const out: string[] = [];
  groups.forEach((g, gi) => {
    if (gi > 0) out.push('');
    out.push(language === 'zh' ? `根据${g.source}：` : `According to ${g.source}:`);
    g.lines.forEach((line, i) => {
      const marks = line.cites.map((n) => `[${n}]`).join('');
      const last = i === g.lines.length - 1;
      out.push(
        language === 'zh'
          ? `- ${line.text}${marks}${last ? '。' : '；'}`
          : `- “${line.text}” ${marks}${last ? '.' : ';'}`,
      );
    });
    if (g.more > 0) {
      out.push(
        language === 'zh'
          ? `（另有${g.more}项未列出，见${g.source}。）`
          : `(${g.more} more not listed, in ${g.source}.)`,
      );
    }
  });
  return out.join('\n');
}
