import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { loadCorpus } from '../../../src/ingest/load-corpus.js';
import { SUPPORTED_EXTENSIONS } from '../../../src/ingest/loaders/index.js';
import { buildDocx, SAMPLE_NOTICE } from '../../helpers/docx.js';
import { buildPdf } from '../../helpers/pdf.js';

let dir: string;
const F = 'test/fixtures/formats';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policybot-formats-'));
  await copyFile('eval/corpus-dev/docs/guofa-2019-03-zonghe-baoshuiqu.html', join(dir, 'a-page.html'));
  await writeFile(join(dir, 'b-notice.docx'), buildDocx(SAMPLE_NOTICE));
  await copyFile(`${F}/notice.doc`, join(dir, 'c-notice.doc'));
  await copyFile(`${F}/gongwen-sample.ofd`, join(dir, 'd-gongwen.ofd'));
  await writeFile(join(dir, 'e-text.pdf'), buildPdf([[{ text: '一份有文字层的文件。', x: 72, y: 700 }]]));
  // GBK bytes of "国家。": older government files are often not UTF-8.
  await writeFile(join(dir, 'f-gbk.txt'), Buffer.from([0xb9, 0xfa, 0xbc, 0xd2, 0xa1, 0xa3]));
  await copyFile(`${F}/encrypted.pdf`, join(dir, 'x-encrypted.pdf'));
  await writeFile(join(dir, 'x-corrupt.pdf'), Buffer.from('%PDF-1.7\n1 0 obj << broken'));
  await writeFile(join(dir, 'x-corrupt.ofd'), Buffer.from('PK\u0003\u0004 not really'));
  await copyFile(`${F}/text-as-paths.ofd`, join(dir, 'x-paths.ofd'));
  await copyFile(`${F}/yaopin-scan-p1-2.pdf`, join(dir, 'x-scan.pdf'));
  await writeFile(join(dir, 'x-binary.txt'), Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]));
  await writeFile(join(dir, 'x-empty.docx'), '');
  await writeFile(join(dir, 'x-sheet.xlsx'), 'PK');
});
after(() => rm(dir, { recursive: true, force: true }));

it('reads every supported format in one corpus and names each unreadable file with its reason', async () => {
  const { documents, failures } = await loadCorpus(dir, { loader: { ocr: false, cacheDir: null } });
  assert.deepEqual(
    documents.map((d) => [d.id, d.format]),
    [
      ['a-page', 'html'],
      ['b-notice', 'docx'],
      ['c-notice', 'doc'],
      ['d-gongwen', 'ofd'],
      ['e-text', 'pdf'],
      ['f-gbk', 'txt'],
    ],
  );
  assert.deepEqual(
    failures.map((f) => [f.path, f.reason, f.message]),
    [
      ['x-binary.txt', 'binary', 'binary data (NUL bytes), not text'],
      ['x-corrupt.ofd', 'corrupt', 'corrupt OFD: not a readable zip package'],
      ['x-corrupt.pdf', 'corrupt', 'corrupt PDF: invalid structure'],
      ['x-empty.docx', 'empty', 'empty file'],
      ['x-encrypted.pdf', 'password-protected', 'password-protected PDF'],
      ['x-paths.ofd', 'needs-ocr', 'OFD whose text is drawn as paths (5 pages): needs OCR'],
      [
        'x-scan.pdf',
        'needs-ocr',
        'scanned PDF with no text layer (2 pages): needs OCR (POLICYBOT_OCR is off)',
      ],
      [
        'x-sheet.xlsx',
        'unsupported-format',
        `unsupported format .xlsx; supported: ${SUPPORTED_EXTENSIONS.join(' ')}`,
      ],
    ],
  );
  for (const f of failures) assert.doesNotMatch(f.message, /\/tmp|\n/, 'one line, no absolute path');
});
