import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loaderFor, markdownLoader, textLoader } from '../../../src/ingest/loaders/index.js';
import type { Loader } from '../../../src/ingest/types.js';

describe('loaderFor', () => {
  it('picks a loader by extension, case-insensitively', () => {
    assert.equal(loaderFor('a/b.txt'), textLoader);
    assert.equal(loaderFor('a/b.MD'), markdownLoader);
    assert.equal(loaderFor('a/b.xyz'), undefined);
  });

  it('accepts custom loaders behind the same interface', () => {
    const csv: Loader = {
      extensions: ['.csv'],
      load: ({ id, path, bytes }) => ({
        id,
        path,
        format: 'txt',
        text: String(bytes.length),
        contentHash: '',
      }),
    };
    assert.equal(loaderFor('x.csv', [csv]), csv);
    assert.equal(loaderFor('x.txt', [csv]), undefined);
  });
});
