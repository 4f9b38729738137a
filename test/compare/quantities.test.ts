import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareQuantities, findQuantities } from '../../src/compare/quantities.js';

describe('findQuantities', () => {
  it('reads counts, amounts, shares and ranges with their units and qualifiers, scaled', () => {
    const text =
      '新培育3000家左右第四批企业，支持500家以上，安排35亿元，约1万亿元，4万多家，增长5%—5.5%，组织20场';
    const found = findQuantities(text, 100);
    assert.deepEqual(
      found.map((q) => [q.text, q.value, q.high, q.unit, q.qualifier]),
      [
        ['3000家左右', 3000, 3000, '家', 'about'],
        ['500家以上', 500, 500, '家', 'at-least'],
        ['35亿元', 3.5e9, 3.5e9, '元', 'exact'],
        ['约1万亿元', 1e12, 1e12, '元', 'about'],
        ['4万多家', 4e4, 4e4, '家', 'at-least'],
        ['5%—5.5%', 5, 5.5, '%', 'exact'],
        ['20场', 20, 20, '场', 'exact'],
      ],
    );
    for (const q of found)
      assert.equal(text.slice(q.start - 100, q.end - 100), q.text, 'offsets are verbatim');
  });

  it('does not read years, dates, "5G" or ids as quantities', () => {
    assert.deepEqual(findQuantities('2021年，加快5G建设，“321”工作体系，2022年6月底前'), []);
  });
});

describe('compareQuantities', () => {
  it('pairs quantities by unit and says which way each moved; other units are not comparable', () => {
    const before = findQuantities('新建5G基站3000个，投资20亿元');
    const after = findQuantities('新建5G基站2000个，覆盖80%');
    const changes = compareQuantities(before, after);
    assert.deepEqual(
      changes.map((c) => [c.unit, c.before.text, c.after.text, c.direction]),
      [['个', '3000个', '2000个', 'down']],
    );
    assert.equal(
      compareQuantities(findQuantities('1万亿元'), findQuantities('10000亿元'))[0]?.direction,
      'same',
    );
  });
});
