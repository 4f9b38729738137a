import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeFigures, parseFigures, writeFigures } from '../../src/figures/figure-store.js';
import { structureDocument } from '../../src/ingest/structure-document.js';

test('figures.json is written a figure per line and reads back whole or line by line', async () => {
  const document = structureDocument({
    id: 'plan',
    path: 'corpus/plan.txt',
    format: 'txt',
    text: '关于推进工作的通知\n\n到2025年，新建5G基站60万个，培育100家以上示范企业，投资增长8.5%。\n\n全年粮食产量保持在1.3万亿斤以上。',
    contentHash: 'h',
  });
  const encoded = encodeFigures([document]);
  assert.ok(encoded.figures.length >= 2, 'the text has figures');
  const dir = await mkdtemp(join(tmpdir(), 'figures-'));
  try {
    const file = join(dir, 'figures.json');
    writeFigures(file, encoded);
    const bytes = await readFile(file);
    assert.equal(bytes.toString('utf8').split('\n').length, encoded.figures.length + 3, 'a line per figure');
    assert.deepEqual(JSON.parse(bytes.toString('utf8')), encoded, 'one JSON document');
    assert.deepEqual(parseFigures(bytes), encoded);
    // As a file too large for one string is read:
    assert.deepEqual(parseFigures(bytes, 0), encoded);
    assert.equal(parseFigures(Buffer.from('{"other":1}\n'), 0), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
