import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveModelLocation } from '../../src/embeddings/TransformersEmbedder.js';
import { tinyModelFixture } from './tiny-model-fixture.js';

describe('resolveModelLocation', () => {
  let fixture: Awaited<ReturnType<typeof tinyModelFixture>>;
  before(async () => {
    fixture = await tinyModelFixture();
  });
  after(async () => {
    await fixture.cleanup();
  });

  it('treats owner/name and bare names as hub ids cached under modelsDir/<id>', async () => {
    assert.deepEqual(await resolveModelLocation('Xenova/bge-small-zh-v1.5', 'embeddings/models'), {
      kind: 'hub',
      path: 'Xenova/bge-small-zh-v1.5',
      cacheDir: resolve('embeddings/models/Xenova/bge-small-zh-v1.5'),
    });
    assert.equal((await resolveModelLocation('bge-small-zh-v1.5', 'm')).kind, 'hub');
  });

  it('treats paths, and existing model directories, as local directories', async () => {
    for (const model of [
      '/opt/models/bge',
      './bge',
      '../bge',
      'a/b/c',
      'C:\\models\\bge',
      fixture.modelDir,
    ]) {
      const location = await resolveModelLocation(model, 'm');
      assert.equal(location.kind, 'directory', model);
      assert.equal(location.path, resolve(model));
    }
  });
});
