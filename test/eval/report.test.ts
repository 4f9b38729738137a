import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listRows, questionRows, renderTable } from '../../src/eval/report.js';
import type { ListResult, QuestionResult } from '../../src/eval/run-eval-set.js';

let next = 0;
/** What every scored answer carries (QuestionResult and ListResult alike). */
const answered = {
  q: '?',
  lang: 'zh' as const,
  docs: ['d'],
  refused: false,
  mode: 'extractive' as const,
  degraded: false,
  phantoms: [],
  headingOnly: false,
  answer: '…',
};

function question(over: Partial<QuestionResult>): QuestionResult {
  return {
    ...answered,
    id: `q${++next}`,
    kind: 'direct',
    namesDocument: false,
    answerable: true,
    rank: 1,
    docRank: 1,
    topDoc: 'd',
    contained: true,
    goodCitations: 1,
    citations: 1,
    answerChars: 100,
    ...over,
  };
}

function list(over: Partial<ListResult>): ListResult {
  return {
    ...answered,
    id: `l${++next}`,
    scope: 'one-doc',
    items: 4,
    found: [],
    missing: [],
    itemsRetrieved: 0,
    citedSentences: 0,
    holdingSentences: 0,
    citations: 0,
    answerChars: 50,
    docRank: null,
    topDoc: null,
    ...over,
  };
}

const negative: Partial<QuestionResult> = {
  kind: 'negative',
  answerable: false,
  docs: [],
  rank: null,
  docRank: null,
};

describe('report rows', () => {
  const results = [
    question({ rank: 1, docRank: 1, contained: true, citations: 2, goodCitations: 1, namesDocument: true }),
    question({
      kind: 'numeric',
      rank: 3,
      docRank: 2,
      contained: false,
      phantoms: ['invented'],
      answerChars: 200,
    }),
    question({
      kind: 'numeric',
      rank: null,
      docRank: null,
      refused: true,
      contained: false,
      citations: 0,
      goodCitations: 0,
    }),
    question({ lang: 'en', rank: 2, docRank: 1, contained: false, citations: 1, goodCitations: 0 }),
    question({ ...negative, refused: true, citations: 0 }),
    question({ ...negative, refused: false, headingOnly: true }),
  ];
  const rows = questionRows('dev', results, 5);
  const row = (kind: string, lang: string) => rows.find((r) => r.kind === kind && r.lang === lang);

  it('has one row per kind and language, then the same summary rows in every suite, empty rows left out', () => {
    assert.deepEqual(
      rows.map((r) => `${r.kind}/${r.lang}`),
      [
        'direct/zh',
        'direct/en',
        'numeric/zh',
        'negative/zh',
        'direct+numeric/zh',
        'names doc/region/all',
        'answerable/zh',
        'answerable/en',
        'answerable/all',
        'negative/all',
      ],
    );
  });

  it('computes recall, MRR, doc@1, containment and citation precision over the answerable questions', () => {
    const numeric = row('numeric', 'zh');
    assert.equal(numeric?.n, 2);
    assert.equal(numeric?.recallAt1, 0);
    assert.equal(numeric?.recallAtK, 0.5);
    assert.equal(numeric?.mrr, 1 / 6);
    assert.equal(numeric?.docAt1, 0);
    assert.equal(numeric?.containment, 0);
    assert.equal(numeric?.citationPrecision, 1); // the refused one has no citations
    assert.deepEqual(numeric?.falseRefusals, { count: 1, of: 2 });
    assert.equal(numeric?.phantoms, 1);
    assert.equal(numeric?.meanAnswerChars, 200);
    const all = row('answerable', 'all');
    assert.equal(all?.n, 4);
    assert.equal(all?.citationPrecision, 2 / 4);
    assert.equal(all?.negativesRefused, null);
  });

  it('counts negatives refused, and heading-only answers', () => {
    const negative = row('negative', 'zh');
    assert.deepEqual(negative?.negativesRefused, { count: 1, of: 2 });
    assert.equal(negative?.falseRefusals, null);
    assert.equal(negative?.recallAt1, null);
    assert.equal(negative?.headingOnly, 1);
  });

  it('list rows: mean item recall, item precision over answers with cited sentences, refusals', () => {
    const rows = listRows('dev', [
      list({ found: ['a', 'b'], items: 4, citedSentences: 2, holdingSentences: 1, docRank: 1 }),
      list({ found: ['a'], items: 2, citedSentences: 0 }),
      list({ refused: true, items: 3 }),
      list({ scope: 'multi-doc', found: ['a'], items: 4, citedSentences: 1, holdingSentences: 1 }),
    ]);
    assert.deepEqual(
      rows.map((r) => `${r.kind}/${r.lang}`),
      ['list multi-doc/zh', 'list one-doc/zh', 'list/all'],
    );
    const oneDoc = rows[1];
    assert.equal(oneDoc?.itemRecall, (0.5 + 0.5 + 0) / 3);
    assert.equal(oneDoc?.itemPrecision, 0.5);
    assert.deepEqual(oneDoc?.falseRefusals, { count: 1, of: 3 });
    assert.equal(oneDoc?.docAt1, 1 / 3);
    assert.equal(oneDoc?.meanAnswerChars, 50);
  });
});

describe('the table', () => {
  it('is a Markdown table with aligned columns and a dash for what does not apply', () => {
    const table = renderTable(
      questionRows('seed', [question({}), question({ ...negative, refused: true })], 5),
      5,
    );
    const lines = table.split('\n');
    assert.match(lines[0] ?? '', /^\| suite \| kind +\| lang \| +n \| +R@1 \| +R@5 \| +MRR \| doc@1 \|/);
    assert.match(lines[1] ?? '', /^\|-+\|-+\|-+\|-+:\|/);
    assert.equal(new Set(lines.map((l) => l.length)).size, 1, table);
    assert.match(lines[2] ?? '', /\| seed +\| direct +\| zh +\| +1 \| 1\.00 \| 1\.00 \| 1\.00 \|/);
    assert.match(lines[3] ?? '', /\| negative .*\| +– \| +1\/1 \|/);
  });
});
