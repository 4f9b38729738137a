import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeHtml, htmlLoader, htmlToBlocks } from '../../../src/ingest/loaders/html-loader.js';
import type { SourceDocument } from '../../../src/ingest/types.js';

const DOCS = 'eval/corpus-dev/docs';
const load = (path: string, bytes = readFileSync(path)) =>
  htmlLoader.load({ id: 'doc', path, bytes, options: { ocr: false, cacheDir: null } }) as SourceDocument;
const texts = (r: { text: string; blocks?: { start: number; end: number }[] }) =>
  (r.blocks ?? []).map((b) => r.text.slice(b.start, b.end));

/** A saved news page: site chrome all around one article. */
const SAVED_PAGE = `<!doctype html><html><head><title>关于做好防汛工作的通知_某某市人民政府</title>
<style>.x{color:red}</style><script>var tracker = "不要这个";</script></head><body>
<header class="site"><a href="/">首页</a><a href="/zw">政务公开</a><a href="/fw">办事服务</a></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/a">政策文件</a></li><li><a href="/b">政策解读</a></li></ul></nav>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/zc">政策</a> &gt; <a href="/zc/wj">文件</a></div>
<div class="main">
 <h1>关于做好防汛工作的通知</h1>
 <div class="info">来源：市应急局　时间：2026-05-20</div>
 <div class="article">
  <p>各区人民政府，市各委办局：</p>
  <p>　　入汛以来，我市降雨偏多，江河水位持续上涨。为切实做好防汛工作，保障人民群众生命财产安全，现就有关事项通知如下。</p>
  <p>一、压实防汛责任。各区要落实以行政首长负责制为核心的防汛责任制，
  明确责任人，确保责任落实到位。</p>
  <table><tr><th>区域</th><th>责任人</th></tr><tr><td>东城区</td><td>张某某</td></tr></table>
  <p>某某市人民政府办公室<br>2026年5月20日</p>
  <div style="display:none">隐藏的统计代码文字，不应出现。</div>
  <p hidden>也不应出现的隐藏段落文字。</p>
 </div>
 <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
 <div class="related"><h3>相关文章</h3><ul>
  <li><a href="/1">关于做好抗旱工作的通知</a></li><li><a href="/2">关于开展安全生产大检查的通知</a></li>
  <li><a href="/3">关于加强地质灾害防治工作的意见</a></li></ul></div>
 <form><input value="搜索"><button>搜索</button></form>
 <iframe src="/ad"></iframe>
</div>
<footer>主办单位：某某市人民政府办公室　网站标识码：1234567890　ICP备12345678号</footer>
</body></html>`;

describe('htmlLoader', () => {
  it('keeps the main content of a saved page and drops navigation, scripts, hidden text, share and related links, forms and the footer', () => {
    const result = htmlToBlocks(SAVED_PAGE);
    assert.deepEqual(texts(result), [
      '关于做好防汛工作的通知',
      '各区人民政府，市各委办局：',
      '入汛以来，我市降雨偏多，江河水位持续上涨。为切实做好防汛工作，保障人民群众生命财产安全，现就有关事项通知如下。',
      '一、压实防汛责任。各区要落实以行政首长负责制为核心的防汛责任制，明确责任人，确保责任落实到位。',
      '区域 | 责任人',
      '东城区 | 张某某',
      '某某市人民政府办公室',
      '2026年5月20日',
    ]);
    assert.deepEqual(
      result.blocks.map((b) => [b.kind, b.level]),
      [
        ['heading', 1],
        ['paragraph', undefined],
        ['paragraph', undefined],
        ['paragraph', undefined],
        ['table-row', undefined],
        ['table-row', undefined],
        ['line', undefined],
        ['line', undefined],
      ],
    );
    assert.equal(
      result.stated.source,
      undefined,
      'the article’s own 来源 line is content, not page metadata',
    );
  });

  it('reads a gov.cn page: metadata table as stated, two-line title as two blocks, the table not in the text', () => {
    const doc = load(`${DOCS}/guofa-2019-03-zonghe-baoshuiqu.html`);
    assert.deepEqual(doc.stated, {
      issuers: ['国务院'],
      date: '2019年01月12日',
      title: '国务院关于促进综合保税区高水平开放高质量发展的若干意见',
      docNumber: '国发〔2019〕3号',
      publishedDate: '2019年01月25日',
    });
    assert.equal(doc.statedOrigin, 'page');
    const t = texts(doc);
    assert.deepEqual(t.slice(0, 3), [
      '国务院关于促进综合保税区',
      '高水平开放高质量发展的若干意见',
      '国发〔2019〕3号',
    ]);
    assert.doesNotMatch(doc.text, /索\s*引\s*号|发文字号/);
  });

  it('keeps every character of the body of the gov.cn pages of the dev corpus', () => {
    const squash = (s: string) => s.replace(/\s+/g, '');
    for (const name of [
      'guofa-2019-03-zonghe-baoshuiqu',
      'guoling-706-zhuanli-daili-tiaoli',
      'guobanfa-2019-04-sanji-gongli-yiyuan-jixiao',
    ]) {
      const doc = load(`${DOCS}/${name}.html`);
      const reference = squash(readFileSync(`eval/corpus-dev/text/${name}.txt`, 'utf8'));
      const body = squash(doc.text).replace(/\|/g, '');
      assert.ok(
        reference.includes(body),
        `${name}: the text is the reference's body, character for character`,
      );
      assert.ok(body.length > 0.85 * reference.length);
    }
  });

  it('emits table rows of a data table with " | " and keeps full-width punctuation', () => {
    const doc = load(`${DOCS}/guobanfa-2019-04-sanji-gongli-yiyuan-jixiao.html`);
    const rows = (doc.blocks ?? []).filter((b) => b.kind === 'table-row');
    assert.equal(rows.length, 56);
    assert.equal(
      doc.text.slice(rows[0]?.start, rows[0]?.end),
      '一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标说明',
    );
    assert.match(doc.text, /（一）/);
  });

  it('decodes GBK pages and pages in a declared charset', () => {
    const page =
      '<html><head><meta charset="gb2312"></head><body><p>国务院办公厅关于印发通知的函，请认真贯彻执行。</p></body></html>';
    const gb = encodeGb18030(page);
    assert.match(decodeHtml(gb), /国务院办公厅关于印发通知的函/);
    const big5 = Buffer.from([
      0x3c, 0x6d, 0x65, 0x74, 0x61, 0x20, 0x63, 0x68, 0x61, 0x72, 0x73, 0x65, 0x74, 0x3d, 0x62, 0x69, 0x67,
      0x35, 0x3e, 0xb0, 0xea, 0xb0, 0xc8, 0xb0, 0x7c,
    ]);
    assert.match(decodeHtml(big5), /國務院/);
  });
});

/** GB18030 bytes of a string (Node has no encoder for it; every character here is in GB2312). */
function encodeGb18030(s: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let hi = 0xa1; hi <= 0xf7; hi++)
    for (let lo = 0xa1; lo <= 0xfe; lo++) table.set(decoder.decode(Uint8Array.of(hi, lo)), [hi, lo]);
  const bytes: number[] = [];
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (code < 0x80) bytes.push(code);
    else bytes.push(...(table.get(c) ?? [0x3f]));
  }
  return Buffer.from(bytes);
}
