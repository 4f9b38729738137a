/**
 * Extractive answers: score the sentences (and, for long sentences, the clauses) of the top passages
 * against the query, keep the few best non-redundant ones within the length budget, and compose them
 * with a short framing in the question's language, each followed by its citation `[n]`.
 * Quotes stay verbatim (Chinese) whatever the question's language.
 */
import { YEAR } from '../internal/dates.js';
import { analyzeQuery } from '../keyword/translate.js';
import type { Chunk, Citation, Language, RetrievalResult } from '../types.js';
import { buildCitation } from './citations.js';
import { splitClauses, splitSentences, stripTrailingPunctuation } from './sentences.js';
import {
  BOILERPLATE,
  bigrams,
  contentTerms,
  includesTerm,
  jaccard,
  overlapRatio,
  weightTerms,
} from './text-features.js';

/** A candidate answer unit: a sentence or a clause of one retrieved passage. */
export interface ScoredUnit {
  /** Index into `RetrievalResult.passages`. */
  passageIndex: number;
  chunk: Chunk;
  /** Offsets inside `chunk.text`. */
  start: number;
  end: number;
  text: string;
  score: number;
  /** Weighted share of the query terms this unit contains (0..1). */
  termCoverage: number;
  matchedTerms: string[];
}

export interface ExtractiveOptions {
  /** Budget for the composed answer in characters (framing included, approximately). */
  maxChars: number;
  /** Passages considered, best first. */
  maxPassages?: number;
  /** Units composed at most. */
  maxUnits?: number;
  /** The year a chunk's paragraph is about ("2021年，…" opens it), when the layout says so. */
  paragraphYear?: (chunk: Chunk) => number | null;
}

export interface ExtractiveResult {
  text: string;
  citations: Citation[];
  /** The units used, in answer order. */
  units: ScoredUnit[];
  /** Every scored candidate, best first (for refusal signals and debugging). */
  candidates: ScoredUnit[];
}

/** Sentences longer than this are also offered clause by clause, to keep answers concise. */
const LONG_SENTENCE = 80;
/** A unit joins the answer only when it scores at least this share of the best unit... */
const RELATIVE_KEEP = 0.7;
/** ...and at least this absolute score. */
const ABSOLUTE_KEEP = 0.1;
/** A unit of an already cited passage adding no new query term still joins at this share of the best. */
const NEAR_BEST = 0.9;
/** Units this similar (bigram Jaccard) to one already chosen are redundant. */
const REDUNDANT = 0.5;

const QUANTITY_QUESTION = /多少|几[个家项亿万]|how (many|much)|number of|数量|规模/i;
/** What is left of a unit without years, numbers and punctuation must be at least this long ("2022年，" is not an answer). */
const MIN_WORDS = 4;

/**
 * A question about one year ("2021年…", "in 2021") prefers units from paragraphs about that year and
 * disfavours units about another year; questions naming no or several years are left alone.
 */
function yearFactor(askedYear: number | null, unitText: string, paragraphYear: number | null): number {
  if (askedYear === null) return 1;
  const own = [...unitText.matchAll(YEAR)].map((m) => Number(m[0]));
  const year = own.length > 0 ? own : paragraphYear === null ? [] : [paragraphYear];
  if (year.length === 0) return 1;
  return year.includes(askedYear) ? 1.3 : 0.75;
}
const QUANTITY_UNIT = /\d[\d.]*\s*[%万亿千百个家项件户]|[一二三四五六七八九十百千万]+[个家项件]/u;

/**
 * Term weights from the query analyzer (the same analysis the keyword retriever ran on the query), so
 * translated candidates of an English question count by their dictionary rank. Unknown terms get 1.
 */
function queryTermWeights(retrieval: RetrievalResult): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const t of analyzeQuery(retrieval.query, retrieval.language).terms) out.set(t.term, t.weight);
  } catch {
    // The analyzer never throws by contract; equal weights are a safe fallback anyway.
  }
  return out;
}

function namesIssuer(chunk: Chunk, term: string): boolean {
  return (
    term.length >= 2 &&
    ((chunk.issuer?.includes(term) ?? false) || (chunk.issuerFull?.includes(term) ?? false))
  );
}

/** Scores every sentence/clause of the top passages against the query; best first. */
export function scoreUnits(
  question: string,
  retrieval: RetrievalResult,
  maxPassages = 6,
  paragraphYear: (chunk: Chunk) => number | null = () => null,
): ScoredUnit[] {
  const askedYears = [...new Set([...question.matchAll(YEAR)].map((m) => Number(m[0])))];
  const askedYear = askedYears.length === 1 ? (askedYears[0] ?? null) : null;
  const passages = retrieval.passages.slice(0, maxPassages);
  const terms = contentTerms(retrieval.terms);
  const weights = weightTerms(terms, passages, queryTermWeights(retrieval));
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  // Question bigrams carry phrasing the segmenter may have split differently; for English questions
  // only the Chinese in the question and the (translated) terms give bigrams.
  const qGrams = bigrams(`${question} ${terms.join(' ')}`);
  const asksQuantity = QUANTITY_QUESTION.test(question);

  // A term naming the passage's own issuer ("科技司") is satisfied by the passage's metadata:
  // it counts for every unit of that passage alike instead of favouring the sentence that repeats it.
  // Pieces of a longer query term (the analyzer's bigrams of "中小企业", of the phrase "小型企业") add
  // nothing when the longer term matched too, and count half on their own: they are weaker evidence.
  const pieceOf = new Map(terms.map((t) => [t, terms.filter((u) => u !== t && u.includes(t))]));
  const weighted = (text: string, chunk: Chunk) => {
    const matched = terms.filter((t) => includesTerm(text, t) || namesIssuer(chunk, t));
    let sum = 0;
    for (const t of matched) {
      const parents = pieceOf.get(t) ?? [];
      if (parents.some((u) => matched.includes(u))) continue;
      sum += (weights.get(t) ?? 0) * (parents.length > 0 ? 0.5 : 1);
    }
    return { cov: total > 0 ? Math.min(1, sum / total) : 0, matched };
  };

  const out: ScoredUnit[] = [];
  passages.forEach((p, passageIndex) => {
    const text = p.chunk.text;
    const passCov = weighted(text, p.chunk).cov;
    const rankFactor = 1 / (1 + 0.08 * passageIndex);
    const year = paragraphYear(p.chunk);
    const candidates: Array<{ start: number; end: number; text: string }> = [];
    for (const s of splitSentences(text)) {
      candidates.push(s);
      if (s.text.length > LONG_SENTENCE) candidates.push(...splitClauses(s.text, s.start));
    }
    for (const c of candidates) {
      const core = stripTrailingPunctuation(c.text);
      if ([...core.replace(/[\d\p{P}\s]|年/gu, '')].length < MIN_WORDS) continue;
      const { cov, matched } = weighted(c.text, p.chunk);
      const distinct = terms.length > 0 ? matched.length / terms.length : 0;
      const bg = overlapRatio(qGrams, bigrams(c.text));
      const len = [...c.text].length;
      // Concise units read better; very short clauses are usually fragments ("面向碳达峰碳中和").
      const lengthFactor = len < 8 ? 0.6 : len < 12 ? 0.8 : len > 120 ? 0.65 : len > LONG_SENTENCE ? 0.85 : 1;
      let score = (0.45 * cov + 0.15 * distinct + 0.25 * bg + 0.15 * passCov) * lengthFactor * rankFactor;
      if (BOILERPLATE.test(c.text)) score *= 0.5;
      if (asksQuantity && QUANTITY_UNIT.test(c.text)) score += 0.1;
      score *= yearFactor(askedYear, c.text, year);
      out.push({
        passageIndex,
        chunk: p.chunk,
        start: c.start,
        end: c.end,
        text: c.text,
        score,
        termCoverage: cov,
        matchedTerms: matched,
      });
    }
  });
  return out.sort((a, b) => b.score - a.score);
}

/** Document-level offsets, so the same sentence seen in two overlapping chunks is recognised. */
function docSpan(u: ScoredUnit): { doc: string; start: number; end: number } {
  return { doc: u.chunk.docId, start: u.chunk.start + u.start, end: u.chunk.start + u.end };
}

function overlaps(a: ScoredUnit, b: ScoredUnit): boolean {
  const x = docSpan(a);
  const y = docSpan(b);
  return x.doc === y.doc && x.start < y.end && y.start < x.end;
}

/** Picks the few best non-redundant units within the character budget. */
export function selectUnits(candidates: ScoredUnit[], maxChars: number, maxUnits = 3): ScoredUnit[] {
  const best = candidates[0];
  if (!best) return [];
  const chosen: ScoredUnit[] = [];
  const covered = new Set<string>();
  const grams: Set<string>[] = [];
  // Framing and citation markers take roughly this much of the budget.
  let budget = Math.max(40, maxChars - 24);
  for (const c of candidates) {
    if (chosen.length >= maxUnits) break;
    if (c.score < ABSOLUTE_KEEP && chosen.length > 0) break;
    if (c.score < best.score * RELATIVE_KEEP) break;
    const len = [...c.text].length + 4;
    if (len > budget) continue;
    if (chosen.some((x) => overlaps(x, c))) continue;
    const g = bigrams(c.text);
    if (grams.some((x) => jaccard(x, g) >= REDUNDANT)) continue;
    // A further unit must bring a query term the answer lacks; a unit of an already cited passage that is
    // nearly as good as the best may join without one (it costs no extra citation). A second source
    // repeating the same terms would only lengthen the answer.
    const adds = c.matchedTerms.some((t) => !covered.has(t));
    const samePassage = chosen.some((x) => x.chunk.id === c.chunk.id);
    if (chosen.length > 0 && !adds && !(samePassage && c.score >= best.score * NEAR_BEST)) continue;
    chosen.push(c);
    grams.push(g);
    for (const t of c.matchedTerms) covered.add(t);
    budget -= len;
  }
  if (chosen.length === 0) {
    // Every candidate is longer than the budget: cut the best one at a clause boundary.
    const clauses = splitClauses(best.text, best.start);
    let end = best.start;
    for (const cl of clauses) {
      if (cl.end - best.start > maxChars - 24 && end > best.start) break;
      end = cl.end;
    }
    chosen.push({ ...best, end, text: best.chunk.text.slice(best.start, end) });
  }
  return chosen;
}

/** A clause's quote ends before its trailing comma; a sentence keeps its full stop. */
function quoteEnd(u: ScoredUnit): number {
  const trimmed = u.text.replace(/[，、：；,:;\s]+$/u, '');
  return u.start + trimmed.length;
}

function issuerLabel(chunk: Chunk): string {
  return chunk.issuer ?? chunk.issuerFull ?? `《${chunk.docTitle}》`;
}

/**
 * Orders units for reading: grouped by issuer (groups in order of their best unit),
 * document order inside a group. Numbers citations by first use, one per passage.
 */
export function renderExtractive(
  units: ScoredUnit[],
  language: Language,
): { text: string; citations: Citation[]; units: ScoredUnit[] } {
  const groups = new Map<string, ScoredUnit[]>();
  for (const u of units) {
    const key = issuerLabel(u.chunk);
    const list = groups.get(key) ?? [];
    list.push(u);
    groups.set(key, list);
  }
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const ordered: ScoredUnit[] = [];
  const cite = (u: ScoredUnit): number => {
    const existing = numberOf.get(u.chunk.id);
    if (existing !== undefined) return existing;
    const n = citations.length + 1;
    numberOf.set(u.chunk.id, n);
    citations.push(buildCitation(n, u.chunk, u.start, quoteEnd(u)));
    return n;
  };
  const parts: string[] = [];
  let groupIndex = 0;
  for (const [label, list] of groups) {
    list.sort((a, b) => docSpan(a).start - docSpan(b).start);
    const first = list[0];
    if (!first) continue;
    const full = first.chunk.issuerFull;
    const quoted = list.map((u) => {
      ordered.push(u);
      const n = cite(u);
      const body = stripTrailingPunctuation(u.text);
      return language === 'zh' ? `${body}[${n}]` : `“${body}” [${n}]`;
    });
    if (language === 'zh') {
      const lead = groupIndex === 0 ? `根据${label}的工作安排：` : `此外，据${label}：`;
      parts.push(`${lead}${quoted.join('；')}。`);
    } else {
      const who = full && full !== label ? `${label} (${full})` : label;
      const lead = groupIndex === 0 ? `According to the work plan of ${who}:` : `In addition, ${who}:`;
      parts.push(`${lead} ${quoted.join('; ')}.`);
    }
    groupIndex++;
  }
  // A passage cited by several units keeps the span covering them as its quote when that stays short;
  // otherwise the best unit (the first one cited) remains the quote.
  for (const c of citations) {
    const mine = ordered.filter((u) => u.chunk.id === c.passageId);
    if (mine.length > 1) {
      const chunk = mine[0]?.chunk;
      const start = Math.min(...mine.map((u) => u.start));
      const end = Math.max(...mine.map((u) => u.end));
      const sum = mine.reduce((a, u) => a + (u.end - u.start), 0);
      const last = mine.reduce((a, u) => (u.end > a.end ? u : a));
      if (chunk && end - start <= sum * 1.5)
        Object.assign(c, buildCitation(c.n, chunk, start, quoteEnd(last)));
    }
  }
  return { text: language === 'zh' ? parts.join('') : parts.join(' '), citations, units: ordered };
}

/** The extractive answer for a retrieval result (no refusal decision here; see coverage.ts). */
export function composeExtractive(
  question: string,
  language: Language,
  retrieval: RetrievalResult,
  options: ExtractiveOptions,
): ExtractiveResult {
  const candidates = scoreUnits(question, retrieval, options.maxPassages ?? 6, options.paragraphYear);
  const units = selectUnits(candidates, options.maxChars, options.maxUnits ?? 3);
  const rendered = renderExtractive(units, language);
  return { ...rendered, candidates };
}
