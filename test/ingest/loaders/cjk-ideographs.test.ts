import assert from 'node:assert/strict';
import { it } from 'node:test';
import { unifyIdeographs } from '../../../src/ingest/loaders/cjk-ideographs.js';

it('maps Kangxi and supplement radicals and compatibility ideographs, and keeps full-width punctuation', () => {
  // ⺠⻛⻄⻓⻚ are CJK Radicals Supplement (NFKC leaves them), ⽂⽇⼈ Kangxi radicals, 豈 U+F900.
  assert.equal(
    unifyIdeographs('⼈⺠政府，⻛险（⻄部）⻓期⻚⽂⽇豈：'),
    '人民政府，风险（西部）长期页文日豈：',
  );
  assert.equal('豈'.normalize('NFC'), '豈');
  assert.equal(unifyIdeographs('ABC，１２３'), 'ABC，１２３');
});
