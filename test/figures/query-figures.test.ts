import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { UnknownIssuerError } from '../../src/errors/index.js';
import { decodeFigures, FIGURES_VERSION } from '../../src/figures/figure-store.js';
import { INDEX_FILES } from '../../src/index/manifest.js';
import { createTestEngine } from '../helpers/engine.js';
import { tempDir } from '../helpers/temp-dir.js';

// A fresh index, so its figures file is written by this version (removed when the file finishes).
const indexDir = await tempDir();

describe('figures in the index and the engine (seed corpus)', () => {
  let engine: Engine;
  before(async () => {
    engine = await createTestEngine({ env: { POLICYBOT_INDEX_DIR: indexDir } });
  });
  after(async () => engine.close());

  it('stores the figures in the index folder and loads them back', () => {
    const file = join(engine.index.dir, INDEX_FILES.figures);
    assert.ok(existsSync(file));
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(stored.version, FIGURES_VERSION);
    assert.deepEqual(engine.index.figures, stored.figures);
    assert.equal(engine.figures().length, 12);
  });

  it('recomputes figures for an index without them or with an older version', () => {
    const fresh = decodeFigures(null, engine.index.documents);
    assert.deepEqual(fresh, engine.index.figures);
    assert.deepEqual(decodeFigures({ version: 0, figures: [] }, engine.index.documents), fresh);
  });

  it('filters by issuer, year, status, words, and reads a chat target as issuer, document or topic', () => {
    const sme = engine.figures({ issuer: '中小企业' });
    assert.ok(sme.length >= 5);
    assert.ok(sme.every((f) => f.issuer === '中小企业局'));
    const targets2022 = engine.figures({ issuer: 'SME', year: 2022, status: 'target' });
    assert.deepEqual(
      targets2022.map((f) => f.valueText),
      ['3000家左右', '500家以上'],
    );
    assert.deepEqual(
      engine.figures({ target: '信息通信发展司' }).map((f) => f.issuer),
      Array(5).fill('信息通信发展司'),
    );
    assert.equal(engine.figures({ target: 'miit-2022-work-plans' }).length, 12);
    assert.deepEqual(
      engine.figures({ target: '虚拟专网' }).map((f) => f.valueText),
      ['1000个'],
    );
    assert.deepEqual(engine.figures({ text: '没有这个词' }), []);
    assert.throws(() => engine.figures({ issuer: '外交部礼宾司' }), UnknownIssuerError);
  });

  it('gives the figures of a passage, for answers to how-much questions', () => {
    const figure = engine.figures({ text: '2930家' })[0];
    assert.ok(figure);
    const chunk = engine.index.chunks.find(
      (c) => c.docId === figure.docId && c.start <= figure.valueStart && c.end >= figure.valueEnd,
    );
    assert.ok(chunk);
    assert.ok(engine.passageFigures(chunk.id).some((f) => f.id === figure.id));
    assert.deepEqual(engine.passageFigures('no-such-passage'), []);
  });
});
