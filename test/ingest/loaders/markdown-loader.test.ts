import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  markdownLoader,
  markdownToText,
  stripInlineMarkdown,
} from '../../../src/ingest/loaders/markdown-loader.js';
import type { SourceDocument } from '../../../src/ingest/types.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('markdownLoader', () => {
  it('strips syntax, keeps headings as their own lines and records them', () => {
    const doc = markdownLoader.load(
      'docs/ndrc-plan.md',
      enc('\uFEFF# 总标题\r\n\r\n## 第二级 ##\r\n\r\n正文**加粗**和[链接](http://x.y)。\r\n'),
    ) as SourceDocument;
    assert.equal(doc.id, 'ndrc-plan');
    assert.equal(doc.format, 'md');
    assert.equal(doc.text, '总标题\n\n第二级\n\n正文加粗和链接。');
    assert.deepEqual(
      doc.headings?.map((h) => [h.level, doc.text.slice(h.start, h.end)]),
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
    const { text, headings } = markdownToText(
      '---\ntitle: x\n---\n标题\n===\n\n> 编者按：引文，\n> 继续。\n\n- 第一项。\n- 第二项\n  续行。\n\n1. 有序项。\n\n***\n\n```\ncode *kept*\n```\n',
    );
    assert.equal(
      text,
      '标题\n\n编者按：引文，继续。\n\n第一项。\n第二项续行。\n\n1. 有序项。\n\ncode *kept*',
    );
    assert.deepEqual(headings, [{ level: 1, start: 0, end: 2 }]);
  });

  it('removes inline markup but keeps the visible text', () => {
    assert.equal(
      stripInlineMarkdown('![图](a.png)`代码`*斜体* _强调_ ~~删~~<br/>\\*星\\*'),
      '图代码斜体 强调 删*星*',
    );
    assert.equal(stripInlineMarkdown('snake_case_name 2*3*4'), 'snake_case_name 2*3*4');
  });
});
