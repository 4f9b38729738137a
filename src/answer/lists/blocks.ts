/**
 * Where the items of a list answer come from: blocks of a document's structure around a retrieved passage —
 * a section with its numbered children (第八条 with （一）（二）…, 四、 with （一）（二）, （二） with 6. 7. 8.), a
 * section of short paragraphs, a paragraph's sentences, and, for figure or time questions, the clauses of a
 * sentence that each hold one. Offsets are the document's cleaned-text offsets.
 */

import { headingPath } from '../../ingest/structure-document.js';
import type { Paragraph, Section, StructuredDocument } from '../../types.js';
import { splitClauses, splitSentences } from '../sentences.js';
import { POLITICAL_FRAMING } from '../text-features.js';

export interface ItemSpan {
  /** Offsets of the whole item in the document's cleaned text. */
  start: number;
  end: number;
}

/**
 * `numbered`: the section's numbered children; `parts`: one sentence's semicolon-separated parts; `paragraphs`:
 * a section's short paragraphs; `sentences`: the sentences of running text; `notice`: the sentences of a notice's
 * own text (the running text outside any section).
 */
export type BlockKind = 'numbered' | 'parts' | 'paragraphs' | 'sentences' | 'notice';

export interface ListBlock {
  doc: StructuredDocument;
  part: number;
  /** Section headings from the part's top down to the block's own heading. */
  path: string[];
  /** What introduces the items: the section heading, a lead-in ending in "：", a paragraph's short lead sentence. */
  heading: string;
  /** A lead-in announces the items ("应当具备下列条件：", "有下列情形之一的，…报告。"). */
  announced: boolean;
  start: number;
  end: number;
  kind: BlockKind;
  items: ItemSpan[];
}

/** Sections longer than this are not offered as one block (a whole chapter of a long report). */
const MAX_BLOCK_CHARS = 6000;
/** Paragraphs of a section are items when all are about this short; longer ones give their sentences. */
const SHORT_PARAGRAPH = 160;
/** A first sentence this short, without a comma, is the paragraph's lead ("提升社会保障水平。"), not an item. */
const LEAD_SENTENCE = 16;
/** Kinds of paragraphs that can hold items. */
const CONTENT: ReadonlySet<Paragraph['kind']> = new Set(['body', 'heading', 'table', 'attachment', 'note']);

const squash = (s: string) => s.replace(/[\s\u3000]+/gu, ' ').trim();

function textOf(doc: StructuredDocument, span: { start: number; end: number }): string {
  return doc.cleanedText.slice(span.start, span.end);
}

/** Section headings from the top down to `section` (inclusive). */
export function sectionPath(doc: StructuredDocument, section: number | null): string[] {
  return headingPath(section, (i) => doc.sections[i]).map(squash);
}

/** A lead-in sentence: it introduces what follows ("应当具备下列条件：", "为此，应切实抓好以下几方面工作："). */
function isLeadIn(text: string): boolean {
  return /[：:]\s*$/u.test(text);
}

/** A paragraph announcing the numbered items after it: a lead-in, or 下列/以下/如下 in its last sentence. */
function announcesList(text: string): boolean {
  const last = splitSentences(text).at(-1)?.text ?? '';
  return isLeadIn(text) || /下列|以下|如下|(?:the )?following/iu.test(last);
}

/** A short first sentence naming the topic ("提升社会保障水平。", "（一）医院自查自评。"). */
function isLeadSentence(text: string): boolean {
  return [...text].length <= LEAD_SENTENCE && !/[，,、；;]/u.test(text);
}

/** Sentences ending in "；" this many times in a row make an enumeration ("实现药价明显降低…；降低企业交易成本…；"). */
const MIN_PARTS = 2;

/** Sentences of a span as items: lead sentences and lead-ins go to the heading. */
function sentenceItems(
  doc: StructuredDocument,
  spans: readonly ItemSpan[],
): { items: ItemSpan[]; lead: string; parts: boolean } {
  const items: ItemSpan[] = [];
  let lead = '';
  let semicolons = 0;
  for (const span of spans) {
    const sentences = splitSentences(textOf(doc, span), span.start);
    sentences.forEach((s, i) => {
      if (
        items.length === 0 &&
        (isLeadIn(s.text) || (i === 0 && sentences.length > 1 && isLeadSentence(s.text)))
      ) {
        lead = s.text;
        return;
      }
      // A sentence of political framing (以习近平新时代…思想为指导, 贯彻党的二十大精神) is no item of anything.
      if (POLITICAL_FRAMING.test(s.text)) return;
      items.push({ start: s.start, end: s.end });
      if (/[；;]\s*$/u.test(s.text)) semicolons++;
    });
  }
  // The items are one enumeration when all but the last end in a semicolon.
  return { items, lead, parts: items.length > MIN_PARTS && semicolons >= items.length - 1 };
}

/**
 * The items of a section: its numbered children of the highest rank present (each with what follows it up to
 * the next one), else its paragraphs when they are short, else its sentences.
 */
function sectionItems(
  doc: StructuredDocument,
  section: Section,
): { items: ItemSpan[]; lead: string; kind: BlockKind; announced: boolean } | null {
  const paras = doc.paragraphs.filter(
    (p) => p.part === section.part && p.start >= section.start && p.end <= section.end && CONTENT.has(p.kind),
  );
  // The heading's own paragraph: a heading line, or an article's opening paragraph ("第八条　…下列条件：").
  const first = paras[0];
  let lead = '';
  let body = paras;
  if (first && first.start <= section.headingStart && first.end >= section.headingEnd) {
    const rest = doc.cleanedText.slice(section.headingEnd, first.end).replace(/^[\s\u3000。．.]+/u, '');
    if (first.kind === 'heading' || !rest) body = paras.slice(1);
    else if (announcesList(rest) && paras.length > 1) {
      lead = rest;
      body = paras.slice(1);
    }
  }
  const numbered = body.filter((p) => p.numbering && p.numbering.label !== section.label);
  const rank = Math.min(...numbered.map((p) => p.numbering?.rank ?? 99));
  const top = numbered.filter((p) => p.numbering?.rank === rank);
  if (top.length >= 2) {
    const before = body.filter((p) => p.start < (top[0]?.start ?? 0));
    const leadIn = before.at(-1);
    if (leadIn && announcesList(textOf(doc, leadIn))) lead = textOf(doc, leadIn);
    const owned = top.map((p, i) => {
      const next = top[i + 1];
      return body.filter((q) => q.start >= p.start && (!next || q.start < next.start));
    });
    // Items whose numbered line is a heading with body paragraphs under it ("（一）…。" then its text): when
    // every other item has a body, the last one has one too, as long as the shortest of theirs.
    const bodies = Math.min(...owned.slice(0, -1).map((own) => own.filter((q) => !q.numbering).length));
    const items = top.map((p, i) => {
      const own = owned[i] ?? [p];
      const last = i === top.length - 1;
      // What follows the last item otherwise (a closing paragraph, "以上意见如无不妥…") is not part of it.
      const span = last
        ? [
            ...own.filter((q) => q === p || (q.numbering && q.numbering.rank > rank)),
            ...own.filter((q) => !q.numbering).slice(0, bodies),
          ]
        : own;
      return { start: p.start, end: Math.max(...span.map((q) => q.end)) };
    });
    return { items, lead, kind: 'numbered', announced: lead !== '' };
  }
  if (body.length >= 2 && body.every((p) => p.end - p.start <= SHORT_PARAGRAPH)) {
    return {
      items: body.map((p) => ({ start: p.start, end: p.end })),
      lead,
      kind: 'paragraphs',
      announced: lead !== '',
    };
  }
  if (body.length === 0) return null;
  const sentences = sentenceItems(doc, body);
  return {
    items: sentences.items,
    lead: lead || sentences.lead,
    kind: sentences.parts ? 'parts' : 'sentences',
    announced: isLeadIn(lead || sentences.lead),
  };
}

/** A clause stating whom or what the next clause is for: "对于已经建成的，", "凡需要回收、置换的，". */
const CONDITION_CLAUSE = /^(?:对于|对|凡|属于)|的[，,]$/u;

/**
 * Sentence items that hold what the question needs split further into clauses when several clauses of one
 * sentence each hold it ("地区生产总值增长5.5%左右，城镇新增就业85万人，…": one target per clause).
 */
export function splitByNeed(
  doc: StructuredDocument,
  items: readonly ItemSpan[],
  holds: (text: string) => boolean,
): ItemSpan[] {
  return items.flatMap((item) => {
    const clauses = splitClauses(textOf(doc, item), item.start).flatMap((c) =>
      splitSentences(c.text, c.start),
    );
    if (clauses.filter((c) => holds(c.text)).length < 2) return [item];
    // A clause that holds it keeps the condition clauses just before it ("对于需要补建的，原则上于12月底前完成"):
    // they say what the figure or the date is for.
    const out: ItemSpan[] = [];
    let from: number | null = null;
    for (const c of clauses) {
      if (holds(c.text)) {
        out.push({ start: from ?? c.start, end: c.end });
        from = null;
      } else if (CONDITION_CLAUSE.test(c.text)) from ??= c.start;
      else from = null;
    }
    return out;
  });
}

/** A paragraph of running text: longer than a signature or a date line, or with a clause mark. */
function isRunningText(doc: StructuredDocument, p: Paragraph): boolean {
  const text = textOf(doc, p);
  return p.kind === 'body' && ([...text].length > LEAD_SENTENCE || /[，。；]/u.test(text));
}

/**
 * The running-text paragraphs outside any section around one (a notice's own text between its salutation and
 * its signature, "现转发给你们……各地、各部门要……"), in order; empty when the paragraph is not one of them.
 */
function unsectionedRun(doc: StructuredDocument, index: number): Paragraph[] {
  const para = doc.paragraphs[index];
  if (!para || !isRunningText(doc, para)) return [];
  const inRun = (p: Paragraph | undefined): p is Paragraph =>
    p !== undefined && p.part === para.part && p.section === null && isRunningText(doc, p);
  let from = index;
  let to = index;
  while (inRun(doc.paragraphs[from - 1])) from--;
  while (inRun(doc.paragraphs[to + 1])) to++;
  const run = doc.paragraphs.slice(from, to + 1);
  const chars = run.reduce((a, p) => a + p.end - p.start, 0);
  return chars <= MAX_BLOCK_CHARS ? run : [];
}

/** Whether a part holds a run of two or more running-text paragraphs outside any section. */
function hasRun(doc: StructuredDocument, part: number): boolean {
  return doc.paragraphs.some(
    (p, i) => p.part === part && p.section === null && unsectionedRun(doc, i).length >= 2,
  );
}

/**
 * Candidate blocks around one paragraph: the paragraph itself (its sentences), and each section holding it,
 * innermost first, up to the part (or the part itself when no section holds the paragraph and it is short).
 */
export function blocksAround(doc: StructuredDocument, paragraphIndex: number): ListBlock[] {
  const para = doc.paragraphs[paragraphIndex];
  if (!para) return [];
  const out: ListBlock[] = [];
  const own = sentenceItems(doc, [para]);
  if (own.items.length >= 2) {
    out.push({
      doc,
      part: para.part,
      path: sectionPath(doc, para.section),
      heading: own.lead,
      announced: isLeadIn(own.lead),
      start: para.start,
      end: para.end,
      kind: own.parts ? 'parts' : 'sentences',
      items: own.items,
    });
  }
  for (let s = para.section; s !== null; s = doc.sections[s]?.parent ?? null) {
    const section = doc.sections[s];
    if (!section) break;
    if (section.end - section.start > MAX_BLOCK_CHARS) break;
    const found = sectionItems(doc, section);
    if (!found || found.items.length < 2) continue;
    out.push({
      doc,
      part: section.part,
      path: sectionPath(doc, s),
      heading: [squash(section.heading), found.lead].filter(Boolean).join(' '),
      announced: found.announced,
      start: section.start,
      end: section.end,
      kind: found.kind,
      items: found.items,
    });
  }
  const run = para.section === null ? unsectionedRun(doc, paragraphIndex) : [];
  if (run.length >= 2) {
    const found = sentenceItems(doc, run);
    const first = run[0];
    const last = run.at(-1);
    if (found.items.length >= 2 && first && last) {
      out.push({
        doc,
        part: para.part,
        path: [],
        heading: found.lead,
        announced: isLeadIn(found.lead),
        start: first.start,
        end: last.end,
        kind: 'notice',
        items: found.items,
      });
    }
  }
  const part = doc.parts[para.part];
  // A part's unsectioned paragraphs are one block when they hold no run of running text (which is one already).
  if (para.section === null && part && part.end - part.start <= MAX_BLOCK_CHARS && !hasRun(doc, para.part)) {
    const paras = doc.paragraphs.filter((p) => p.part === para.part && p.kind === 'body');
    const found = sentenceItems(doc, paras);
    if (found.items.length >= 2) {
      out.push({
        doc,
        part: para.part,
        path: [],
        heading: found.lead,
        announced: isLeadIn(found.lead),
        start: part.start,
        end: part.end,
        kind: 'sentences',
        items: found.items,
      });
    }
  }
  return out;
}
