import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pdfLoader } from '../../../src/ingest/loaders/pdf-loader.js';
import type { LoaderOptions, SourceDocument } from '../../../src/ingest/types.js';
import { buildPdf, type PdfLine, paragraphLines } from '../../helpers/pdf.js';

const OFF: LoaderOptions = { ocr: false, cacheDir: null };
const load = async (bytes: Uint8Array, options = OFF) =>
  pdfLoader.load({ id: 'doc', path: 'doc.pdf', bytes, options });
const blockTexts = (doc: SourceDocument) => (doc.blocks ?? []).map((b) => doc.text.slice(b.start, b.end));

describe('pdfLoader', () => {
  it('rejoins lines into paragraphs, across a page break too; drops the running header and page numbers', async () => {
    const first =
      '为进一步规范公文处理工作，提高机关办文效率，经研究决定，自本通知印发之日起在全省各级行政机关推行电子公文交换，请各地区各部门按照统一部署认真组织实施。';
    const second =
      '各级行政机关应当指定专人负责电子公文的接收、登记和归档工作，对接收的电子公文要在一个工作日内完成签收，并按照有关规定及时办理，确保公文运转安全高效。';
    const third = '本通知自印发之日起施行。';
    const header = (n: number): PdfLine[] => [
      { text: '某某省人民政府公报', x: 72, y: 800, size: 9 },
      { text: `— ${n} —`, x: 280, y: 40, size: 9 },
    ];
    // The second paragraph starts near the bottom of page 1 and ends on page 2.
    const p1 = [...paragraphLines(first, 760), ...paragraphLines(second, 120)];
    const onPage1 = p1.filter((l) => l.y >= 80);
    const carried = p1.filter((l) => l.y < 80).map((l, i) => ({ ...l, y: 760 - 20 * i }));
    const page2 = [...carried, ...paragraphLines(third, 760 - 20 * carried.length - 30)];
    const pdf = buildPdf([
      [...header(1), ...onPage1],
      [...header(2), ...page2],
    ]);
    const doc = await load(pdf);
    assert.deepEqual(blockTexts(doc), [first, second, third]);
    assert.deepEqual(
      doc.blocks?.map((b) => [b.kind, b.page]),
      [
        ['paragraph', 1],
        ['paragraph', 1],
        ['paragraph', 2],
      ],
    );
    assert.equal(doc.format, 'pdf');
  });

  it('reads the dev PDF: paragraphs with pages, radicals mapped, full-width punctuation kept', async () => {
    const bytes = readFileSync('eval/corpus-dev/docs/guobanfa-2019-02-yaopin-jizhong-caigou.pdf');
    const doc = await load(bytes);
    const texts = blockTexts(doc);
    assert.ok(texts.includes('国办发〔2019〕2号'));
    assert.ok(
      texts.includes('国务院办公厅关于印发国家组织药品'),
      'a title set on two lines stays two blocks',
    );
    // This paragraph runs from the foot of page 1 onto page 2.
    assert.ok(
      texts.includes(
        '（二）招采合一，保证使用。通过招标、议价、谈判等不同形式确定的集中采购品种，试点地区公立医疗机构应优先使用，确保1年内完成合同用量。',
      ),
    );
    assert.doesNotMatch(doc.text, /[\u2e80-\u2fdf]/u, 'no radicals left');
    assert.match(doc.text, /各省、自治区、直辖市人民政府，/);
    assert.deepEqual([...new Set(doc.blocks?.map((b) => b.page))], [1, 2]);
    const reference = readFileSync('eval/corpus-dev/text/guobanfa-2019-02-yaopin-jizhong-caigou.txt', 'utf8');
    const squash = (s: string) => s.replace(/\s+/g, '');
    for (const line of reference.split('\n').filter((l) => l.trim().length > 40)) {
      assert.ok(squash(doc.text).includes(squash(line)), `reference line kept: ${line.slice(0, 20)}…`);
    }
  });

  it('names a password-protected PDF and a corrupt one', async () => {
    await assert.rejects(load(readFileSync('test/fixtures/formats/encrypted.pdf')), {
      reason: 'password-protected',
      message: 'password-protected PDF',
    });
    const good = buildPdf([[{ text: '正文', x: 72, y: 700 }]]);
    await assert.rejects(load(good.subarray(0, good.length / 2)), { reason: 'corrupt' });
    await assert.rejects(load(Buffer.from('not a pdf at all')), {
      reason: 'corrupt',
      message: 'corrupt PDF: no PDF header',
    });
  });

  it('with OCR off, names a scan as needing OCR and keeps the text pages of a mixed PDF', async () => {
    await assert.rejects(load(readFileSync('test/fixtures/formats/yaopin-scan-p1-2.pdf')), {
      reason: 'needs-ocr',
      message: 'scanned PDF with no text layer (2 pages): needs OCR (POLICYBOT_OCR is off)',
    });
    const mixed = await load(readFileSync('test/fixtures/formats/mixed-text-and-scan.pdf'));
    assert.deepEqual(mixed.unreadPages, [2]);
    assert.match(mixed.text, /某政办发〔2026〕7号/);
    assert.equal(mixed.ocr, undefined);
  });

  it('names a PDF whose glyphs are drawn as paths as needing OCR, and says what renders it', async () => {
    const paths = readFileSync('test/fixtures/formats/text-as-paths.pdf');
    await assert.rejects(load(paths), {
      reason: 'needs-ocr',
      message: 'PDF with no text layer (1 page): needs OCR (POLICYBOT_OCR is off)',
    });
    // Without poppler's pdftoppm on PATH (it is optional), the page cannot be rendered for OCR.
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(load(paths, { ocr: true, cacheDir: null }), {
        reason: 'needs-ocr',
        message:
          "PDF whose text is drawn as paths (1 page): needs OCR, which needs poppler's pdftoppm to render them",
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
