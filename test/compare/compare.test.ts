/**
 * Comparisons through the real engine: the two same-issuer plans of test/fixtures/compare (2021 targets vs
 * the 2022 plan that reviews 2021), and the seed's results-vs-targets (each department's 2021 results against
 * its 2022 targets).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../src/engine/createEngine.js';
import { InputError } from '../../src/errors/index.js';
import type { Comparison } from '../../src/types.js';
import { createTestEngine } from '../helpers/engine.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/compare', import.meta.url));
const INDEX = fileURLToPath(new URL('../.tmp/compare-index', import.meta.url));

/** Every quote of every item is the document's text at its offsets. */
function assertVerbatim(engine: Engine, comparison: Comparison): void {
  for (const c of comparison.citations) {
    const doc = engine.index.documents.find((d) => d.id === c.doc);
    assert.ok(doc, c.doc);
    assert.equal(doc.cleanedText.slice(c.start, c.end), c.quote);
    assert.ok(c.passage.includes(c.quote));
  }
}

function item(comparison: Comparison, kind: string, quote: RegExp) {
  return comparison.items.find(
    (i) => i.kind === kind && (quote.test(i.before?.quote ?? '') || quote.test(i.after?.quote ?? '')),
  );
}

describe('compare two same-issuer documents of two years', () => {
  let engine: Engine;
  before(async () => {
    engine = await createTestEngine({ env: { POLICYBOT_CORPUS_DIR: FIXTURES, POLICYBOT_INDEX_DIR: INDEX } });
  });
  after(async () => engine.close());

  it('issuer + year names each document; targets that became results, numbers that moved, added, dropped', async () => {
    const c = await engine.compare({
      before: '临江市工业和信息化局 2022',
      after: '临江市工业和信息化局 2021',
      requestId: 'req_cmp_1',
    });
    assert.equal(c.before.docId, 'linjiang-2021', 'the earlier year comes first whatever the order typed');
    assert.equal(c.after.docId, 'linjiang-2022');
    assert.equal(c.mode, 'extractive');
    const fulfilled = item(c, 'fulfilled', /80家/);
    assert.ok(fulfilled, c.text);
    assert.match(fulfilled.after?.quote ?? '', /86家/);
    assert.deepEqual(
      fulfilled.changes.map((x) => [x.before, x.after, x.direction]),
      [['80家', '86家', 'up']],
    );
    const moved = item(c, 'changed', /银企对接会/);
    assert.deepEqual(
      moved?.changes.map((x) => [x.before, x.after]),
      [['20场', '30场']],
    );
    assert.ok(item(c, 'added', /纾困资金5亿元/), 'a new item of 2022');
    assert.ok(item(c, 'dropped', /千兆光网/), 'a 2021 item 2022 no longer mentions');
    assert.equal(item(c, 'added', /银企对接会/), undefined, 'an aligned item is not also added');
    assert.match(c.text, /80家 → 86家/);
    assertVerbatim(engine, c);
  });

  it('文号 and document ids name documents too; unknown names are input errors', async () => {
    const c = await engine.compare({
      before: '临工信发〔2021〕3号',
      after: 'linjiang-2022',
      requestId: 'req_cmp_2',
    });
    assert.equal(c.before.docId, 'linjiang-2021');
    assert.equal(c.after.docId, 'linjiang-2022');
    await assert.rejects(engine.compare({ before: '火星局', after: null, requestId: 'r' }), InputError);
    await assert.rejects(
      engine.compare({ before: 'linjiang-2021', after: 'linjiang-2021', requestId: 'r' }),
      InputError,
    );
  });

  it('a chat question asking what changed between two years is answered with the comparison', async () => {
    const answer = await engine.answer({
      text: '临江市工业和信息化局2022年和2021年相比有什么变化？',
      requestId: 'req_cmp_chat',
    });
    assert.equal(answer.refused, false);
    assert.match(answer.text, /^比较：/);
    assert.match(answer.text, /80家 → 86家/);
    // Citations are renumbered 1..k in the order the text cites them.
    assert.deepEqual(
      answer.citations.map((c) => c.n),
      answer.citations.map((_c, i) => i + 1),
    );
    const max = Math.max(...[...answer.text.matchAll(/\[(\d+)\]/gu)].map((m) => Number(m[1])));
    assert.equal(max, answer.citations.length);
  });
});

describe("compare the seed's 2021 results with its 2022 targets", () => {
  let engine: Engine;
  before(async () => {
    engine = await createTestEngine();
  });
  after(async () => engine.close());

  it('中小企业局: results vs targets of its own article, the 小巨人 figure moved, each side cited', async () => {
    const c = await engine.compare({ before: '中小企业局', requestId: 'req_seed_sme' });
    assert.deepEqual(
      [c.before.issuer, c.before.year, c.before.role, c.after.year, c.after.role],
      ['中小企业局', 2021, 'results', 2022, 'targets'],
    );
    const moved = item(c, 'changed', /小巨人/);
    assert.ok(moved, c.text);
    assert.match(moved.before?.quote ?? '', /2930家/);
    assert.match(moved.after?.quote ?? '', /3000家左右/);
    assert.equal(moved.before?.issuer, '中小企业局');
    assert.ok(item(c, 'dropped', /约1万亿元/), '2021 tax-cut figure has no 2022 target');
    assert.ok(item(c, 'added', /500家以上/), '2022 target with no 2021 counterpart');
    assert.ok(item(c, 'kept', /服务月/), 'the service month is held both years');
    for (const i of c.items) {
      if (i.before) assert.equal(i.before.issuer, '中小企业局', 'never another issuer’s text');
      if (i.after) assert.equal(i.after.issuer, '中小企业局');
    }
    assertVerbatim(engine, c);
    // The same comparison, asked as two years of the issuer.
    const again = await engine.compare({
      before: '中小企业局 2021',
      after: '中小企业局 2022',
      requestId: 'r',
    });
    assert.deepEqual(
      again.items.map((i) => [i.kind, i.before?.start, i.after?.start]),
      c.items.map((i) => [i.kind, i.before?.start, i.after?.start]),
    );
  });

  it('"2022年和2021年相比有什么变化？" compares every department, each within its own article', async () => {
    const answer = await engine.answer({
      text: '2022年和2021年相比有什么变化？',
      requestId: 'req_seed_chat',
    });
    assert.match(answer.text, /^比较：/);
    assert.ok(answer.citations.length > 0);
    const c = await engine.compare({ before: '2021', after: '2022', requestId: 'r' });
    assert.equal(c.before.issuer, '科技司、电子信息司、信息通信发展司、中小企业局');
    const issuers = new Set(c.items.map((i) => (i.before ?? i.after)?.issuer));
    assert.equal(issuers.size, 4, 'items from every article');
    for (const i of c.items) {
      if (i.before && i.after) assert.equal(i.before.issuer, i.after.issuer, 'aligned within one article');
    }
  });

  it('"今年和去年相比有什么变化？" is the library\'s newest year against the one before (2022 vs 2021 here)', async () => {
    const relative = await engine.answer({ text: '今年和去年相比有什么变化？', requestId: 'r-rel' });
    const absolute = await engine.answer({ text: '2022年和2021年相比有什么变化？', requestId: 'r-abs' });
    assert.match(relative.text, /^比较：/);
    assert.equal(relative.text, absolute.text);
    // A plan's 目标 is what every comparison is about, not a topic to narrow it to.
    const targets = await engine.answer({ text: '今年和去年的目标有什么变化？', requestId: 'r-tgt' });
    assert.match(targets.text, /^比较：.*2021年成绩/u);
    const c = await engine.compare({ before: '中小企业局 去年', after: '中小企业局 今年', requestId: 'r' });
    const years = await engine.compare({
      before: '中小企业局 2021',
      after: '中小企业局 2022',
      requestId: 'r',
    });
    assert.deepEqual(
      c.items.map((i) => [i.kind, i.before?.start, i.after?.start]),
      years.items.map((i) => [i.kind, i.before?.start, i.after?.start]),
    );
  });

  it('an ordinary question is still answered by retrieval', async () => {
    const answer = await engine.answer({ text: '2021年新建了多少个5G基站？', requestId: 'r' });
    assert.doesNotMatch(answer.text, /^比较：/);
  });
});

describe('change questions name a topic', () => {
  let engine: Engine;
  before(async () => {
    engine = await createTestEngine({ env: { POLICYBOT_CORPUS_DIR: FIXTURES, POLICYBOT_INDEX_DIR: INDEX } });
  });
  after(async () => engine.close());

  it('the comparison is narrowed to the items quoting the topic; a topic no item quotes goes to retrieval', async () => {
    const focused = await engine.answer({
      text: '临江市工业和信息化局2022年和2021年相比，5G基站有什么变化？',
      requestId: 'r1',
    });
    assert.match(focused.text, /^比较：/);
    assert.match(focused.text, /3000个 → 3200个/);
    assert.doesNotMatch(focused.text, /银企对接会|专精特新/);
    for (const c of focused.citations) assert.match(c.quote, /5G|基站/);
    // The fixtures' newest plan is of 2022: "今年和去年" are 2022 and 2021.
    const relative = await engine.answer({
      text: '临江市工业和信息化局今年和去年相比，5G基站有什么变化？',
      requestId: 'r3',
    });
    assert.equal(relative.text, focused.text);
    const elsewhere = await engine.answer({
      text: '2022年和2021年相比，火星探测有什么变化？',
      requestId: 'r2',
    });
    assert.doesNotMatch(elsewhere.text, /^比较：/);
  });
});
