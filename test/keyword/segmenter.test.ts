import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasHan, segment } from '../../src/keyword/segmenter.js';

describe('segment', () => {
  it('yields tokens a query for a sub-term can match', () => {
    const doc = segment('推动国家级车联网先导区建设');
    for (const token of segment('车联网'))
      assert.ok(doc.includes(token), `missing ${token} in ${doc.join(' ')}`);
    assert.ok(doc.includes('国家级'));
    // Bigrams of 3+ character words let "国家" meet "国家级".
    assert.ok(doc.includes('国家'));
  });

  it('adds bigrams of long words so a shorter query word still matches', () => {
    const doc = segment('研究建设中小企业数字化服务平台');
    assert.ok(doc.includes('中小企业'));
    assert.ok(doc.includes('企业'));
    assert.ok(doc.includes('小企'));
  });

  it('lower-cases Latin and keeps model numbers whole', () => {
    const tokens = segment('加快5G+车联网发展，实施IPv6+应用创新行动，推进R17标准');
    assert.ok(tokens.includes('5g'));
    assert.ok(tokens.includes('ipv6'));
    assert.ok(tokens.includes('r17'));
    assert.ok(!tokens.some((t) => /[A-Z]/.test(t)));
  });

  it('folds full-width letters and digits', () => {
    assert.ok(segment('５Ｇ网络').includes('5g'));
  });

  it('drops punctuation, whitespace and function words', () => {
    const tokens = segment('工业的“稳增长”和 高质量发展，与、及等。 \n\t');
    for (const dropped of ['的', '和', '与', '及', '等', '，', '“', ' ', ''])
      assert.ok(!tokens.includes(dropped), dropped);
    assert.ok(tokens.includes('增长'));
    assert.ok(tokens.every((t) => /^[\p{L}\p{N}]+$/u.test(t)));
  });

  it('returns [] for empty or symbol-only input', () => {
    assert.deepEqual(segment(''), []);
    assert.deepEqual(segment('，。！？  ()*"'), []);
  });

  it('is fast enough for large corpora', () => {
    const text = '2022年，科技司将认真贯彻落实党中央、国务院决策部署，推动国家级车联网先导区建设。'.repeat(5);
    segment(text);
    const start = performance.now();
    for (let i = 0; i < 2000; i++) segment(text);
    const perChunkMs = (performance.now() - start) / 2000;
    // ~200-char chunks: well under 1 ms each even on a busy machine (measured ~0.05 ms).
    assert.ok(perChunkMs < 1, `${perChunkMs} ms per chunk`);
  });

  it('hasHan detects Chinese characters', () => {
    assert.equal(hasHan('5G 车联网'), true);
    assert.equal(hasHan('5G only'), false);
  });
});
