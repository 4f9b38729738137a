/**
 * Document summaries from the document structure, and the one-line gist of a document that an issuer's
 * summary lists. A document's summary lists its main sections, each with the first substantive sentence
 * under it (cited); a section about goals or tasks (主要目标, 重点任务, 工作安排 …) with sub-sections gets
 * them listed too. Every bullet quotes the document verbatim. General rules only: headings, numbering and
 * paragraph kinds come from the structure every loader produces.
 */
import { buildCitation } from '../answer/citations.js';
import { splitClauses, splitSentences, stripTrailingPunctuation } from '../answer/sentences.js';
import { BOILERPLATE } from '../answer/text-features.js';
import type {
  Chunk,
  Citation,
  DocumentPart,
  Issuer,
  Language,
  Section,
  StructuredDocument,
  SummaryBullet,
  SummarySection,
} from '../types.js';
import { chunkContaining } from './extractive-summary.js';
import type { CitedIssuerSummary, IssuerSummaryInput } from './types.js';

/** A top section whose sub-sections are the document's goals or tasks: they are listed one by one. */
const TASKS = /目标|任务|重点|工作安排|举措|措施|主要工作/u;
/** A sentence stating what the document is for ("为了规范…，制定本条例", "现就…通知如下"). */
const PURPOSE = /^(?:第.{1,6}条\s*)?为了?|旨在|制定本|现就|现将|通知如下|意见如下/u;
const MAX_BULLETS = 12;
/** A quoted sentence longer than this is cut after whole clauses (the bullet says so with "…"). */
const MAX_QUOTE = 90;
const MIN_SENTENCE = 8;

interface Span {
  start: number;
  end: number;
  text: string;
  /** Cut after whole clauses of a longer sentence. */
  cut?: boolean;
}

/** The part a document's summary is about: the one with the most top sections (a 印发 notice's attachment). */
export function summaryPart(doc: StructuredDocument): { part: DocumentPart; sections: Section[] } {
  let best: { part: DocumentPart; sections: Section[] } | null = null;
  for (const part of doc.parts) {
    const sections = doc.sections.filter((s) => s.part === part.index && s.parent === null);
    if (!best || sections.length > best.sections.length) best = { part, sections };
  }
  return best ?? { part: doc.parts[0] as DocumentPart, sections: [] };
}

/** The input a document's summary (extractive or LLM) is built from. */
export function documentSummaryInput(
  doc: StructuredDocument,
  allChunks: readonly Chunk[],
): IssuerSummaryInput {
  const { part, sections } = summaryPart(doc);
  const docChunks = allChunks.filter((c) => c.docId === doc.id);
  const inPart = docChunks.filter((c) => c.start >= part.start && c.end <= part.end);
  const issuer: Issuer = doc.meta.issuers[0] ?? { short: doc.meta.title, full: doc.meta.title };
  return { issuer, part, sections, doc, chunks: inPart.length > 0 ? inPart : docChunks };
}

/** The first substantive sentence in [start, end) of body text, cut to whole clauses when long. */
function firstSentence(doc: StructuredDocument, start: number, end: number, prefer?: RegExp): Span | null {
  const candidates: Span[] = [];
  // Framing ("以…为指导") only when the section says nothing else.
  let framing: Span | undefined;
  for (const p of doc.paragraphs) {
    if (p.kind !== 'body' || p.start < start || p.end > end) continue;
    for (const s of splitSentences(doc.cleanedText.slice(p.start, p.end), p.start)) {
      const core = stripTrailingPunctuation(s.text);
      if ([...core].length < MIN_SENTENCE) continue;
      if (BOILERPLATE.test(core)) {
        framing ??= s;
        continue;
      }
      candidates.push(s);
      if (!prefer) break;
    }
    if (!prefer && candidates.length > 0) break;
    if (candidates.length >= 6) break;
  }
  const chosen =
    (prefer ? candidates.find((c) => prefer.test(c.text)) : undefined) ?? candidates[0] ?? framing;
  return chosen ? shorten(chosen) : null;
}

function shorten(sentence: Span): Span {
  if ([...sentence.text].length <= MAX_QUOTE) return sentence;
  let end = sentence.start;
  for (const clause of splitClauses(sentence.text, sentence.start)) {
    if (clause.end - sentence.start > MAX_QUOTE && end > sentence.start) break;
    end = clause.end;
  }
  return { start: sentence.start, end, text: sentence.text.slice(0, end - sentence.start), cut: true };
}

/** Collects citations for verbatim spans of one document, numbered in first-use order. */
function citer(chunks: readonly Chunk[]) {
  const citations: Citation[] = [];
  /** `docId`: the document the span's offsets are in (a list cites several documents). */
  const cite = (span: Span, docId?: string): { text: string; n: number } | null => {
    const core = stripTrailingPunctuation(span.text);
    const shown = span.cut ? `${core}…` : core;
    const end = span.start + core.length;
    const pool = docId === undefined ? chunks : chunks.filter((c) => c.docId === docId);
    const chunk = chunkContaining(pool, span.start, end);
    if (!chunk || core.length === 0) return null;
    const existing = citations.find(
      (c) => c.passageId === chunk.id && c.start === span.start && c.end === end,
    );
    if (existing) return { text: shown, n: existing.n };
    const n = citations.length + 1;
    citations.push(buildCitation(n, chunk, span.start - chunk.start, end - chunk.start));
    return { text: shown, n };
  };
  return { citations, cite };
}

function sectionBullet(
  doc: StructuredDocument,
  section: Section,
  cite: ReturnType<typeof citer>['cite'],
): SummaryBullet | null {
  const sentence = firstSentence(doc, section.start, section.end);
  if (!sentence) return null;
  const cited = cite(sentence);
  if (!cited) return null;
  const heading = section.heading.replace(/[\s\u3000]+/gu, ' ').trim();
  // A heading the quote already opens with ("第一条　为了…") is not repeated.
  const text = cited.text.startsWith(section.heading) ? cited.text : `${heading}：${cited.text}`;
  return { text, citations: [cited.n] };
}

/** Builds the extractive summary of one document: its main sections (and goals/tasks), each cited. */
export function extractiveDocumentSummary(input: IssuerSummaryInput, language: Language): CitedIssuerSummary {
  const { doc, part, sections, chunks } = input;
  const { citations, cite } = citer(chunks);
  const out: SummarySection[] = [];
  const main = sections
    .map((s) => sectionBullet(doc, s, cite))
    .filter((b): b is SummaryBullet => b !== null)
    .slice(0, MAX_BULLETS);
  if (main.length === 0) {
    // No headings: the first sentences of its first paragraphs.
    const bullets: SummaryBullet[] = [];
    for (const p of doc.paragraphs) {
      if (bullets.length >= 5) break;
      if (p.kind !== 'body' || p.part !== part.index) continue;
      const sentence = firstSentence(doc, p.start, p.end);
      const cited = sentence ? cite(sentence) : null;
      if (cited) bullets.push({ text: cited.text, citations: [cited.n] });
    }
    if (bullets.length > 0) out.push({ heading: language === 'zh' ? '主要内容' : 'Main points', bullets });
  } else {
    out.push({ heading: language === 'zh' ? '主要内容' : 'Main sections', bullets: main });
  }
  for (const top of sections) {
    if (!TASKS.test(top.heading)) continue;
    const children = doc.sections.filter((s) => s.parent === top.index);
    const bullets = children
      .map((s) => sectionBullet(doc, s, cite))
      .filter((b): b is SummaryBullet => b !== null)
      .slice(0, MAX_BULLETS);
    if (bullets.length > 0) out.push({ heading: top.heading.replace(/[\s\u3000]+/gu, ' '), bullets });
  }
  return {
    issuer: input.issuer,
    partTitle: doc.meta.title,
    sections: out,
    citations,
    mode: 'extractive',
    document: documentRef(doc),
  };
}

/** How a summary names the document it is about. */
export function documentRef(doc: StructuredDocument) {
  return { id: doc.id, title: doc.meta.title, docNumber: doc.meta.docNumber, date: doc.meta.date };
}

/**
 * The summary of several documents (an issuer's, or those a name fits): one line each — its title, 文号
 * and date, and the sentence saying what it is for (or its first substantive one), cited.
 */
export function documentListSummary(
  issuer: Issuer,
  heading: string,
  docs: readonly { doc: StructuredDocument; chunks: readonly Chunk[] }[],
  language: Language,
): CitedIssuerSummary {
  const all = docs.flatMap((d) => d.chunks);
  const { citations, cite } = citer(all);
  const bullets: SummaryBullet[] = [];
  for (const { doc } of docs) {
    const { part } = summaryPart(doc);
    const main = doc.parts[0] ?? part;
    const sentence =
      firstSentence(doc, main.start, main.end, PURPOSE) ?? firstSentence(doc, part.start, part.end, PURPOSE);
    const cited = sentence ? cite(sentence, doc.id) : null;
    const facts = [doc.meta.docNumber, doc.meta.date].filter(Boolean).join(language === 'zh' ? '，' : ', ');
    const name =
      language === 'zh'
        ? `《${doc.meta.title}》${facts ? `（${facts}）` : ''}`
        : `“${doc.meta.title}”${facts ? ` (${facts})` : ''}`;
    if (cited)
      bullets.push({ text: `${name}${language === 'zh' ? '：' : ': '}${cited.text}`, citations: [cited.n] });
  }
  return {
    issuer,
    partTitle: heading === issuer.full ? '' : heading,
    sections: bullets.length > 0 ? [{ heading: language === 'zh' ? '文件' : 'Documents', bullets }] : [],
    citations,
    mode: 'extractive',
  };
}
