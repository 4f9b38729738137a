/**
 * Extractive answers: score the sentences (and, for long sentences, the clauses) of the top passages
 * against the query, keep the few best non-redundant ones within the length budget, and compose them
 * with a short framing in the question's language, each followed by its citation `[n]`.
 * Quotes stay verbatim (Chinese) whatever the question's language.
 */
import { YEAR, yearsIn } from '../internal/dates.js';
import { longestCommonRun } from '../internal/text-measures.js';
import { analyzeQuery } from '../keyword/translate.js';
import type { Chunk, Citation, Language, RetrievalResult } from '../types.js';
import { buildCitation } from './citations.js';
import { type AnswerNeed, questionShape } from './question-shape.js';
import {
  splitClauses,
  splitLines,
  splitSentences,
  stripTrailingPunctuation,
  type TextSpan,
} from './sentences.js';
import {
  BOILERPLATE,
  bigrams,
  contentTerms,
  includesRole,
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

/** Dates, so that 2019年 or 3月1日 is not taken for a figure. */
const DATE_WORDS =
  /(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月/gu;
/** References to a document's own structure (第三十一条, 第二款, 第五章): numbered, but no quantity. */
const STRUCTURE_REFS = /第[一二三四五六七八九十百零〇\d]+[条款项章节目]/gu;
/** A figure with its unit: 5%—5.5%, 超60万个, 730亿斤, 4000班次, 每千瓦0.015元, 三个月, 30日内. */
const FIGURE =
  /\d[\d.,，]*\s*(?:[%％‰]|\p{Script=Han})|[一二三四五六七八九十两百千万]+(?:个|家|项|件|次|天|年|月|倍|名|批|条|所|种|岁|万|亿|千)/u;
/** A sum of money: 10万元, 每人每月500元, 0.015元/千瓦时, 三千元; a fine set as a multiple (1倍以上5倍以下的罚款). */
const AMOUNT =
  /\d[\d.,，]*\s*(?:[万亿千百]\s*)?(?:元|美元|欧元)|[一二三四五六七八九十两百千万亿]+元|\d+\s*倍.{0,12}(?:罚款|罚金)/u;
/**
 * A date, time limit or period: 2019年3月1日, 3月底前, 年底前, 自印发之日起, 5个工作日, 30日内 — not a bare
 * year, which says when a plan is for, not when something happens.
 */
const WHEN =
  /(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*(?:\d{1,2}\s*日|[上中下]旬|底|初|末|前)|[一二三四五六七八九十]+月|年底|年内|年末|之日起|起施行|(?:[\d日月年底]|季度)\s*(?:以前|之前)|前完成|工作日|星期[一二三四五六日天]|[一二三四五六七八九十\d]+\s*(?:个)?(?:月|年|天|日|周|小时)(?:内|以内|之内)|每[年月周季]/u;
/** Weight of a query term that is part of the passage's document or part title. */
const TITLE_TERM = 0.35;
/** Units holding the figure or time the question asks for, and units that do not. */
const NEED_MET = 1.35;
const NEED_MISSED = 0.55;
/** A unit that is one of its passage's section headings. */
const HEADING_UNIT = 0.4;

/** Characters of a title a unit must repeat verbatim to be restating it (and a share of the title's length). */
const TITLE_RUN = 8;
const TITLE_RUN_SHARE = 0.4;
/** Share of a unit its title restatement covers for the unit to count as the title alone. */
const TITLE_UNIT_SHARE = 0.8;

/**
 * The part of a title a unit restates ("《专利代理条例》已经…修订通过", "我们制定了《江西省…规则（试行）》", the
 * clause "国家组织药品集中采购和使用试点，" of a 试点方案), or null: the longest run the unit shares with the
 * document's or part's title, when it is a long run (not a shared phrase such as "推动中小企业") or the whole title.
 */
function restatesTitle(text: string, chunk: Chunk): string | null {
  const squash = (s: string) => s.replace(/[\s\u3000]+/gu, '');
  const unit = squash(text);
  let best = '';
  for (const title of [chunk.partTitle, chunk.docTitle]) {
    const t = squash(title);
    const run = longestCommonRun(unit, t);
    const long = run.length >= TITLE_RUN && run.length >= t.length * TITLE_RUN_SHARE;
    if (run.length > best.length && (long || (run.length >= 4 && run.length === t.length))) {
      best = unit.slice(run.start, run.start + run.length);
    }
  }
  return best || null;
}

function headingYear(chunk: Chunk): number | null {
  for (let i = chunk.sectionPath.length - 1; i >= 0; i--) {
    const [year] = yearsIn(chunk.sectionPath[i] ?? '');
    if (year !== undefined) return year;
  }
  return null;
}

/** A question about this year's or the coming plan ("今年打算…", "这一年要…", "计划新增多少"), naming no year. */
const PLAN_QUESTION =
  /今年|这一年|本年度?|明年|打算|计划|预期|目标是|\b(?:this year|plans?|planned|target(?:s|ed)?|aims?)\b/iu;

/**
 * The year a plan question without a year asks about: the latest of the years the passages are about, when they
 * are about several (a report reviews 2025 and plans 2026: "四川这一年打算安排多少人新就业" is 2026's 85万人, not
 * 2025's 107万人). Null otherwise.
 */
function planYear(question: string, years: readonly (number | null)[]): number | null {
  if (!PLAN_QUESTION.test(question)) return null;
  const known = [...new Set(years.filter((y): y is number => y !== null))];
  return known.length >= 2 ? Math.max(...known) : null;
}

function isHeadingOf(chunk: Chunk, core: string): boolean {
  const bare = core.replace(/^[（(]?[一二三四五六七八九十\d]+[）)、.．]?\s*/u, '');
  return bare.length > 0 && chunk.sectionPath.some((h) => h === core || h.endsWith(bare));
}

/** What is left of a unit without years, numbers and punctuation must be at least this long ("2022年，" is not an answer). */
const MIN_WORDS = 4;

/** Titles and 文号 a unit cites (《…1994年…》, 国办发〔1996〕2号): their years are the cited documents', not the unit's. */
const CITED = /《[^《》]*》|[〔［[(（]\s*(?:19|20)\d{2}\s*[〕］\])）]\s*\d+\s*号/gu;

/**
 * A question about one year ("2021年…", "in 2021") prefers units from paragraphs about that year and
 * disfavours units about another year; questions naming no or several years are left alone.
 */
function yearFactor(askedYear: number | null, unitText: string, paragraphYear: number | null): number {
  if (askedYear === null) return 1;
  const own = [...unitText.replace(CITED, '').matchAll(YEAR)].map((m) => Number(m[0]));
  const year = own.length > 0 ? own : paragraphYear === null ? [] : [paragraphYear];
  if (year.length === 0) return 1;
  return year.includes(askedYear) ? 1.3 : 0.75;
}

/** True when `text` holds what `need` asks for. */
export function meetsNeed(text: string, need: AnswerNeed): boolean {
  if (need === 'figure') return FIGURE.test(text.replace(DATE_WORDS, '').replace(STRUCTURE_REFS, ''));
  if (need === 'amount') return AMOUNT.test(text);
  if (need === 'time') return WHEN.test(text);
  return true;
}

/** Best-scored units looked at for the figure or date a question asks for. */
const NEED_UNITS = 5;

/**
 * False for a how-much or when question none of whose best units holds a figure or a date: the passages are
 * on the topic but do not say what is asked ("最小调节容量是多少兆瓦" over a notice that only names its
 * attachment). True for every other question.
 */
export function holdsWhatIsAsked(question: string, ranked: readonly { text: string }[]): boolean {
  const need = questionShape(question).need;
  return need === null || ranked.slice(0, NEED_UNITS).some((u) => meetsNeed(u.text, need));
}

/**
 * Term weights from the query analyzer (the same analysis the keyword retriever ran on the query), so
 * translated candidates of an English question count by their dictionary rank. Unknown terms get 1.
 */
export function queryTermWeights(retrieval: RetrievalResult): Map<string, number> {
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
  const passages = retrieval.passages.slice(0, maxPassages);
  const yearOf = (chunk: Chunk) => paragraphYear(chunk) ?? headingYear(chunk);
  const askedYear =
    askedYears.length === 1
      ? (askedYears[0] ?? null)
      : askedYears.length === 0
        ? planYear(
            question,
            passages.map((p) => yearOf(p.chunk)),
          )
        : null;
  const terms = contentTerms(retrieval.terms);
  const weights = weightTerms(terms, passages, queryTermWeights(retrieval));
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  // Question bigrams carry phrasing the segmenter may have split differently; for English questions
  // only the Chinese in the question and the (translated) terms give bigrams.
  const qGrams = bigrams(`${question} ${terms.join(' ')}`);
  const need = questionShape(question).need;

  // A term naming the passage's own issuer ("科技司") is satisfied by the passage's metadata:
  // it counts for every unit of that passage alike instead of favouring the sentence that repeats it.
  // Pieces of a longer query term (the analyzer's bigrams of "中小企业", of the phrase "小型企业") add
  // nothing when the longer term matched too, and count half on their own: they are weaker evidence.
  const pieceOf = new Map(terms.map((t) => [t, terms.filter((u) => u !== t && u.includes(t))]));
  // A term of the document's own title ("专利代理条例") says which document, not which clause: a sentence that
  // repeats the title ("《专利代理条例》已经…修订通过") must not win over the clause that answers.
  // `cov` (the evidence the refusal check reads) counts every term alike; `rankCov` (what orders the units)
  // discounts the terms a unit has only because it restates its document's title.
  // Terms in the titles of every passage considered (the document a question names, "专利代理条例…") pick no
  // passage over another: they count at the title weight in every unit, not only in those restating it.
  const titleTerms = new Set(
    terms.filter((t) =>
      passages.every((p) => includesTerm(p.chunk.docTitle, t) || includesTerm(p.chunk.partTitle, t)),
    ),
  );
  const weighted = (text: string, chunk: Chunk) => {
    const matched = terms.filter((t) => includesRole(text, t, question) || namesIssuer(chunk, t));
    const restated = restatesTitle(text, chunk);
    let sum = 0;
    let rankSum = 0;
    for (const t of matched) {
      const parents = pieceOf.get(t) ?? [];
      if (parents.some((u) => matched.includes(u))) continue;
      const w = (weights.get(t) ?? 0) * (parents.length > 0 ? 0.5 : 1);
      const titled = t.length >= 2 && (restated?.includes(t) || titleTerms.has(t));
      sum += w;
      rankSum += w * (titled ? TITLE_TERM : 1);
    }
    const share = (x: number) => (total > 0 ? Math.min(1, x / total) : 0);
    return { cov: share(sum), rankCov: share(rankSum), matched, restated };
  };

  const out: ScoredUnit[] = [];
  passages.forEach((p, passageIndex) => {
    const text = p.chunk.text;
    const passCov = weighted(text, p.chunk).rankCov;
    const rankFactor = 1 / (1 + 0.08 * passageIndex);
    // The year a passage is about: its paragraph's opening year, else the innermost heading naming one
    // ("三、2026年工作安排" over the plans of a report that also reviews 2025).
    const year = yearOf(p.chunk);
    const candidates: Array<{ start: number; end: number; text: string }> = [];
    const sentences = splitSentences(text);
    for (const s of sentences) {
      candidates.push(s);
      if (s.text.length > LONG_SENTENCE) candidates.push(...splitClauses(s.text, s.start));
    }
    candidates.push(...shortParagraphs(text, sentences));
    for (const c of candidates) {
      const core = stripTrailingPunctuation(c.text);
      if ([...core.replace(/[\d\p{P}\s]|年/gu, '')].length < MIN_WORDS) continue;
      const { cov, rankCov, matched, restated } = weighted(c.text, p.chunk);
      const distinct = terms.length > 0 ? matched.length / terms.length : 0;
      // The question's phrasing repeated from the title says as little as its terms do.
      const own = restated ? c.text.replace(/[\s\u3000]+/gu, '').replace(restated, '') : c.text;
      const bg = overlapRatio(qGrams, bigrams(own));
      const len = [...c.text].length;
      // Concise units read better; very short clauses are usually fragments ("面向碳达峰碳中和").
      const lengthFactor = len < 8 ? 0.6 : len < 12 ? 0.8 : len > 120 ? 0.65 : len > LONG_SENTENCE ? 0.85 : 1;
      let score = (0.45 * rankCov + 0.15 * distinct + 0.25 * bg + 0.15 * passCov) * lengthFactor * rankFactor;
      if (BOILERPLATE.test(c.text)) score *= 0.5;
      if (need) score *= meetsNeed(c.text, need) ? NEED_MET : NEED_MISSED;
      // A heading repeated inside the text ("（一）竞价结果。") names a topic; the clauses under it answer.
      // …unless the heading itself holds what is asked ("2.现场检查阶段（11月10日前）").
      if (isHeadingOf(p.chunk, core) && !(need && meetsNeed(c.text, need))) score *= HEADING_UNIT;
      // A unit that is little more than its title ("国家组织药品集中采购和使用试点，") names the document, like a heading.
      else if (
        restated &&
        restated.length >= TITLE_UNIT_SHARE * [...core.replace(/[\s\u3000]+/gu, '')].length
      ) {
        score *= HEADING_UNIT;
      }
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
  // Equal scores: the longer unit, a short paragraph over the sentence of it that scores alike.
  return out.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start));
}

/**
 * A short paragraph of several sentences ("一、元旦：…放假调休，共3天。2018年12月29日（星期六）上班。") is also one
 * unit: its sentences answer together (the days off and the make-up day), and quoted apart the second loses
 * the first's subject.
 */
function shortParagraphs(text: string, sentences: readonly TextSpan[]): TextSpan[] {
  const out: TextSpan[] = [];
  for (const { start, end } of splitLines(text)) {
    const inside = sentences.filter((s) => s.start >= start && s.end <= end);
    const first = inside[0];
    const last = inside.at(-1);
    if (inside.length < 2 || !first || !last || last.end - first.start > LONG_SENTENCE) continue;
    out.push({ text: text.slice(first.start, last.end), start: first.start, end: last.end });
  }
  return out;
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

/**
 * Where a group of quotes comes from, as the answer opens with it: the document with its 文号
 * (《专利代理条例》（国令第706号）), or, for an article of a column that has its own issuer, the issuer and the
 * article (信息通信发展司《助力打通经济社会发展信息“大动脉”》).
 */
export function sourceLabel(chunk: Chunk): string {
  if (chunk.partTitle !== chunk.docTitle && chunk.issuer) return `${chunk.issuer}《${chunk.partTitle}》`;
  return `《${chunk.docTitle}》${chunk.docNumber ? `（${chunk.docNumber}）` : ''}`;
}

/** The article (第十条) all of a group's quotes come from, if they come from one. */
function articleOf(list: readonly ScoredUnit[]): string | null {
  const articles = new Set(
    list.map(
      (u) => u.chunk.sectionPath.findLast((h) => /^第[一二三四五六七八九十百千\d]+条$/u.test(h)) ?? '',
    ),
  );
  const [only] = articles;
  return articles.size === 1 && only ? only : null;
}

/**
 * Orders units for reading: grouped by source (document, or a column's article; groups in order of their
 * best unit), document order inside a group. Numbers citations by first use, one per passage.
 */
export function renderExtractive(
  units: ScoredUnit[],
  language: Language,
): { text: string; citations: Citation[]; units: ScoredUnit[] } {
  const groups = new Map<string, ScoredUnit[]>();
  for (const u of units) {
    const key = sourceLabel(u.chunk);
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
    const article = articleOf(list);
    const where = article ? `${label}${article}` : label;
    const quoted = list.map((u) => {
      ordered.push(u);
      const n = cite(u);
      const body = stripTrailingPunctuation(u.text);
      return language === 'zh' ? `${body}[${n}]` : `“${body}” [${n}]`;
    });
    if (language === 'zh') {
      const lead = groupIndex === 0 ? `根据${where}：` : `此外，据${where}：`;
      parts.push(`${lead}${quoted.join('；')}。`);
    } else {
      const lead = groupIndex === 0 ? `According to ${where}:` : `In addition, ${where}:`;
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
