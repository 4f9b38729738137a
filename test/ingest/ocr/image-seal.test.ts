import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { unifyIdeographs } from '../../../src/ingest/loaders/cjk-ideographs.js';
import { imageLoader } from '../../../src/ingest/loaders/image-loader.js';
import { closeOcrPool } from '../../../src/ingest/ocr/ocr-pool.js';
import { charErrorRate } from '../../../src/internal/text-measures.js';

const SEAL = 'test/fixtures/formats/seal-crop.jpg';

describe('an image with a red seal over the text', () => {
  after(closeOcrPool);

  it('is recognised with the seal dropped: the text under it reads as the text layer (CER ≤ 4 %)', async () => {
    const doc = await imageLoader.load({
      id: 'seal',
      path: SEAL,
      bytes: readFileSync(SEAL),
      options: { ocr: true, cacheDir: null, workers: 1 },
    });
    assert.equal(doc.format, 'image');
    assert.equal(doc.ocr?.pages, 1);
    // The strip's full lines, from the text layer of the same page.
    const layer = unifyIdeographs(
      readFileSync('test/fixtures/formats/yaopin-p1-2.text-layer.txt', 'utf8'),
    ).replace(/\s+/g, '');
    const first = '督促检查、总结评估';
    const last = '探索完善药品集中采购机制和';
    const reference = layer.slice(layer.indexOf(first), layer.indexOf(last) + last.length);
    const text = doc.text.replace(/\s+/g, '');
    const read = text.slice(text.indexOf(first.slice(0, 4)));
    const cer = charErrorRate(read, reference);
    assert.ok(cer <= 0.04, `CER ${(cer * 100).toFixed(2)} %`);
    assert.doesNotMatch(doc.text, /专用章/, 'the seal’s own text is not read');
  });

  it('with OCR off, is named as needing OCR; a broken image is named corrupt', async () => {
    const bytes = readFileSync(SEAL);
    await assert.rejects(
      Promise.resolve().then(() =>
        imageLoader.load({ id: 'x', path: 'x.jpg', bytes, options: { ocr: false, cacheDir: null } }),
      ),
      { reason: 'needs-ocr', message: 'image (1 page): needs OCR (POLICYBOT_OCR is off)' },
    );
    await assert.rejects(
      Promise.resolve().then(() =>
        imageLoader.load({
          id: 'x',
          path: 'x.png',
          bytes: bytes.subarray(0, 64),
          options: { ocr: true, cacheDir: null },
        }),
      ),
      { reason: 'corrupt' },
    );
  });
});
