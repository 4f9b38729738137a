import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { unifyIdeographs } from '../../../src/ingest/loaders/cjk-ideographs.js';
import { pdfLoader } from '../../../src/ingest/loaders/pdf-loader.js';
import { closeOcrPool } from '../../../src/ingest/ocr/ocr-pool.js';
import { structureDocument } from '../../../src/ingest/structure-document.js';
import type { SourceDocument } from '../../../src/ingest/types.js';
import { charErrorRate, evidenceCoverage } from '../../../src/internal/text-measures.js';

// The one OCR run of the suite: pages 1–2 of a real State Council notice as a 200-dpi scan (no text layer),
// recognised once into a fresh cache; the second load must come from that cache.
const SCAN = 'test/fixtures/formats/yaopin-scan-p1-2.pdf';
const CACHE = 'test/.tmp/ocr-cache-scan';

describe('a scanned PDF through OCR', () => {
  let doc: SourceDocument;
  const pages: number[] = [];
  before(async () => {
    await rm(CACHE, { recursive: true, force: true });
    await mkdir(CACHE, { recursive: true });
    doc = await pdfLoader.load({
      id: 'scan',
      path: SCAN,
      bytes: readFileSync(SCAN),
      options: { ocr: true, cacheDir: CACHE, onPage: (done, total) => pages.push(done, total) },
    });
  });
  after(closeOcrPool);

  it('reads the text with a character error rate ≤ 4 % against the text layer', () => {
    const reference = unifyIdeographs(
      readFileSync('test/fixtures/formats/yaopin-p1-2.text-layer.txt', 'utf8'),
    );
    const cer = charErrorRate(doc.text, reference);
    assert.ok(cer <= 0.04, `CER ${(cer * 100).toFixed(2)} %`);
    assert.equal(doc.ocr?.pages, 2);
    assert.ok((doc.ocr?.meanConfidence ?? 0) > 80, `mean confidence ${doc.ocr?.meanConfidence}`);
    assert.deepEqual(pages, [1, 2, 2, 2], 'onPage after each page');
  });

  it('lays the pages out as paragraphs: title lines, 文号 and body blocks with their pages, no spaces between Chinese characters', () => {
    const texts = (doc.blocks ?? []).map((b) => doc.text.slice(b.start, b.end));
    assert.ok(texts.includes('国务院办公厅关于印发国家组织药品'), texts.slice(0, 12).join('\n'));
    assert.ok(texts.includes('集中采购和使用试点方案的通知'));
    assert.ok(
      texts.some((t) => /^国办发[〔[【(（]2019[〕\]】)）]2号$/u.test(t)),
      'the 文号 line, brackets as read',
    );
    assert.deepEqual([...new Set(doc.blocks?.map((b) => b.page))], [1, 2]);
    const long = texts.filter((t) => t.length > 100);
    // Tesseract's spaces between characters are gone from the prose (a wide column gap stays a space).
    for (const t of long) assert.doesNotMatch(t, /\p{Script=Han} \p{Script=Han}/u, t);
    assert.ok(long.length >= 10, 'lines rejoined into paragraphs');
  });

  it('detects title, 文号, issuer and dates from the recognised text (the metadata table above it half-read)', () => {
    const { meta } = structureDocument(doc);
    assert.equal(meta.title, '国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知');
    assert.equal(meta.docNumber, '国办发〔2019〕2号');
    assert.deepEqual(
      meta.issuers.map((i) => i.full),
      ['国务院办公厅'],
    );
    assert.equal(meta.date, '2019-01-01');
  });

  it('holds ≥ 90 % of the characters of every dev-corpus evidence that lies on these pages in one block', () => {
    const layer = readFileSync('test/fixtures/formats/yaopin-p1-2.text-layer.txt', 'utf8');
    const squash = (s: string) => unifyIdeographs(s).normalize('NFKC').replace(/\s+/g, '');
    const questions = readFileSync('eval/corpus-dev/qa.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { evidence?: string })
      .filter((q) => q.evidence && squash(layer).includes(squash(q.evidence)));
    assert.ok(questions.length >= 3, `${questions.length} questions`);
    const blocks = (doc.blocks ?? []).map((b) => doc.text.slice(b.start, b.end));
    for (const q of questions) {
      const best = Math.max(...blocks.map((b) => evidenceCoverage(q.evidence as string, b)));
      assert.ok(best >= 0.9, `${q.evidence}: ${(best * 100).toFixed(0)} %`);
    }
  });

  it('re-reads an unchanged scan from the cache, without OCR', async () => {
    assert.equal((await readdir(`${CACHE}/ocr`)).length, 2);
    const started = performance.now();
    const again = await pdfLoader.load({
      id: 'scan',
      path: SCAN,
      bytes: readFileSync(SCAN),
      options: { ocr: true, cacheDir: CACHE },
    });
    assert.equal(again.text, doc.text);
    assert.ok(performance.now() - started < 5000, 'no recognition (a page takes several seconds)');
  });
});
