/**
 * How-much / how-many answers from the key figures stored at index time (src/figures). Retrieval ranks clauses
 * by the words they share with the question, so it may quote the clause that names the topic without its number
 * ("国务院常务会议" in a sentence about a meeting's date, not the one saying how often it meets). When the
 * question asks for one figure and none of the clauses the extractive answer cites holds a figure whose subject
 * the question names, the stored figure that does — in the documents retrieval found, of the year the question
 * names — is the answer, cited with its verbatim quote.
 *
 * A question that states numbers of its own (other than years) is left to retrieval: the clause holding them is
 * what it asks about.
 *
 * General rules only: a subject "matches" when the question's search terms (segmented, translated for English
 * questions) cover enough of it; no list of subjects or documents.
 */
import { yearsIn } from '../internal/dates.js';
import type { Chunk, Citation, Figure, Language, RetrievalResult } from '../types.js';
import { buildCitation } from './citations.js';
import { sourceLabel } from './extractive.js';
import { stripTrailingPunctuation } from './sentences.js';
import { contentTerms, includesTerm } from './text-features.js';

/** What the answer layer needs from the index to answer from figures. */
export interface FigureSource {
  /** The figures of these documents (each with the passage holding it). */
  figuresOf(docIds: readonly string[]): Figure[];
  /** A passage by id. */
  chunk(passageId: string): Chunk | undefined;
}

/** Documents of the best passages whose figures are looked at. */
const FIGURE_DOCS_FROM_PASSAGES = 5;
/** A subject matches when the question's terms cover this share of its characters… */
const SUBJECT_SHARE = 0.5;
/** …and at least this many of them (one two-character word is too little: 产量, 目标). */
const SUBJECT_CHARS = 3;

const HAN = /\p{Script=Han}/gu;

/** Terms of the question worth matching against a subject: content words of two characters or more, no years. */
function questionTerms(retrieval: RetrievalResult): string[] {
  return contentTerms(retrieval.terms).filter(
    (t) => !/^(?:19|20)\d{2}年?$/u.test(t) && (t.match(HAN)?.length ?? t.length) >= 2,
  );
}

/** How much of a subject the terms name: characters of it covered by some term, and that share of it. */
export function subjectMatch(subject: string, terms: readonly string[]): { chars: number; share: number } {
  const covered = new Array<boolean>(subject.length).fill(false);
  for (const t of terms) {
    if (!includesTerm(subject, t)) continue;
    const lower = subject.toLowerCase();
    for (let at = lower.indexOf(t.toLowerCase()); at >= 0; at = lower.indexOf(t.toLowerCase(), at + 1))
      for (let i = at; i < at + t.length; i++) covered[i] = true;
  }
  const chars = covered.filter(Boolean).length;
  const measured = subject.replace(/[^\p{Script=Han}A-Za-z0-9]/gu, '').length;
  return { chars, share: measured === 0 ? 0 : Math.min(1, chars / measured) };
}

function matches(f: Figure, terms: readonly string[]): { chars: number; share: number } | null {
  const m = subjectMatch(f.subject, terms);
  return m.chars >= SUBJECT_CHARS && m.share >= SUBJECT_SHARE ? m : null;
}

/** The figure answer, or null when the extractive answer already quotes a matching figure or none matches. */
export function answerFromFigures(
  question: string,
  language: Language,
  retrieval: RetrievalResult,
  cited: readonly Citation[],
  source: FigureSource,
): { text: string; citations: Citation[]; figure: Figure } | null {
  // A question that states quantities of its own ("额定容量在350MW到700MW之间…") is about the clause holding
  // them, which retrieval finds by those very numbers.
  if (/\d/u.test(question.replace(/(?<!\d)(?:19|20)\d{2}(?!\d)\s*年?/gu, ''))) return null;
  const terms = questionTerms(retrieval);
  if (terms.length === 0) return null;
  const docIds = [
    ...new Set(retrieval.passages.slice(0, FIGURE_DOCS_FROM_PASSAGES).map((p) => p.chunk.docId)),
  ];
  if (docIds.length === 0) return null;
  const figures = source.figuresOf(docIds).filter((f) => f.kind !== 'date');
  const inCited = (f: Figure) =>
    cited.some((c) => c.doc === f.docId && f.valueStart >= c.start && f.valueEnd <= c.end);
  // The answer already quotes a figure of what is asked: nothing to add.
  if (figures.some((f) => inCited(f) && matches(f, terms))) return null;
  const years = yearsIn(question);
  const year = years.length === 1 ? years[0] : undefined;
  const rank = new Map(docIds.map((id, i) => [id, i]));
  let best: { f: Figure; chars: number; share: number; quote: number } | null = null;
  for (const f of figures) {
    if (year !== undefined && f.year !== null && f.year !== year) continue;
    const m = matches(f, terms);
    if (!m) continue;
    const quote = terms.filter((t) => includesTerm(f.quote, t)).length;
    const better =
      !best ||
      m.chars > best.chars ||
      (m.chars === best.chars &&
        (m.share > best.share ||
          (m.share === best.share &&
            (quote > best.quote ||
              (quote === best.quote && (rank.get(f.docId) ?? 0) < (rank.get(best.f.docId) ?? 0))))));
    if (better) best = { f, ...m, quote };
  }
  if (!best) return null;
  const { f } = best;
  const chunk = f.passageId ? source.chunk(f.passageId) : undefined;
  if (!chunk || f.start < chunk.start || f.end > chunk.end) return null;
  const citation = buildCitation(1, chunk, f.start - chunk.start, f.end - chunk.start);
  const body = stripTrailingPunctuation(citation.quote);
  const where = sourceLabel(chunk);
  const text = language === 'zh' ? `根据${where}：${body}[1]。` : `According to ${where}: “${body}” [1].`;
  return { text, citations: [citation], figure: f };
}
