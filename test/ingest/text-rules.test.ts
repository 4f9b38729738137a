import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endsSentence, isHeadingLike, parseByline } from '../../src/ingest/text-rules.js';

describe('parseByline', () => {
  it('splits a ministry prefix from the unit', () => {
    for (const [line, short] of [
      ['工业和信息化部科技司', '科技司'],
      ['工业和信息化部信息通信发展司', '信息通信发展司'],
      ['工业和信息化部中小企业局', '中小企业局'],
      ['国家发展改革委高技术司', '高技术司'],
      ['国家发展和改革委员会产业发展司', '产业发展司'],
      ['国家市场监督管理总局质量发展局', '质量发展局'],
      ['教育部高等教育司', '高等教育司'],
      ['工业和信息化部 科技司', '科技司'],
    ] as const) {
      assert.deepEqual(parseByline(line), { short, full: line.replace(/\s/g, '') }, line);
    }
  });

  it('accepts a bare issuer unit', () => {
    assert.deepEqual(parseByline('科技司'), { short: '科技司', full: '科技司' });
  });

  it('rejects titles, phrases and sentences', () => {
    for (const line of [
      '坚持以人民为中心',
      '胸怀两个大局',
      '着力推动中小企业 平稳健康发展',
      '助力打通经济社会发展信息“大动脉”',
      '工业和信息化部科技司坚持创新。',
      '司',
    ]) {
      assert.equal(parseByline(line), null, line);
    }
  });
});

describe('line predicates', () => {
  it('endsSentence sees final punctuation, also before closing quotes', () => {
    assert.ok(endsSentence('完成。'));
    assert.ok(endsSentence('他说：“好。”'));
    assert.ok(endsSentence('如下：'));
    assert.ok(!endsSentence('组织做好“百城千屏”'));
    assert.ok(!endsSentence('先进计算、'));
  });

  it('isHeadingLike: short and without clause punctuation', () => {
    assert.ok(isHeadingLike('着力推动中小企业 平稳健康发展'));
    assert.ok(!isHeadingLike('强化服务，切实增强企业获得感。'));
    assert.ok(!isHeadingLike('很'.repeat(41)));
  });
});
