import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/errors/index.js';
import { KeywordIndex } from '../../src/keyword/KeywordIndex.js';
import { analyzeQuery } from '../../src/keyword/translate.js';
import type { KeywordRow, QueryAnalysis } from '../../src/keyword/types.js';

const dir = mkdtempSync(join(tmpdir(), 'policybot-keyword-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED = readFileSync(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url), 'utf8');
/** Seed paragraphs as rows; every third row is titled for SMEs so that titles and filters have something to do. */
const ROWS: KeywordRow[] = SEED.split(/\n+/)
  .map((p) => p.trim())
  .filter((p) => p.length > 20)
  .map((text, ordinal) => ({
    ordinal,
    text,
    title: ordinal % 3 === 0 ? '加大中小企业支持' : '产业科技创新',
  }));

/** An allowed-ordinal mask over ROWS. */
function maskOf(keep: (row: KeywordRow) => boolean): Uint8Array {
  return Uint8Array.from(ROWS, (row) => (keep(row) ? 1 : 0));
}

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

  before(async () => {
    (await KeywordIndex.build(file, ROWS)).close();
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

  it('searches only the rows an allowed-ordinal mask lets through', () => {
    const analysis = analyzeQuery('中小企业发展', 'zh');
    const everything = index.search(analysis, 200);
    for (const keep of [
      (row: KeywordRow) => row.ordinal % 3 === 0,
      (row: KeywordRow) => row.ordinal % 3 !== 0,
      (row: KeywordRow) => row.ordinal < 10,
    ]) {
      const mask = maskOf(keep);
      const hits = index.search(analysis, 200, { allowed: mask });
      assert.ok(hits.length > 0);
      // The filtered ranking is the unfiltered one restricted to the mask, scores unchanged.
      assert.deepEqual(
        hits,
        everything.filter((h) => mask[h.ordinal] === 1),
      );
    }
    assert.deepEqual(index.search(analysis, 20, { allowed: new Uint8Array(ROWS.length) }), []);
    // Ordinals past the mask's end are not allowed.
    assert.ok(
      index.search(analysis, 200, { allowed: new Uint8Array(5).fill(1) }).every((h) => h.ordinal < 5),
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

  it('build() rejects rows out of ordinal order and replaces an existing file', async () => {
    const target = join(dir, 'dup.sqlite');
    for (const ordinals of [[0, 0], [3, 1], [-1], [1.5]]) {
      await assert.rejects(
        KeywordIndex.build(
          target,
          ordinals.map((ordinal) => ({ ordinal, text: '一二', title: '' })),
        ),
        { code: ErrorCode.IndexCorrupt },
      );
    }
    writeFileSync(target, 'old junk');
    const rebuilt = await KeywordIndex.build(target, [{ ordinal: 7, text: '工业互联网平台', title: '' }]);
    assert.equal(rebuilt.search(query('互联网'), 1)[0]?.ordinal, 7);
    assert.deepEqual(
      rebuilt.search(query('互联网'), 1, { exhaustive: true }),
      rebuilt.search(query('互联网'), 1),
    );
    rebuilt.close();
  });
});
