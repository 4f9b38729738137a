import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { composeAnswer, streamAnswer } from '../../src/answer/compose.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { AnswerEvent, Question, RetrievalResult } from '../../src/types.js';
import { keywordRetrieve } from './corpus-fixture.js';

interface QaRow {
  id: string;
  q: string;
  dept: string | null;
  evidence: string | null;
  lang: 'zh' | 'en';
}

const devQa: QaRow[] = readFileSync(new URL('../../eval/seed/qa.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as QaRow);
const outOfCorpus: QaRow[] = readFileSync(new URL('../fixtures/out-of-corpus.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => ({ ...(JSON.parse(l) as QaRow), evidence: null, dept: null }));

const deps = { llm: null, logger: createSilentLogger(), maxChars: 300 };
const question = (text: string): Question => ({ text, requestId: 'req_test' });

async function answerFor(text: string) {
  return composeAnswer(question(text), text, await keywordRetrieve(text), deps);
}

describe('composeAnswer (extractive, keyword fixture retrieval)', () => {
  it('answers the 5G base station question with 超60万个 citing 信息通信发展司', async () => {
    const a = await answerFor('2021年新建了多少个5G基站？');
    assert.equal(a.refused, false);
    assert.equal(a.mode, 'extractive');
    assert.match(a.text, /新建5G基站超60万个\[1\]/);
    assert.match(a.text, /^根据信息通信发展司/);
    const c = a.citations[0];
    assert.ok(c);
    assert.equal(c.issuer, '信息通信发展司');
    assert.ok(c.quote.includes('新建5G基站超60万个'));
    assert.ok(c.passage.includes(c.quote), 'quote is verbatim from the passage');
    assert.equal(a.language, 'zh');
    assert.match(a.id, /^[0-9a-f-]{36}$/);
    assert.ok(a.timings.totalMs >= a.timings.composeMs);
  });

  it('frames English questions in English and keeps Chinese quotes', async () => {
    const a = await answerFor('What is planned for 6G research?');
    assert.equal(a.language, 'en');
    assert.match(
      a.text,
      /^According to 信息通信发展司《助力打通经济社会发展信息“大动脉”》: “.*6G愿景研究.*” \[1\]/,
    );
  });

  it('numbers citations by first use, one per passage, every marker resolvable', async () => {
    for (const row of devQa.filter((r) => r.evidence)) {
      const a = await answerFor(row.q);
      const markers = [...a.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      const firstUse = [...new Set(markers)];
      assert.deepEqual(
        firstUse,
        a.citations.map((c) => c.n),
        row.id,
      );
      assert.deepEqual(
        firstUse,
        firstUse.map((_, i) => i + 1),
        row.id,
      );
      assert.equal(new Set(a.citations.map((c) => c.passageId)).size, a.citations.length, row.id);
      for (const c of a.citations) assert.ok(c.passage.includes(c.quote), `${row.id} verbatim quote`);
    }
  });

  it('stays within the length budget (framing included, small slack for markers)', async () => {
    for (const row of devQa.filter((r) => r.evidence)) {
      const a = await composeAnswer(question(row.q), row.q, await keywordRetrieve(row.q), {
        ...deps,
        maxChars: 120,
      });
      assert.ok([...a.text].length <= 160, `${row.id}: ${a.text.length}`);
    }
  });

  it('on dev-qa: contains the evidence (≥ 0.9), cites a passage holding it (≥ 0.95), refuses no positive', async () => {
    const positives = devQa.filter((r) => r.evidence);
    let contained = 0;
    let cited = 0;
    for (const row of positives) {
      const a = await answerFor(row.q);
      assert.equal(a.refused, false, `${row.id} refused`);
      const evidence = row.evidence as string;
      if (a.text.includes(evidence)) contained++;
      if (a.citations.some((c) => c.passage.includes(evidence))) cited++;
    }
    assert.ok(contained / positives.length >= 0.9, `containment ${contained}/${positives.length}`);
    assert.ok(cited / positives.length >= 0.95, `citation ${cited}/${positives.length}`);
  });

  it('refuses every negative and out-of-corpus question, in its language, with suggestions when hits exist', async () => {
    for (const row of [...devQa.filter((r) => !r.evidence), ...outOfCorpus]) {
      const a = await answerFor(row.q);
      assert.equal(a.refused, true, `${row.id} ${row.q} → ${a.text}`);
      assert.equal(a.citations.length, 0);
      if (row.lang === 'zh') assert.match(a.text, /没有涉及/);
      else assert.match(a.text, /don't cover/);
    }
    const gdp = await answerFor('2021年全国GDP增长率是多少？');
    assert.ok(gdp.suggestions.length > 0);
  });

  it('refuses an empty retrieval without crashing', async () => {
    const empty: RetrievalResult = {
      query: 'x',
      language: 'en',
      terms: [],
      passages: [],
      coverage: 0,
      mode: 'keyword-only',
      timings: { totalMs: 0, denseMs: 0, keywordMs: 0 },
    };
    const a = await composeAnswer(
      question('What is the capital of Mars?'),
      'What is the capital of Mars?',
      empty,
      deps,
    );
    assert.equal(a.refused, true);
    assert.deepEqual(a.suggestions, []);
  });

  it('streams one delta then exactly one final answer equal to composeAnswer', async () => {
    const text = '小微企业融资担保有什么政策？';
    const r = await keywordRetrieve(text);
    const events: AnswerEvent[] = [];
    for await (const e of streamAnswer(question(text), text, r, deps)) events.push(e);
    assert.equal(events.filter((e) => e.type === 'final').length, 1);
    assert.equal(events.at(-1)?.type, 'final');
    const final = events.at(-1);
    assert.ok(final?.type === 'final');
    assert.match(final.answer.text, /继续实施小微企业融资担保降费奖补政策/);
  });
});
