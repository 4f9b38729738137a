import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/errors/index.js';
import { mulberry32 } from '../../src/internal/prng.js';
import { KeywordIndex } from '../../src/keyword/KeywordIndex.js';
import { analyzeQuery } from '../../src/keyword/translate.js';
import type { KeywordRow, QueryAnalysis } from '../../src/keyword/types.js';

const dir = mkdtempSync(join(tmpdir(), 'policybot-keyword-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED = readFileSync(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url), 'utf8');
/** Seed paragraphs as rows; every third row belongs to 中小企业局 so the filter has something to do. */
const ROWS: KeywordRow[] = SEED.split(/\n+/)
  .map((p) => p.trim())
  .filter((p) => p.length > 20)
  .map((text, ordinal) => ({
    ordinal,
    text,
    title: ordinal % 3 === 0 ? '加大中小企业支持' : '产业科技创新',
    department: ordinal % 3 === 0 ? '中小企业局' : '科技司',
    docId: ordinal < 10 ? 'doc-a' : 'doc-b',
  }));

function rowContaining(phrase: string): KeywordRow {
  const row = ROWS.find((r) => r.text.includes(phrase));
  assert.ok(row, `seed has no paragraph with ${phrase}`);
  return row;
}

function query(...terms: string[]): QueryAnalysis {
  return { language: 'zh', terms: terms.map((term) => ({ term, weight: 1, source: 'query' as const })) };
}

describe('KeywordIndex', () => {
  const file = join(dir, 'seed.sqlite');
  let index: KeywordIndex;

  before(() => {
    KeywordIndex.build(file, ROWS).close();
    index = KeywordIndex.open(file);
  });
  after(() => index.close());

  it('round-trips: a seed phrase finds its paragraph first', () => {
    for (const phrase of ['电化学储能电站安全风险隐患', '宽带接入网业务', '持续开展6G愿景研究']) {
      const hits = index.search(analyzeQuery(phrase, 'zh'), 5);
      assert.equal(hits[0]?.ordinal, rowContaining(phrase).ordinal, phrase);
    }
  });

  it('reports matched terms and positive, descending scores', () => {
    const hits = index.search(query('6g', '研究', '不存在的词'), 10);
    assert.ok(hits.length > 0);
    assert.ok(hits.every((h) => h.score > 0));
    for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0));
    const top = hits.find((h) => h.ordinal === rowContaining('6G愿景').ordinal);
    assert.deepEqual(new Set(top?.matchedTerms), new Set(['6g', '研究']));
    assert.ok(hits.every((h) => !h.matchedTerms.includes('不存在的词')));
  });

  it('finds a term that is a sub-word of an indexed word ("车联网" in "国家级车联网先导区")', () => {
    const hits = index.search(analyzeQuery('车联网', 'zh'), 5);
    assert.ok(hits.some((h) => ROWS[h.ordinal]?.text.includes('车联网')));
  });

  it('English questions reach Chinese passages through translation', () => {
    const hits = index.search(analyzeQuery('What is planned for 6G research?'), 3);
    assert.equal(hits[0]?.ordinal, rowContaining('6G愿景').ordinal);
  });

  it('filters by department and by document', () => {
    const analysis = analyzeQuery('中小企业发展', 'zh');
    const sme = index.search(analysis, 20, { department: '中小企业局' });
    assert.ok(sme.length > 0);
    assert.ok(sme.every((h) => ROWS[h.ordinal]?.department === '中小企业局'));
    const tech = index.search(analysis, 20, { department: '科技司' });
    assert.ok(tech.length > 0);
    assert.ok(tech.every((h) => ROWS[h.ordinal]?.department === '科技司'));
    assert.deepEqual(index.search(analysis, 20, { department: '不存在的司' }), []);
    const docA = index.search(analysis, 50, { docId: 'doc-a' });
    assert.ok(docA.every((h) => ROWS[h.ordinal]?.docId === 'doc-a'));
    const both = index.search(analysis, 50, { docId: 'doc-b', department: '科技司' });
    assert.ok(
      both.every((h) => ROWS[h.ordinal]?.docId === 'doc-b' && ROWS[h.ordinal]?.department === '科技司'),
    );
  });

  it('title matches count, below body matches', () => {
    const hits = index.search(query('支持'), 50);
    const titleOnly = hits.filter((h) => !ROWS[h.ordinal]?.text.includes('支持'));
    assert.ok(titleOnly.length > 0, 'rows whose title alone says 支持 are found');
  });

  it('stats counts rows and distinct terms', () => {
    const stats = index.stats();
    assert.equal(stats.rows, ROWS.length);
    assert.ok(stats.terms > 500);
  });

  it('never throws on odd input and treats it as plain words', () => {
    const odd = [
      '"',
      '""',
      'a"b',
      '*',
      'NEAR',
      'NEAR(a b)',
      '(',
      ')',
      'AND',
      'OR',
      'NOT',
      '^',
      ':',
      'body:6g',
      '-',
      '+',
      '',
      ' ',
      '{body}',
      '车联网"*',
      "'",
    ];
    for (const term of odd) {
      assert.doesNotThrow(() => index.search(query(term), 5), term);
      assert.doesNotThrow(() => index.search(analyzeQuery(term), 5), term);
    }
    assert.deepEqual(index.search(query(''), 5), []);
    assert.deepEqual(index.search({ language: 'zh', terms: [] }, 5), []);
    assert.deepEqual(index.search(query('6g'), 0), []);
    // Operators and column filters are words, not syntax.
    const hits = index.search(analyzeQuery('body:"6G" AND (研究*) NEAR', 'zh'), 5);
    assert.equal(hits[0]?.ordinal, rowContaining('6G愿景').ordinal);
  });

  it('ignores zero and negative weights', () => {
    const analysis: QueryAnalysis = { language: 'zh', terms: [{ term: '6g', weight: 0, source: 'query' }] };
    assert.deepEqual(index.search(analysis, 5), []);
  });

  it('open() fails with coded errors for missing or foreign files', () => {
    assert.throws(() => KeywordIndex.open(join(dir, 'missing.sqlite')), { code: ErrorCode.IndexMissing });
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database');
    assert.throws(() => KeywordIndex.open(junk), { code: ErrorCode.IndexCorrupt });
  });

  it('build() rejects duplicate ordinals and replaces an existing file', () => {
    const target = join(dir, 'dup.sqlite');
    assert.throws(
      () =>
        KeywordIndex.build(target, [
          { ordinal: 0, text: '一', title: '', department: null, docId: 'x' },
          { ordinal: 0, text: '二', title: '', department: null, docId: 'x' },
        ]),
      { code: ErrorCode.IndexCorrupt },
    );
    writeFileSync(target, 'old junk');
    const rebuilt = KeywordIndex.build(target, [
      { ordinal: 7, text: '工业互联网平台', title: '', department: null, docId: 'x' },
    ]);
    assert.equal(rebuilt.search(query('互联网'), 1)[0]?.ordinal, 7);
    rebuilt.close();
  });
});

describe('KeywordIndex common-term pruning', () => {
  it('keeps recall: top-5 with pruning matches top-5 without', () => {
    const sentences = SEED.split(/(?<=[。；])|，/)
      .map((s) => s.trim())
      .filter((s) => s.length >= 6);
    const random = mulberry32(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    // Enough rows that pruning is active (df threshold is max(5% of rows, 500)).
    const rows: KeywordRow[] = Array.from({ length: 12_000 }, (_, ordinal) => {
      let text = '';
      while (text.length < 120) text += `${pick(sentences)}，`;
      return { ordinal, text, title: '工作思路', department: null, docId: 'synthetic' };
    });
    const file = join(dir, 'synthetic.sqlite');
    const index = KeywordIndex.build(file, rows);
    try {
      let overlap = 0;
      let total = 0;
      let prunedSomething = 0;
      for (let i = 0; i < 40; i++) {
        const s = pick(sentences);
        const analysis = analyzeQuery(`${s.slice(0, 12)}是什么？`, 'zh');
        const unpruned = index.search(analysis, 5, {}, { prune: false });
        const pruned = index.search(analysis, 5, {}, { prune: true });
        const reference = new Set(unpruned.map((h) => h.ordinal));
        overlap += pruned.filter((h) => reference.has(h.ordinal)).length;
        total += reference.size;
        if (pruned.some((h, j) => h.ordinal !== unpruned[j]?.ordinal)) prunedSomething++;
      }
      assert.ok(total > 0);
      assert.ok(overlap / total >= 0.9, `overlap ${overlap}/${total}, differing queries ${prunedSomething}`);
    } finally {
      index.close();
    }
  });
});
