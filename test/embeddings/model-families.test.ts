import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BGE_EN_QUERY_INSTRUCTION,
  BGE_ZH_QUERY_INSTRUCTION,
  detectModelFamily,
  prefixesForModel,
} from '../../src/embeddings/model-families.js';

describe('model families', () => {
  it('recognises e5, bge-zh and bge-en from hub ids and directories', () => {
    assert.equal(detectModelFamily('Xenova/multilingual-e5-small'), 'e5');
    assert.equal(detectModelFamily('intfloat/e5-base-v2'), 'e5');
    assert.equal(detectModelFamily('/opt/models/multilingual-e5-large/'), 'e5');
    assert.equal(detectModelFamily('Xenova/bge-small-zh-v1.5'), 'bge-zh');
    assert.equal(detectModelFamily('BAAI/bge-large-zh'), 'bge-zh');
    assert.equal(detectModelFamily('embeddings/models/Xenova/bge-base-zh-v1.5'), 'bge-zh');
    assert.equal(detectModelFamily('Xenova/bge-base-en-v1.5'), 'bge-en');
    assert.equal(detectModelFamily('C:\\models\\bge-small-en'), 'bge-en');
  });

  it('falls back to no prefixes for other models, including ones merely stored under an e5 folder', () => {
    assert.equal(detectModelFamily('Xenova/bge-m3'), 'unknown');
    assert.equal(detectModelFamily('Xenova/all-MiniLM-L6-v2'), 'unknown');
    assert.equal(detectModelFamily('/data/e5/tiny-model'), 'unknown');
    assert.equal(detectModelFamily('test/.tmp/tiny-model'), 'unknown');
    assert.deepEqual(prefixesForModel('Xenova/all-MiniLM-L6-v2'), { query: '', passage: '' });
  });

  it('applies the published prefixes per family', () => {
    assert.deepEqual(prefixesForModel('Xenova/multilingual-e5-small'), {
      query: 'query: ',
      passage: 'passage: ',
    });
    assert.deepEqual(prefixesForModel('Xenova/bge-small-zh-v1.5'), {
      query: '为这个句子生成表示以用于检索相关文章：',
      passage: '',
    });
    assert.equal(BGE_ZH_QUERY_INSTRUCTION, '为这个句子生成表示以用于检索相关文章：');
    assert.deepEqual(prefixesForModel('Xenova/bge-base-en-v1.5'), {
      query: BGE_EN_QUERY_INSTRUCTION,
      passage: '',
    });
    assert.equal(BGE_EN_QUERY_INSTRUCTION, 'Represent this sentence for searching relevant passages: ');
  });
});
