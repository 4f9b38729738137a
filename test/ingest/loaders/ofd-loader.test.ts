import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { ofdLoader } from '../../../src/ingest/loaders/ofd-loader.js';
import { structureDocument } from '../../../src/ingest/structure-document.js';
import type { SourceDocument } from '../../../src/ingest/types.js';

const load = async (bytes: Uint8Array, ocr = true) =>
  ofdLoader.load({ id: 'doc', path: 'doc.ofd', bytes, options: { ocr, cacheDir: null } });
const texts = (doc: SourceDocument) => (doc.blocks ?? []).map((b) => doc.text.slice(b.start, b.end));

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const textObject = (text: string, x: number, y: number) =>
  `<ofd:TextObject ID="9" Font="1" Size="5" Boundary="${x} ${y} 150 7"><ofd:TextCode X="0" Y="5" DeltaX="g ${[...text].length - 1} 5">${text}</ofd:TextCode></ofd:TextObject>`;
const page = (body: string, template?: string) =>
  `<ofd:Page ${NS}>${template ? `<ofd:Template TemplateID="${template}"/>` : ''}<ofd:Content><ofd:Layer ID="2">${body}</ofd:Layer></ofd:Content></ofd:Page>`;

/** An OFD package: documents of pages (Content.xml bodies), with an optional template shared by the pages. */
function buildOfd(docs: { title?: string; pages: string[]; template?: string }[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const bodies = docs.map((d, i) => {
    const dir = `Doc_${i}`;
    d.pages.forEach((p, n) => {
      files[`${dir}/Pages/Page_${n}/Content.xml`] = strToU8(page(p, d.template ? '50' : undefined));
    });
    if (d.template) files[`${dir}/Tpls/Tpl_0/Content.xml`] = strToU8(page(d.template));
    files[`${dir}/Document.xml`] = strToU8(
      `<ofd:Document ${NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>${d.template ? '<ofd:TemplatePage ID="50" BaseLoc="Tpls/Tpl_0/Content.xml"/>' : ''}</ofd:CommonData><ofd:Pages>${d.pages.map((_, n) => `<ofd:Page ID="${n + 1}" BaseLoc="Pages/Page_${n}/Content.xml"/>`).join('')}</ofd:Pages></ofd:Document>`,
    );
    const info = d.title
      ? `<ofd:DocInfo><ofd:Title>${d.title}</ofd:Title><ofd:Author>Suwell OFD Writer 3.0</ofd:Author></ofd:DocInfo>`
      : '';
    return `<ofd:DocBody>${info}<ofd:DocRoot>${dir}/Document.xml</ofd:DocRoot></ofd:DocBody>`;
  });
  files['OFD.xml'] = strToU8(`<ofd:OFD ${NS} Version="1.0" DocType="OFD">${bodies.join('')}</ofd:OFD>`);
  return zipSync(files);
}

describe('ofdLoader', () => {
  it('reads the 公文 sample: 红头, 文号, title, body paragraphs rejoined, signature and date, page numbers dropped', async () => {
    const doc = await load(readFileSync('test/fixtures/formats/gongwen-sample.ofd'));
    const t = texts(doc);
    assert.deepEqual(t.slice(0, 4), [
      '测试符路桥区卫生局文件',
      '路卫发〔2011〕76号',
      '关于同意张阿三同志辞职的批复',
      '区中医院：',
    ]);
    assert.ok(t.includes('你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。'));
    assert.ok(
      t.includes(
        '张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参加工作，本科学历，主治医师，系区中医院职工。',
      ),
    );
    assert.ok(
      t.some((x) => x.startsWith('该同志由于家庭') && x.endsWith('同意张阿三同志辞职。')),
      'a 5-line paragraph',
    );
    assert.ok(t.includes('2011年3月10日'));
    assert.doesNotMatch(doc.text, /— \d —/);
    assert.deepEqual([...new Set(doc.blocks?.map((b) => b.page))], [1, 2]);
    assert.equal(doc.stated, undefined, 'DocInfo holds only the producing software');
  });

  it("gives the 公文 sample's title, 文号, issuer (its 红头 masthead) and date", async () => {
    const { meta } = structureDocument(await load(readFileSync('test/fixtures/formats/gongwen-sample.ofd')));
    assert.equal(meta.title, '关于同意张阿三同志辞职的批复');
    assert.equal(meta.docNumber, '路卫发〔2011〕76号');
    // The sample's own text prefixes its bodies with "测试符"; the office that signed is kept as a signer.
    assert.deepEqual(
      meta.issuers.map((i) => i.full),
      ['测试符路桥区卫生局'],
    );
    assert.deepEqual(meta.signers, ['测试符路桥区卫生局办公室']);
    assert.equal(meta.date, '2011-03-10');
    assert.equal(meta.kind, '批复');
  });

  it('reports an OFD whose glyphs are drawn as paths as needing OCR, never as an empty document', async () => {
    await assert.rejects(load(readFileSync('test/fixtures/formats/text-as-paths.ofd')), {
      reason: 'needs-ocr',
      message: 'OFD whose text is drawn as paths (5 pages): needs OCR',
    });
  });

  it('takes a page template once, reads several documents of a package, and states DocInfo as properties', async () => {
    const doc = await load(
      buildOfd([
        {
          title: '第一份文件',
          template: textObject('某某单位内部资料', 20, 10),
          pages: [textObject('第一份文件正文。', 20, 50), textObject('第一份文件第二页。', 20, 50)],
        },
        { pages: [textObject('第二份文件正文。', 20, 50)] },
      ]),
    );
    assert.deepEqual(texts(doc), [
      '某某单位内部资料',
      '第一份文件正文。',
      '第一份文件第二页。',
      '第二份文件正文。',
    ]);
    assert.deepEqual(
      doc.blocks?.map((b) => b.page),
      [1, 1, 2, 3],
    );
    assert.deepEqual(doc.stated, { title: '第一份文件' });
    assert.equal(doc.statedOrigin, 'properties');
  });

  it('names corrupt packages', async () => {
    await assert.rejects(load(Buffer.from('not a zip')), {
      reason: 'corrupt',
      message: 'corrupt OFD: not a readable zip package',
    });
    await assert.rejects(load(zipSync({ 'Doc_0/Document.xml': strToU8('<x/>') })), {
      reason: 'corrupt',
      message: 'corrupt OFD: no OFD.xml',
    });
    const noDoc = zipSync({
      'OFD.xml': strToU8(
        `<ofd:OFD ${NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
      ),
    });
    await assert.rejects(load(noDoc), { reason: 'corrupt', message: 'corrupt OFD: no Document.xml' });
  });
});
