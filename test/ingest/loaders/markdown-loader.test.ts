import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LOADER_OPTIONS } from '../../../src/ingest/load-corpus.js';
import {
  markdownLoader,
  markdownToText,
  stripInlineMarkdown,
} from '../../../src/ingest/loaders/markdown-loader.js';
import type { SourceDocument } from '../../../src/ingest/types.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('markdownLoader', () => {
  it('strips syntax, keeps headings as their own lines and records them', () => {
    const doc = markdownLoader.load({
      id: 'ndrc-plan',
      path: 'docs/ndrc-plan.md',
      bytes: enc('\uFEFF# 总标题\r\n\r\n## 第二级 ##\r\n\r\n正文**加粗**和[链接](http://x.y)。\r\n'),
      options: DEFAULT_LOADER_OPTIONS,
    }) as SourceDocument;
    assert.equal(doc.id, 'ndrc-plan');
    assert.equal(doc.format, 'md');
    assert.equal(doc.text, '总标题\n\n第二级\n\n正文加粗和链接。');
    assert.deepEqual(
      doc.blocks?.filter((b) => b.kind === 'heading').map((h) => [h.level, doc.text.slice(h.start, h.end)]),
      [
        [1, '总标题'],
        [2, '第二级'],
      ],
    );
    assert.match(doc.contentHash, /^[0-9a-f]{64}$/);
  });

  it('unwraps soft line breaks: nothing between CJK characters, a space between Latin words', () => {
    assert.equal(
      markdownToText('推动产业\n高质量发展。\n\nMicro\nLED panels.').text,
      '推动产业高质量发展。\n\nMicro LED panels.',
    );
  });

  it('handles blockquotes, lists, code, rules, setext headings and front matter', () => {
    const { text, blocks, stated } = markdownToText(
      '---\ntitle: x\n---\n标题\n===\n\n> 编者按：引文，\n> 继续。\n\n- 第一项。\n- 第二项\n  续行。\n\n1. 有序项。\n\n***\n\n```\ncode *kept*\n```\n',
    );
    assert.equal(
      text,
      '标题\n\n编者按：引文，继续。\n\n第一项。\n第二项续行。\n\n1. 有序项。\n\ncode *kept*',
    );
    assert.deepEqual(
      blocks.filter((b) => b.kind === 'heading'),
      [{ level: 1, start: 0, end: 2, kind: 'heading' }],
    );
    assert.deepEqual(stated, { title: 'x' });
  });

  it('reads a front block of labelled lines as metadata and table rows as rows', () => {
    const { text, blocks, stated } = markdownToText(
      '# 标题\n\n> **发布日期**：2026年1月19日\n> **来源**：农业农村部\n> **原文链接**：https://x.gov.cn/a.htm\n\n| 指标 | 目标 |\n|---|---|\n| 粮食产量 | 1.4万亿斤 |\n\n正文。',
    );
    assert.deepEqual(stated, { publishedDate: '2026年1月19日', source: '农业农村部' });
    assert.equal(text, '标题\n\n指标 | 目标\n粮食产量 | 1.4万亿斤\n\n正文。');
    assert.deepEqual(
      blocks.map((b) => b.kind),
      ['heading', 'table-row', 'table-row', 'line'],
    );
  });

  it('removes inline markup but keeps the visible text', () => {
    assert.equal(
      stripInlineMarkdown('![图](a.png)`代码`*斜体* _强调_ ~~删~~<br/>\\*星\\*'),
      '图代码斜体 强调 删*星*',
    );
    assert.equal(stripInlineMarkdown('snake_case_name 2*3*4'), 'snake_case_name 2*3*4');
  });
});
