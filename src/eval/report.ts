/**
 * Aggregation of scored questions into report rows (suite × kind × language, plus a few summary rows the
 * project reads its targets from) and the plain-text table, which is also a Markdown table.
 */
import { retrievalMetrics } from './match.js';
import type { ListResult, QuestionResult } from './run-eval-set.js';

export interface Count {
  count: number;
  of: number;
}

export interface ReportRow {
  suite: string;
  /** A question kind, a summary group ("direct+numeric", "names doc/region", "answerable") or "list <scope>". */
  kind: string;
  lang: 'zh' | 'en' | 'all';
  n: number;
  recallAt1: number | null;
  recallAtK: number | null;
  mrr: number | null;
  docAt1: number | null;
  containment: number | null;
  citationPrecision: number | null;
  itemRecall: number | null;
  itemPrecision: number | null;
  /** Answerable questions refused (for list questions: every refusal). */
  falseRefusals: Count | null;
  negativesRefused: Count | null;
  phantoms: number;
  headingOnly: number;
  meanAnswerChars: number | null;
}

const KIND_ORDER = ['direct', 'numeric', 'paraphrase', 'cross-doc'];
const LANGS = ['zh', 'en'] as const;

const share = (count: number, of: number): number | null => (of === 0 ? null : count / of);
const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

function kindRank(kind: string): number {
  if (kind === 'negative') return KIND_ORDER.length + 1;
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

type Common = ListResult | QuestionResult;

function commonCells(results: readonly Common[]) {
  const answered = results.filter((r) => !r.refused);
  const withDocs = results.filter((r) => r.docs.length > 0);
  return {
    n: results.length,
    docAt1: share(withDocs.filter((r) => r.docRank === 1).length, withDocs.length),
    phantoms: results.reduce((s, r) => s + r.phantoms.length, 0),
    headingOnly: results.filter((r) => r.headingOnly).length,
    meanAnswerChars: mean(answered.map((r) => r.answerChars)),
  };
}

function questionRow(
  suite: string,
  kind: string,
  lang: ReportRow['lang'],
  results: readonly QuestionResult[],
  k: number,
): ReportRow {
  const answerable = results.filter((r) => r.answerable);
  const negatives = results.filter((r) => !r.answerable);
  const retrieval =
    answerable.length > 0
      ? retrievalMetrics(
          answerable.map((r) => r.rank),
          k,
        )
      : null;
  const answered = answerable.filter((r) => !r.refused);
  const citations = answered.reduce((s, r) => s + r.citations, 0);
  return {
    suite,
    kind,
    lang,
    ...commonCells(results),
    recallAt1: retrieval?.recallAt1 ?? null,
    recallAtK: retrieval?.recallAtK ?? null,
    mrr: retrieval?.mrr ?? null,
    containment: share(answerable.filter((r) => r.contained).length, answerable.length),
    citationPrecision: share(
      answered.reduce((s, r) => s + r.goodCitations, 0),
      citations,
    ),
    itemRecall: null,
    itemPrecision: null,
    falseRefusals: answerable.length
      ? { count: answerable.filter((r) => r.refused).length, of: answerable.length }
      : null,
    negativesRefused: negatives.length
      ? { count: negatives.filter((r) => r.refused).length, of: negatives.length }
      : null,
  };
}

function listRow(
  suite: string,
  kind: string,
  lang: ReportRow['lang'],
  results: readonly ListResult[],
): ReportRow {
  const cited = results.filter((r) => r.citedSentences > 0);
  return {
    suite,
    kind,
    lang,
    ...commonCells(results),
    recallAt1: null,
    recallAtK: null,
    mrr: null,
    containment: null,
    citationPrecision: null,
    itemRecall: mean(results.map((r) => r.found.length / r.items)),
    itemPrecision: mean(cited.map((r) => r.holdingSentences / r.citedSentences)),
    falseRefusals: results.length
      ? { count: results.filter((r) => r.refused).length, of: results.length }
      : null,
    negativesRefused: null,
  };
}

interface Group<T> {
  kind: string;
  lang: ReportRow['lang'];
  results: T[];
}

const nonEmpty = <T>(groups: Group<T>[]): Group<T>[] => groups.filter((g) => g.results.length > 0);

/**
 * Rows for one suite's questions: one per kind and language, then the summary groups direct+numeric (zh),
 * names doc/region (questions with a document that name a province or a document), answerable (zh, en,
 * all) and negative (all). Every suite has the same summary rows (when not empty), even where one repeats
 * a kind row, so targets are read off the same row everywhere.
 */
export function questionRows(suite: string, results: readonly QuestionResult[], k: number): ReportRow[] {
  const kinds = [...new Set(results.map((r) => r.kind))].sort(
    (a, b) => kindRank(a) - kindRank(b) || a.localeCompare(b),
  );
  const groups: Group<QuestionResult>[] = kinds.flatMap((kind) =>
    LANGS.map((lang) => ({ kind, lang, results: results.filter((r) => r.kind === kind && r.lang === lang) })),
  );
  const answerable = results.filter((r) => r.answerable);
  groups.push(
    {
      kind: 'direct+numeric',
      lang: 'zh',
      results: results.filter((r) => r.lang === 'zh' && (r.kind === 'direct' || r.kind === 'numeric')),
    },
    { kind: 'names doc/region', lang: 'all', results: results.filter((r) => r.namesDocument) },
    ...LANGS.map((lang) => ({
      kind: 'answerable',
      lang,
      results: answerable.filter((r) => r.lang === lang),
    })),
    { kind: 'answerable', lang: 'all', results: answerable },
    { kind: 'negative', lang: 'all', results: results.filter((r) => !r.answerable) },
  );
  return nonEmpty(groups).map((g) => questionRow(suite, g.kind, g.lang, g.results, k));
}

/** Rows for one suite's list questions: per scope and language, then all list questions. */
export function listRows(suite: string, results: readonly ListResult[]): ReportRow[] {
  const scopes = [...new Set(results.map((r) => r.scope))].sort();
  const groups: Group<ListResult>[] = scopes.flatMap((scope) =>
    LANGS.map((lang) => ({
      kind: `list ${scope}`,
      lang,
      results: results.filter((r) => r.scope === scope && r.lang === lang),
    })),
  );
  groups.push({ kind: 'list', lang: 'all', results: [...results] });
  return nonEmpty(groups).map((g) => listRow(suite, g.kind, g.lang, g.results));
}

const fraction = (v: number | null) => (v === null ? '–' : v.toFixed(2));
const count = (c: Count | null) => (c === null ? '–' : `${c.count}/${c.of}`);

/** The columns of the table, in order; README "Quality" explains each. */
function columns(k: number): [string, (r: ReportRow) => string][] {
  return [
    ['suite', (r) => r.suite],
    ['kind', (r) => r.kind],
    ['lang', (r) => r.lang],
    ['n', (r) => String(r.n)],
    ['R@1', (r) => fraction(r.recallAt1)],
    [`R@${k}`, (r) => fraction(r.recallAtK)],
    ['MRR', (r) => fraction(r.mrr)],
    ['doc@1', (r) => fraction(r.docAt1)],
    ['contain', (r) => fraction(r.containment)],
    ['cite P', (r) => fraction(r.citationPrecision)],
    ['item R', (r) => fraction(r.itemRecall)],
    ['item P', (r) => fraction(r.itemPrecision)],
    ['false ref', (r) => count(r.falseRefusals)],
    ['neg ref', (r) => count(r.negativesRefused)],
    ['phantom', (r) => String(r.phantoms)],
    ['heading', (r) => String(r.headingOnly)],
    ['len', (r) => (r.meanAnswerChars === null ? '–' : String(Math.round(r.meanAnswerChars)))],
  ];
}

const width = (s: string) => [...s].length;

/** A padded Markdown table: aligned in a terminal, and valid Markdown when pasted. */
export function renderTable(rows: readonly ReportRow[], k: number): string {
  const cols = columns(k);
  const cells = rows.map((r) => cols.map(([, cell]) => cell(r)));
  const widths = cols.map(([head], i) => Math.max(width(head), ...cells.map((c) => width(c[i] ?? ''))));
  const line = (values: string[]) =>
    `| ${values.map((v, i) => (i < 3 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 3 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(cols.map(([head]) => head)), rule, ...cells.map(line)].join('\n');
}
