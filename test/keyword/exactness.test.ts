import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keywordRows } from '../../src/index/write-index.js';
import { loadCorpus, structureDocument } from '../../src/ingest/index.js';
import { mulberry32 } from '../../src/internal/prng.js';
import { fieldScore, idf, lengthNorm } from '../../src/keyword/bm25.js';
import { KeywordIndex } from '../../src/keyword/KeywordIndex.js';
import { KEYWORD_FORMAT } from '../../src/keyword/KeywordIndexBuilder.js';
import { segment } from '../../src/keyword/segmenter.js';
import { analyzeQuery } from '../../src/keyword/translate.js';
import type { KeywordHit, KeywordRow, QueryAnalysis } from '../../src/keyword/types.js';
import { chunkDocument } from '../../src/node-parser/index.js';
import type { Chunk } from '../../src/types.js';

/**
 * Keyword search is exact: the pruned (block-max MaxScore) top 10 equals exhaustive BM25's, with and without
 * filters, for random Chinese, English and hand-made weighted queries with rare and common terms, on the seed
 * corpus, the dev corpus and a generated 100,000-chunk index. On the two real corpora both are also checked against
 * a BM25 computed here from the chunks' text, which does not use the index's posting lists at all.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, 'test', '.tmp');
const GENERATED_ROWS = 100_000;
/** Bump when the generator below changes, so that a cached index is rebuilt. */
const GENERATOR_VERSION = 1;

const work = mkdtempSync(join(tmpdir(), 'policybot-exact-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function pipelineRows(corpusDir: string): Promise<{ rows: KeywordRow[]; chunks: Chunk[] }> {
  const { documents } = await loadCorpus(corpusDir);
  const chunks: Chunk[] = [];
  for (const source of documents) {
    for (const chunk of chunkDocument(structureDocument(source), { size: 300, overlap: 60 })) {
      chunks.push({ ...chunk, ordinal: chunks.length });
    }
  }
  return { rows: [...keywordRows(chunks)], chunks };
}

/** Chunks recombined from the seed's sentences, 120–320 characters, 1,000 to a "document" (fixed seed). */
function* generatedRows(count: number): Generator<KeywordRow> {
  const seed = readFileSync(join(ROOT, 'corpus', 'miit-2022-work-plans.txt'), 'utf8');
  const sentences = seed
    .split(/(?<=[。；！？\n])|，/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 6);
  const titles = ['科技司2022年工作思路', '中小企业局：加大中小企业支持', '电子信息司', '信息通信发展司'];
  const random = mulberry32(20_221_201);
  for (let ordinal = 0; ordinal < count; ordinal++) {
    let text = '';
    const length = 120 + random() * 200;
    while (text.length < length) text += `${sentences[Math.floor(random() * sentences.length)]}，`;
    yield { ordinal, text, title: titles[Math.floor(ordinal / 1000) % titles.length] as string };
  }
}

/** The generated index, built once and kept in test/.tmp (keyed by format and generator version). */
async function generatedIndex(): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `keyword-exact-${GENERATED_ROWS}-${KEYWORD_FORMAT}-g${GENERATOR_VERSION}.sqlite`);
  if (!existsSync(file)) {
    const partial = `${file}.building-${process.pid}`;
    (await KeywordIndex.build(partial, generatedRows(GENERATED_ROWS))).close();
    renameSync(partial, file);
  }
  return file;
}

/**
 * Weighted BM25 straight from the rows' text: the specification the index must meet. Terms resolve as the index
 * documents it: a term is one token, or (unsegmented text) all of its tokens with the smallest frequency per
 * field and the smallest document frequency; repeated terms keep their largest weight; scores add up in the
 * terms' order.
 */
function textOracle(rows: readonly KeywordRow[]) {
  const count = (text: string) => {
    const tokens = segment(text);
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    return { counts, length: tokens.length };
  };
  const body = rows.map((r) => count(r.text));
  const title = rows.map((r) => count(r.title));
  const df = new Map<string, number>();
  rows.forEach((_, i) => {
    for (const t of new Set([...(body[i]?.counts.keys() ?? []), ...(title[i]?.counts.keys() ?? [])])) {
      df.set(t, (df.get(t) ?? 0) + 1);
    }
  });
  const avgBody = body.reduce((s, b) => s + b.length, 0) / rows.length || 1;
  const avgTitle = title.reduce((s, b) => s + b.length, 0) / rows.length || 1;
  return (analysis: QueryAnalysis, k: number, mask: Uint8Array | null): KeywordHit[] => {
    const terms = new Map<string, { term: string; tokens: string[]; weight: number }>();
    for (const { term, weight } of analysis.terms) {
      if (!(weight > 0)) continue;
      const normalized = term.normalize('NFKC').toLowerCase();
      const tokens = /^[\p{L}\p{N}]+$/u.test(normalized) ? [normalized] : [...new Set(segment(term))];
      if (tokens.length === 0) continue;
      const key = tokens.join(' ');
      const known = terms.get(key);
      if (known) known.weight = Math.max(known.weight, weight);
      else terms.set(key, { term, tokens, weight });
    }
    const resolved = [...terms.values()]
      .map((t) => ({ ...t, df: Math.min(...t.tokens.map((token) => df.get(token) ?? 0)) }))
      .filter((t) => t.df > 0)
      .map((t) => ({ ...t, w: t.weight * idf(rows.length, t.df) }));
    const hits: KeywordHit[] = [];
    rows.forEach((row, i) => {
      if (mask && !mask[row.ordinal]) return;
      const b = body[i] as { counts: Map<string, number>; length: number };
      const ti = title[i] as { counts: Map<string, number>; length: number };
      let score = 0;
      const matched: string[] = [];
      for (const t of resolved) {
        const tfBody = Math.min(...t.tokens.map((token) => b.counts.get(token) ?? 0));
        const tfTitle = Math.min(...t.tokens.map((token) => ti.counts.get(token) ?? 0));
        if (tfBody === 0 && tfTitle === 0) continue;
        score +=
          t.w * fieldScore(tfBody, lengthNorm(b.length, avgBody), tfTitle, lengthNorm(ti.length, avgTitle));
        matched.push(t.term);
      }
      if (matched.length > 0) hits.push({ ordinal: row.ordinal, score, matchedTerms: matched });
    });
    return hits.sort((x, y) => y.score - x.score || x.ordinal - y.ordinal).slice(0, k);
  };
}

const ENGLISH = [
  'What support will small businesses get for digital transformation?',
  'How will 5G networks and industrial internet develop?',
  'What are the goals for energy saving and emissions?',
  'Which rules apply to patent agencies?',
  'What does the plan say about rural revitalization and grain security?',
  'How are hospitals evaluated?',
  'What happens to public holidays?',
  'How is the earthquake prevention work organised?',
];

interface QueryCase {
  label: string;
  analysis: QueryAnalysis;
  mask: Uint8Array | null;
  /** A search restricted to one stretch of ordinals (the in-document pass), with or without `mask`. */
  range: { from: number; to: number } | null;
}

/**
 * Random queries over `rows`: question-like fragments of their text (Chinese), English questions, and term lists
 * drawn from rare, middling and common tokens with random weights (some unsegmented phrases, some unknown
 * words); each with no filter, a document-like range, a random subset or a single row.
 */
function queryCases(rows: readonly KeywordRow[], n: number, seed: number, index: KeywordIndex): QueryCase[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const vocabulary = index.vocabulary();
  const byDf = [...vocabulary].sort((a, b) => a.df - b.df || (a.term < b.term ? -1 : 1));
  const rare = byDf.slice(0, Math.max(1, Math.floor(byDf.length * 0.3)));
  const common = byDf.slice(Math.floor(byDf.length * 0.95));
  const middle = byDf.slice(rare.length, Math.max(rare.length + 1, byDf.length - common.length));
  const ordinals = rows.length === 0 ? 0 : (rows.at(-1)?.ordinal ?? 0) + 1;
  const cases: QueryCase[] = [];
  for (let q = 0; q < n; q++) {
    let analysis: QueryAnalysis;
    let label: string;
    const kind = q % 4;
    if (kind === 0 || kind === 1) {
      const text = pick(rows).text;
      const length = 2 + Math.floor(random() * 18);
      const start = Math.floor(random() * Math.max(1, text.length - length));
      label = `zh "${text.slice(start, start + length)}"`;
      analysis = analyzeQuery(
        `${text.slice(start, start + length)}${pick(['', '是什么？', '有哪些要求', '怎么办'])}`,
        'zh',
      );
    } else if (kind === 2) {
      label = `en "${pick(ENGLISH)}"`;
      analysis = analyzeQuery(label.slice(4, -1));
    } else {
      const terms = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        const bucket = pick([rare, middle, common, common]);
        return {
          term: pick(bucket.length > 0 ? bucket : byDf).term,
          weight: pick([0.3, 0.5, 1, 1.5]),
          source: 'query' as const,
        };
      });
      if (random() < 0.3) {
        const text = pick(rows).text;
        const start = Math.floor(random() * Math.max(1, text.length - 6));
        terms.push({
          term: text.slice(start, start + 4 + Math.floor(random() * 3)),
          weight: 0.8,
          source: 'query',
        });
      }
      if (random() < 0.2) terms.push({ term: '不存在的词语', weight: 1, source: 'query' });
      label = `terms ${terms.map((t) => `${t.term}×${t.weight}`).join(' ')}`;
      analysis = { language: 'zh', terms };
    }
    let mask: Uint8Array | null = null;
    const filter = Math.floor(random() * 5);
    if (filter === 1) {
      // A document: a contiguous run of ordinals.
      mask = new Uint8Array(ordinals);
      const from = Math.floor(random() * ordinals);
      mask.fill(1, from, Math.min(ordinals, from + 1 + Math.floor(random() * Math.max(1, ordinals / 20))));
    } else if (filter === 2) {
      const share = pick([0.02, 0.2, 0.6]);
      mask = Uint8Array.from({ length: ordinals }, () => (random() < share ? 1 : 0));
    } else if (filter === 3) {
      mask = new Uint8Array(ordinals);
      mask[Math.floor(random() * ordinals)] = 1;
    }
    let range: { from: number; to: number } | null = null;
    if (filter === 4 || (filter === 2 && random() < 0.5)) {
      // A document's consecutive ordinals, passed as a range (alone, or within a random subset).
      const from = Math.floor(random() * ordinals);
      range = { from, to: Math.min(ordinals, from + 1 + Math.floor(random() * Math.max(1, ordinals / 4))) };
    }
    const what = [mask ? 'filtered' : '', range ? `range ${range.from}–${range.to}` : ''].filter(Boolean);
    cases.push({ label: what.length > 0 ? `${label} (${what.join(', ')})` : label, analysis, mask, range });
  }
  return cases;
}

function assertExact(
  index: KeywordIndex,
  cases: readonly QueryCase[],
  oracle: ReturnType<typeof textOracle> | null,
) {
  let nonEmpty = 0;
  for (const { label, analysis, mask, range } of cases) {
    const options = { ...(mask ? { allowed: mask } : {}), ...(range ? { range } : {}) };
    const fast = index.search(analysis, 10, options);
    const exhaustive = index.search(analysis, 10, { ...options, exhaustive: true });
    assert.deepEqual(fast, exhaustive, label);
    if (range)
      assert.ok(
        fast.every((h) => h.ordinal >= range.from && h.ordinal < range.to),
        label,
      );
    if (oracle) {
      // The oracle knows masks only: the range as one.
      let allowed = mask;
      if (range) {
        allowed = new Uint8Array(Math.max(mask?.length ?? 0, range.to));
        for (let d = range.from; d < range.to; d++) allowed[d] = mask ? (mask[d] ?? 0) : 1;
      }
      const expected = oracle(analysis, 10, allowed);
      assert.deepEqual(
        fast.map((h) => h.ordinal),
        expected.map((h) => h.ordinal),
        label,
      );
      fast.forEach((h, i) => {
        const e = expected[i] as KeywordHit;
        assert.ok(
          Math.abs(h.score - e.score) <= 1e-9 * Math.max(1, e.score),
          `${label}: score ${h.score} vs ${e.score}`,
        );
        assert.deepEqual(new Set(h.matchedTerms), new Set(e.matchedTerms), label);
      });
    }
    if (fast.length > 0) nonEmpty++;
  }
  // The queries are not vacuous.
  assert.ok(nonEmpty >= cases.length * 0.6, `${nonEmpty} of ${cases.length} queries found something`);
}

describe('keyword search is exact', () => {
  it('seed corpus: fast = exhaustive = BM25 from the text', async () => {
    const { rows } = await pipelineRows(join(ROOT, 'corpus'));
    const index = await KeywordIndex.build(join(work, 'seed.sqlite'), rows);
    try {
      assertExact(index, queryCases(rows, 160, 1, index), textOracle(rows));
    } finally {
      index.close();
    }
  });

  it('dev corpus: fast = exhaustive = BM25 from the text, also when the build spills many runs', async () => {
    const { rows } = await pipelineRows(join(ROOT, 'eval', 'corpus-dev', 'docs'));
    assert.ok(rows.length > 300);
    // A tiny run buffer makes the build merge hundreds of sorted runs, as a million-row build does.
    const index = await KeywordIndex.build(join(work, 'dev.sqlite'), rows, { runPostings: 500 });
    try {
      assertExact(index, queryCases(rows, 240, 2, index), textOracle(rows));
    } finally {
      index.close();
    }
  });

  describe('generated 100,000-chunk index', () => {
    let index: KeywordIndex;
    let rows: KeywordRow[];
    before(async () => {
      index = KeywordIndex.open(await generatedIndex());
      // Only the text of a sample is needed to make queries from.
      rows = [...generatedRows(GENERATED_ROWS)].filter((r) => r.ordinal % 97 === 0);
      rows.push({ ordinal: GENERATED_ROWS - 1, text: '', title: '' });
    });
    after(() => index?.close());

    it('fast = exhaustive, k = 10', () => {
      assert.equal(index.stats().rows, GENERATED_ROWS);
      assertExact(index, queryCases(rows, 200, 3, index), null);
    });

    it('fast = exhaustive at the retriever depth (k = 50), unfiltered', () => {
      for (const { label, analysis } of queryCases(rows, 60, 4, index)) {
        assert.deepEqual(index.search(analysis, 50), index.search(analysis, 50, { exhaustive: true }), label);
      }
    });
  });
});
