import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { docLoader } from '../../../src/ingest/loaders/doc-loader.js';
import { docxLoader } from '../../../src/ingest/loaders/docx-loader.js';
import type { Loader, SourceDocument } from '../../../src/ingest/types.js';
import { buildDocx, SAMPLE_NOTICE } from '../../helpers/docx.js';

const load = async (loader: Loader, bytes: Uint8Array, path = 'doc.docx') =>
  loader.load({ id: 'doc', path, bytes, options: { ocr: false, cacheDir: null } });
const blocks = (doc: SourceDocument) =>
  (doc.blocks ?? []).map((b) => [b.kind, b.level ?? 0, doc.text.slice(b.start, b.end)]);

describe('docxLoader', () => {
  it('reads headings from styles, list numbering as Word shows it, tables as rows and line breaks as lines', async () => {
    const doc = await load(docxLoader, buildDocx(SAMPLE_NOTICE, '公文格式测试'));
    assert.deepEqual(blocks(doc), [
      ['heading', 1, '某某市人民政府办公室关于开展公文格式测试的通知'],
      ['paragraph', 0, '某政办发〔2026〕7号'],
      ['paragraph', 0, '各区人民政府，市政府各部门：'],
      ['paragraph', 0, '为检验办公系统读取公文的能力，现就有关事项通知如下。'],
      ['paragraph', 0, '一、工作目标'],
      ['paragraph', 0, '（一）到2026年底，全市公文电子化率达到95%以上。'],
      ['paragraph', 0, '二、保障措施'],
      ['heading', 2, '附表'],
      ['table-row', 0, '项目 | 责任单位 | 完成时限'],
      ['table-row', 0, '公文系统改造 | 市大数据局 | 2026年6月30日'],
      ['line', 0, '某某市人民政府办公室'],
      ['line', 0, '2026年3月10日'],
    ]);
    assert.deepEqual(doc.stated, { title: '公文格式测试' });
    assert.equal(doc.statedOrigin, 'properties');
  });

  it('states a labelled table (标题/文号/发文机关) with origin page', async () => {
    const doc = await load(
      docxLoader,
      buildDocx([
        {
          table: [
            ['标　　题', '关于开展测试的通知'],
            ['文号', '测发〔2026〕1号'],
            ['发文机关', '某某局'],
          ],
        },
        { paragraph: '正文。' },
      ]),
    );
    assert.deepEqual(doc.stated, {
      title: '关于开展测试的通知',
      docNumber: '测发〔2026〕1号',
      issuers: ['某某局'],
    });
    assert.equal(doc.statedOrigin, 'page');
  });

  it('reads the dev corpus DOCX', async () => {
    const doc = await load(
      docxLoader,
      readFileSync('eval/corpus-dev/docs/fagai-yunxing-2020-1784-zhongchangqi-hetong.docx'),
    );
    assert.ok(doc.text.includes('发改运行〔2020〕1784号'));
    assert.ok((doc.blocks?.length ?? 0) > 30);
  });

  it('names a corrupt, an empty-package and a password-protected DOCX', async () => {
    await assert.rejects(load(docxLoader, Buffer.from('PK\u0003\u0004 truncated')), { reason: 'corrupt' });
    await assert.rejects(load(docxLoader, zipSync({ 'a.txt': strToU8('x') })), {
      reason: 'corrupt',
      message: 'corrupt DOCX: no word/document.xml',
    });
    // Word saves a password-protected DOCX as an OLE compound file holding an EncryptedPackage stream.
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    await assert.rejects(load(docxLoader, ole), {
      reason: 'password-protected',
      message: 'password-protected DOCX',
    });
  });
});

describe('docLoader', () => {
  it('reads a Word 97–2003 .doc made by LibreOffice: paragraphs and table rows', async () => {
    const doc = await load(docLoader, readFileSync('test/fixtures/formats/notice.doc'), 'notice.doc');
    assert.equal(doc.format, 'doc');
    const texts = blocks(doc).map(([kind, , text]) => `${kind}:${text}`);
    assert.ok(texts.includes('paragraph:某某市人民政府办公室关于开展公文格式测试的通知'));
    assert.ok(texts.includes('paragraph:某政办发〔2026〕7号'));
    assert.ok(texts.includes('table-row:公文系统改造 | 市大数据局 | 2026年6月30日'));
    assert.ok(texts.includes('paragraph:2026年3月10日'));
  });

  it('reads a .wps in the Word binary format the same way; names other .wps and .doc files', async () => {
    const doc = await load(docLoader, readFileSync('test/fixtures/formats/notice.wps'), 'notice.wps');
    assert.match(doc.text, /某政办发〔2026〕7号/);
    await assert.rejects(load(docLoader, Buffer.from('{\\rtf1 not a word file}'), 'old.wps'), {
      reason: 'unsupported-format',
    });
    const works = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(1000),
    ]);
    await assert.rejects(load(docLoader, works, 'works.wps'), {
      reason: 'unsupported-format',
      message: '.wps file is not a Word document (e.g. Microsoft Works): save it as .docx',
    });
  });

  it('reads a DOCX saved under .doc', async () => {
    const doc = await load(docLoader, buildDocx([{ paragraph: '其实是DOCX。' }]), 'renamed.doc');
    assert.equal(doc.text, '其实是DOCX。');
  });
});
