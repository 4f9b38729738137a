import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Answer, Citation, Summary } from '../../src/types.js';
import {
  citationLine,
  renderAnswerMarkdown,
  renderAnswerText,
  renderSummaryMarkdown,
  stripMarkdown,
} from '../../src/wecom/render.js';

const citation: Citation = {
  n: 1,
  passageId: 'doc#3',
  doc: 'doc',
  docTitle: '落实工作会精神',
  partTitle: '推动信息通信业高质量发展',
  issuer: '信息通信发展司',
  issuerFull: '工业和信息化部信息通信发展司',
  docNumber: null,
  date: null,
  region: null,
  sectionPath: [],
  section: null,
  quote: `新建5G基站超60万个，${'千兆光网'.repeat(40)}`,
  passage: '…',
  start: 0,
  end: 10,
};

const answer: Answer = {
  id: 'a1',
  requestId: 'req_1',
  question: '2021年新建了多少个5G基站？',
  query: '2021年新建了多少个5G基站？',
  language: 'zh',
  text: '2021年新建5G基站超60万个。[1]',
  citations: [citation],
  mode: 'extractive',
  refused: false,
  notice: null,
  suggestions: [],
  timings: { retrieveMs: 1, composeMs: 1, totalMs: 2 },
};

describe('render', () => {
  it('renders a citation line with issuer, title and a quote of at most 120 chars', () => {
    const line = citationLine(citation);
    assert.match(
      line,
      /^\[1\] 信息通信发展司 · 《落实工作会精神》 › 推动信息通信业高质量发展 · “新建5G基站超60万个，/,
    );
    const quote = line.slice(line.indexOf('“') + 1, line.lastIndexOf('”'));
    assert.equal([...quote].length, 120);
    assert.ok(quote.endsWith('…'));
  });

  it('renders answer markdown with 来源 and a matching plain variant', () => {
    const md = renderAnswerMarkdown(answer);
    assert.ok(md.startsWith('2021年新建5G基站超60万个。[1]'));
    assert.match(md, /\*\*来源\*\*\n> \[1\] 信息通信发展司/);
    const text = renderAnswerText(answer);
    assert.match(text, /来源:\n\[1\] 信息通信发展司/);
    assert.ok(!text.includes('**'));
    assert.equal(stripMarkdown(md).replace('来源', '来源:'), text);
  });

  it('uses "Sources" for English answers and lists suggestions for refusals', () => {
    const en = renderAnswerMarkdown({ ...answer, language: 'en' });
    assert.match(en, /\*\*Sources\*\*/);
    const refused = renderAnswerText({
      ...answer,
      refused: true,
      citations: [],
      suggestions: ['科技司', '中小企业局'],
    });
    assert.match(refused, /科技司、中小企业局/);
  });

  it('renders a summary by issuer with bullets and citation markers', () => {
    const summary: Summary = {
      issuer: { short: '科技司', full: '工业和信息化部科技司' },
      language: 'zh',
      mode: 'extractive',
      issuers: [
        {
          issuer: { short: '科技司', full: '工业和信息化部科技司' },
          partTitle: '科技创新',
          sections: [{ heading: '2022年重点', bullets: [{ text: '实施产业基础再造工程', citations: [1] }] }],
        },
      ],
      citations: [citation],
      text: '…',
    };
    const md = renderSummaryMarkdown(summary);
    assert.match(md, /\*\*工业和信息化部科技司\*\*/);
    assert.match(md, /- 实施产业基础再造工程\[1\]/);
    assert.match(md, /\*\*来源\*\*\n> \[1\]/);
  });
});

describe('renderAnswerMarkdown for list answers', () => {
  it('keeps one line per item with a bold source line, and fits WeCom’s limit when split at line breaks', async () => {
    const { listAnswer } = await import('../answer/lists/fixture.js');
    const { MARKDOWN_MAX_BYTES, splitByBytes, utf8Length } = await import('../../src/wecom/split-text.js');
    const answer = await listAnswer('科技评估机构在执业中有哪些行为是禁止的？');
    const md = renderAnswerMarkdown(answer);
    assert.match(
      md,
      /^\*\*根据《浙江省科技评估机构管理办法》 › 第三章 执业规范 › 第五条：\*\*\n- 出具虚假评估报告\[1\]；/u,
    );
    const items = answer.text.split('\n').filter((l) => l.startsWith('- '));
    assert.equal(items.length, 8);
    // A long list (each item repeated to make the message exceed one WeCom message) splits without cutting a line.
    const long = renderAnswerMarkdown({ ...answer, text: Array(12).fill(answer.text).join('\n') });
    const parts = splitByBytes(long, MARKDOWN_MAX_BYTES);
    assert.ok(parts.length > 1);
    for (const part of parts) assert.ok(utf8Length(part) <= MARKDOWN_MAX_BYTES);
    for (const line of items)
      assert.ok(
        parts.some((p) => p.includes(line)),
        line,
      );
  });
});
