/**
 * Extractive issuer summary from the document structure: "achievements" bullets from the year
 * intro paragraph(s) of the year before the plan (clauses with key figures or concrete deliverables),
 * and one "priorities" bullet per section lead. Every bullet is a verbatim quote with its citation.
 */
import { buildCitation } from '../answer/citations.js';
import { splitClauses, splitSentences, stripTrailingPunctuation } from '../answer/sentences.js';
import { BOILERPLATE } from '../answer/text-features.js';
import { openingYear } from '../internal/dates.js';
import type { Chunk, Citation, Language, SummaryBullet, SummarySection } from '../types.js';
import type { CitedIssuerSummary, IssuerSummaryInput } from './types.js';

/** Key figures: 超60万个, 2930家, 35亿元, 2.6亿户, 4万多家. */
const KEY_FIGURE = /\d[\d.]*\s*(?:多|余)?\s*[万亿千百]?\s*(?:多|余)?\s*[个家项件户元%]/u;
/** Concrete deliverables. */
const DELIVERABLE =
  /编制|出台|发布|印发|启动|完成|实现|新建|培育|举办|突破|建成|开展|推动|新增|完善|健全|夯实|加快|提升|增强|下降|奠定/u;
/** Openers of review paragraphs, not results. */
const OPENER = /^\s*(?:19|20)\d{2}年|面对|部署|要求/u;
const MAX_ACHIEVEMENTS = 5;
const LONG_SENTENCE = 60;

interface Span {
  start: number;
  end: number;
  text: string;
}

/** The chunk holding [start, end) of the document (chunks overlap; the first containing one wins). */
export function chunkContaining(chunks: readonly Chunk[], start: number, end: number): Chunk | null {
  return chunks.find((c) => c.start <= start && c.end >= end) ?? null;
}

function headings(language: Language, past: number | null, plan: number | null) {
  if (language === 'zh') {
    return {
      achievements: past ? `${past}年主要成绩` : '主要成绩',
      priorities: plan ? `${plan}年工作重点` : '工作重点',
    };
  }
  return {
    achievements: past ? `${past} achievements` : 'Achievements',
    priorities: plan ? `${plan} priorities` : 'Priorities',
  };
}

/** Years of the article's intro paragraphs: the plan year is the latest, the review year the one before. */
export function articleYears(input: IssuerSummaryInput): {
  past: number | null;
  plan: number | null;
  pastParagraphs: Span[];
} {
  const { doc, part } = input;
  const intros = doc.paragraphs
    .filter((p) => p.part === part.index && p.kind === 'body' && p.section === null)
    .map((p) => ({ start: p.start, end: p.end, text: doc.cleanedText.slice(p.start, p.end) }))
    .map((p) => ({ ...p, year: openingYear(p.text) ?? Number.NaN }))
    .filter((p) => Number.isFinite(p.year));
  if (intros.length === 0) return { past: null, plan: null, pastParagraphs: [] };
  const plan = Math.max(...intros.map((p) => p.year));
  const pastParagraphs = intros.filter((p) => p.year < plan);
  const past = pastParagraphs.length > 0 ? Math.max(...pastParagraphs.map((p) => p.year)) : null;
  return { past, plan, pastParagraphs };
}

/** Achievement clauses of the review paragraphs, best first by (key figure, deliverable), then document order. */
function achievementSpans(paragraphs: readonly Span[]): Span[] {
  const units: Array<Span & { score: number }> = [];
  for (const p of paragraphs) {
    for (const s of splitSentences(p.text, p.start)) {
      const parts = [...s.text].length > LONG_SENTENCE ? splitClauses(s.text, s.start) : [s];
      for (const u of parts) {
        const core = stripTrailingPunctuation(u.text);
        if ([...core].length < 6 || BOILERPLATE.test(core) || OPENER.test(core)) continue;
        const score = (KEY_FIGURE.test(core) ? 2 : 0) + (DELIVERABLE.test(core) ? 1 : 0);
        if (score > 0) units.push({ ...u, score });
      }
    }
  }
  return units
    .sort((a, b) => b.score - a.score || a.start - b.start)
    .slice(0, MAX_ACHIEVEMENTS)
    .sort((a, b) => a.start - b.start);
}

/** Builds the extractive summary of one issuer. */
export function extractiveIssuerSummary(input: IssuerSummaryInput, language: Language): CitedIssuerSummary {
  const { part, chunks } = input;
  const citations: Citation[] = [];
  const cite = (start: number, end: number): number | null => {
    const chunk = chunkContaining(chunks, start, end);
    if (!chunk) return null;
    const existing = citations.find((c) => c.passageId === chunk.id && c.start === start && c.end === end);
    if (existing) return existing.n;
    const n = citations.length + 1;
    citations.push(buildCitation(n, chunk, start - chunk.start, end - chunk.start));
    return n;
  };
  const bullet = (span: Span): SummaryBullet | null => {
    const core = stripTrailingPunctuation(span.text);
    const n = cite(span.start, span.start + core.length);
    return n === null ? null : { text: core, citations: [n] };
  };

  const { past, plan, pastParagraphs } = articleYears(input);
  const h = headings(language, past, plan);
  const sections: SummarySection[] = [];
  const achievements = achievementSpans(pastParagraphs)
    .map(bullet)
    .filter((b): b is SummaryBullet => b !== null);
  if (achievements.length > 0) sections.push({ heading: h.achievements, bullets: achievements });
  const priorities = input.sections
    .map((s) => bullet({ start: s.headingStart, end: s.headingEnd, text: s.heading }))
    .filter((b): b is SummaryBullet => b !== null);
  if (priorities.length > 0) sections.push({ heading: h.priorities, bullets: priorities });
  return {
    issuer: input.issuer,
    partTitle: part.title,
    sections,
    citations,
    mode: 'extractive',
  };
}
