import type { Logger } from '../logging/logger.js';
import { splitSentences } from '../node-parser/sentence-splitter.js';
import type {
  DocumentPart,
  Issuer,
  Paragraph,
  ParagraphKind,
  ParagraphNumbering,
  Section,
  StructuredDocument,
} from '../types.js';
import { type CleanParagraph, cleanText } from './clean-text.js';
import { detectMetadata } from './metadata/detect-metadata.js';
import { shortOrganizationName, unspace } from './metadata/organizations.js';
import { looksLikeTitle } from './metadata/title.js';
import { numberingOf } from './structure/numbering.js';
import {
  hasClausePunct,
  isEditorsNote,
  isEnumeratedHeading,
  isHeadingLike,
  isYearIntro,
  MAX_HEADING_CHARS,
  parseByline,
  startsInSectionEnum,
} from './text-rules.js';
import type { SourceDocument } from './types.js';

/** Most commas a headline-style lead sentence has ("提升…层次，迈出…新步伐。" has one). */
const MAX_LEAD_COMMAS = 2;
const MIN_LEAD_CHARS = 6;
/** A numbered paragraph this short (without its number) is a heading; longer ones are items of a list. */
const MAX_NUMBERED_HEADING = 40;
/** Ranks of headings the format marked without numbering, by level (markdown ## → 0.5, ### → 1.5 …). */
const markedRank = (level: number) => Math.max(0, level - 2) + 0.5;
/** Rank of a column article's section leads (they sit where 一、 would). */
const LEAD_RANK = 4;

/**
 * The first sentence of a body paragraph is a section lead when it reads like a headline: short
 * (≤ MAX_HEADING_CHARS), ends with 。 or ！, has one or two comma-separated parts and no ；：, and does not
 * open with a year ("2022年，…" intros frame the whole article) or an in-section enumerator ("一是…", "首先…").
 * It either heads the rest of its paragraph or stands alone and heads the paragraphs that follow.
 */
export function leadSentence(
  paragraphText: string,
  baseOffset: number,
): { lead: string; start: number; end: number } | null {
  if (isYearIntro(paragraphText) || startsInSectionEnum(paragraphText) || isEditorsNote(paragraphText))
    return null;
  // Only the head of the paragraph can hold the lead; a first sentence cut by this slice has no 。 and fails below.
  const first = splitSentences(paragraphText.slice(0, MAX_HEADING_CHARS * 2), baseOffset)[0];
  if (!first) return null;
  const s = first.text;
  const len = s.replace(/\s+/g, '').length;
  if (len < MIN_LEAD_CHARS || len > MAX_HEADING_CHARS) return null;
  if (!/[。！!]$/u.test(s) || /[；;：:]/u.test(s)) return null;
  const commas = (s.match(/[，,]/gu) ?? []).length;
  if (commas < 1 || commas > MAX_LEAD_COMMAS) return null;
  return { lead: s, start: first.start, end: first.end };
}

interface Draft {
  clean: CleanParagraph;
  text: string;
  kind: ParagraphKind;
  part: number;
}

const stripFinal = (s: string) => s.replace(/[。；;.．]+$/u, '').trim();

/** A numbered paragraph's heading, if it is one: the whole short line, an article's number, or its lead sentence. */
function numberedHeading(
  text: string,
  start: number,
  numbering: NonNullable<ReturnType<typeof numberingOf>>,
  next: string | undefined,
): { heading: string; start: number; end: number } | null {
  if (numbering.style === 'article') {
    return { heading: numbering.label, start, end: start + numbering.label.length };
  }
  const rest = numbering.rest;
  if (rest.length === 0) return null;
  // "（一）准入条件。" or "一、总体要求" alone: a heading when something it heads follows — not a sibling or an
  // outer item ("（七）法律法规规定的其他权利和义务" before "第七条" ends a list). "（一）有…名称；" is an item.
  const nextNumbering = next === undefined ? null : numberingOf(next);
  const headsSomething =
    next !== undefined && (nextNumbering === null || nextNumbering.rank > numbering.rank);
  if (headsSomething && rest.length <= MAX_NUMBERED_HEADING && !/[；;，,、：:]$/u.test(rest)) {
    const sentences = splitSentences(rest);
    if (sentences.length <= 1)
      return { heading: stripFinal(text), start, end: start + stripFinal(text).length };
  }
  // "（一）推进分级分类管理。纳入规划的电网项目…": the bold lead sentence heads the paragraph.
  const lead = splitSentences(text, start)[0];
  if (
    lead &&
    lead.end - lead.start <= MAX_NUMBERED_HEADING + numbering.label.length &&
    /[。！]$/u.test(lead.text)
  ) {
    const body = text.slice(lead.end - start).trim();
    if (body.length > 0 && !/[；;：:，,]/u.test(lead.text.slice(numbering.label.length, -1))) {
      return {
        heading: stripFinal(lead.text),
        start: lead.start,
        end: lead.start + stripFinal(lead.text).length,
      };
    }
  }
  return null;
}

const PART_TITLE_AFTER = new Set<ParagraphKind>(['signature', 'note', 'attachment']);

/**
 * Cleans a source document, detects its metadata and its structure with general rules only (nothing specific
 * to one file):
 * - parts: the document; the articles of a column (a heading-like title followed by an organisation byline);
 *   the attachments that follow a closing signature (附件, the rules a 印发 notice issues);
 * - sections: numbered headings (第X章/第X节/第X条, 一、/（一）/1./（1）, 1.1), headings the format marked,
 *   and, in documents without numbering, headline-style lead sentences;
 * - metadata: see `detectMetadata`.
 */
export function structureDocument(
  source: SourceDocument,
  options: { logger?: Logger } = {},
): StructuredDocument {
  const cleaned = cleanText(source);
  options.logger?.debug(
    {
      docId: source.id,
      joins: cleaned.joins,
      removed: cleaned.removed,
      dropped: cleaned.dropped,
      paragraphs: cleaned.paragraphs.length,
    },
    'cleaned document layout',
  );
  const text = cleaned.text;
  const drafts: Draft[] = cleaned.paragraphs.map((p) => ({
    clean: p,
    text: text.slice(p.start, p.end),
    kind: p.role,
    part: 0,
  }));

  // Parts: column articles (title + byline) and attachments (a title after a closing block).
  const parts: DocumentPart[] = [];
  const isTitleCandidate = (d: Draft): boolean =>
    d.clean.headingLevel > 0 || isHeadingLike(d.text) || isEnumeratedHeading(d.text);
  for (let i = 0; i + 1 < drafts.length; i++) {
    const d = drafts[i] as Draft;
    const next = drafts[i + 1] as Draft;
    if (
      (d.kind === 'body' || d.kind === 'heading') &&
      isTitleCandidate(d) &&
      next.clean.headingLevel === 0 &&
      parseByline(next.text)
    ) {
      d.kind = 'part-title';
      next.kind = 'byline';
    }
  }
  const firstDraft = drafts[0];
  if (firstDraft && firstDraft.kind !== 'title' && !drafts.some((d) => d.kind === 'title')) {
    // No title block: a first paragraph that is heading-like is the document's (a column's) title.
    if ((firstDraft.kind === 'body' || firstDraft.kind === 'heading') && isTitleCandidate(firstDraft))
      firstDraft.kind = 'title';
  }
  const firstArticle = drafts.findIndex((d) => d.kind === 'part-title');
  for (const [i, d] of drafts.entries()) {
    if (d.kind === 'body' && isEditorsNote(d.text) && (firstArticle < 0 || i < firstArticle))
      d.kind = 'editors-note';
  }
  for (let i = 1; i < drafts.length; i++) {
    const d = drafts[i] as Draft;
    const prev = drafts[i - 1] as Draft;
    const candidate = d.kind === 'title' || (d.kind === 'body' && looksLikeTitle(unspace(d.text)));
    if (candidate && i > 1 && (PART_TITLE_AFTER.has(prev.kind) || /^附\s*件\s*\d*$/u.test(prev.text))) {
      d.kind = 'part-title';
    }
  }
  const main: DocumentPart = { index: 0, kind: 'main', title: '', issuer: null, start: 0, end: text.length };
  parts.push(main);
  let part = main;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as Draft;
    if (d.kind === 'part-title') {
      part.end = drafts[i - 1]?.clean.end ?? part.end;
      const byline = drafts[i + 1]?.kind === 'byline' ? parseByline((drafts[i + 1] as Draft).text) : null;
      part = {
        index: parts.length,
        kind: byline ? 'article' : 'attachment',
        title: unspace(d.text),
        issuer: byline,
        start: d.clean.start,
        end: text.length,
      };
      parts.push(part);
    }
    d.part = part.index;
  }
  // A column whose first article starts at once has nothing in its main part but the column title.

  // Sections, per part.
  const sections: Section[] = [];
  const sectionOf: (number | null)[] = drafts.map(() => null);
  const numberingOfDraft: (ParagraphNumbering | null)[] = drafts.map(() => null);
  const hasNumberedHeadings = new Set<number>();
  for (const d of drafts) {
    if ((d.kind === 'body' || d.kind === 'heading') && numberingOf(d.text)) hasNumberedHeadings.add(d.part);
  }
  let stack: Section[] = [];
  let currentPart = -1;
  let headingSections = false;
  const open = (heading: string, label: string | null, rank: number, d: Draft, hs: number, he: number) => {
    while (stack.length > 0 && (stack[stack.length - 1] as Section).rank >= rank) stack.pop();
    const parent = stack[stack.length - 1] ?? null;
    const section: Section = {
      index: sections.length,
      part: d.part,
      heading,
      label,
      rank,
      parent: parent?.index ?? null,
      headingStart: hs,
      headingEnd: he,
      start: d.clean.start,
      end: d.clean.end,
    };
    sections.push(section);
    stack.push(section);
  };
  for (const [i, d] of drafts.entries()) {
    if (d.part !== currentPart) {
      stack = [];
      currentPart = d.part;
      headingSections = false;
    }
    const { start } = d.clean;
    if (d.kind === 'heading' || d.kind === 'body') {
      const numbering = numberingOf(d.text);
      if (numbering) {
        numberingOfDraft[i] = {
          style: numbering.style,
          label: numbering.label,
          value: numbering.value,
          rank: numbering.rank,
        };
        const next = drafts[i + 1];
        const nextText = next && next.part === d.part && next.kind === 'body' ? next.text : undefined;
        const h =
          d.kind === 'heading'
            ? { heading: stripFinal(d.text), start, end: d.clean.end }
            : numberedHeading(d.text, start, numbering, nextText);
        if (h) {
          open(h.heading, numbering.label, numbering.rank, d, h.start, h.end);
          if (h.end >= d.clean.end - 1 || d.kind === 'heading') d.kind = 'heading';
        }
      } else if (d.kind === 'heading') {
        open(stripFinal(d.text), null, markedRank(d.clean.headingLevel), d, start, d.clean.end);
      } else if (!hasNumberedHeadings.has(d.part)) {
        // Documents without numbering (a newspaper column): short heading lines, else headline-style leads.
        if (isTitleCandidate(d) && !isYearIntro(d.text) && !hasClausePunct(d.text.slice(-1))) {
          open(stripFinal(d.text), null, LEAD_RANK, d, start, d.clean.end);
          headingSections = true;
          d.kind = 'heading';
        } else if (!headingSections) {
          const lead = leadSentence(d.text, start);
          if (lead) {
            const heading = stripFinal(lead.lead);
            open(heading, null, LEAD_RANK, d, lead.start, lead.start + heading.length);
          }
        }
      }
    }
    sectionOf[i] = stack[stack.length - 1]?.index ?? null;
  }
  // Each section spans up to the next section of the same or a higher level in its part.
  for (const s of sections) {
    const next = sections.find((t) => t.index > s.index && (t.part !== s.part || t.rank <= s.rank));
    const partEnd = parts[s.part]?.end ?? text.length;
    s.end = next && next.part === s.part ? next.start - 2 : partEnd;
    if (s.end < s.start) s.end = s.start;
  }

  const paragraphs: Paragraph[] = drafts.map((d, index) => ({
    index,
    kind: d.kind,
    start: d.clean.start,
    end: d.clean.end,
    part: d.part,
    section: sectionOf[index] ?? null,
    numbering: numberingOfDraft[index] ?? null,
    page: d.clean.page,
  }));

  const partIssuers: Issuer[] = [];
  for (const p of parts) {
    if (p.issuer && !partIssuers.some((i) => i.full === p.issuer?.full)) partIssuers.push(p.issuer);
  }
  const firstPartEnd = parts[1]?.start ?? text.length;
  const meta = detectMetadata({
    source,
    cleaned,
    firstPart: cleaned.paragraphs.filter((p) => p.start < firstPartEnd),
    partIssuers,
  });
  main.title = meta.title;
  main.issuer = null;
  for (const p of parts) {
    if (p.issuer) p.issuer = { short: shortOrganizationName(p.issuer.full), full: p.issuer.full };
  }
  return {
    id: source.id,
    sourcePath: source.path,
    meta,
    cleanedText: text,
    contentHash: source.contentHash,
    paragraphs,
    parts,
    sections,
  };
}

/** The heading path of a section, outermost first. */
export function sectionPath(doc: StructuredDocument, sectionIndex: number | null): string[] {
  return headingPath(sectionIndex, (i) => doc.sections[i]);
}

/** The headings from the top section down to section `index`, given how to read a section's heading and parent. */
export function headingPath(
  index: number | null,
  sectionAt: (i: number) => Pick<Section, 'heading' | 'parent'> | undefined,
): string[] {
  const path: string[] = [];
  let current = index === null ? undefined : sectionAt(index);
  while (current) {
    path.unshift(current.heading);
    current = current.parent === null ? undefined : sectionAt(current.parent);
  }
  return path;
}
