import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, decodeAnswerRef, encodeAnswerRef } from '../../../src/slack/action-ids.js';
import { renderAnswer } from '../../../src/slack/render/answer-blocks.js';
import { splitText } from '../../../src/slack/render/mrkdwn.js';
import { sourceLine } from '../../../src/slack/render/sources-blocks.js';
import { renderSummary } from '../../../src/slack/render/summary-blocks.js';
import type { Answer, Citation, Summary } from '../../../src/types.js';

function citation(n: number, quote = '新建5G基站超60万个。'): Citation {
  return {
    n,
    passageId: `doc#${n}`,
    doc: 'doc',
    docTitle: '落实工作会精神 推动高质量发展',
    partTitle: '推动信息通信业高质量发展',
    issuer: '信息通信发展司',
    issuerFull: '工业和信息化部信息通信发展司',
    docNumber: null,
    date: null,
    region: null,
    sectionPath: [],
    section: null,
    quote,
    passage: quote,
    start: 0,
    end: quote.length,
  };
}

function answer(text: string, citations: Citation[] = [citation(1)], extra: Partial<Answer> = {}): Answer {
  return {
    id: 'ans-1',
    requestId: 'req_1',
    question: '2021年新建了多少个5G基站？',
    query: '2021年新建了多少个5G基站？',
    language: 'zh',
    text,
    citations,
    mode: 'extractive',
    refused: false,
    notice: null,
    suggestions: [],
    timings: { retrieveMs: 1, composeMs: 1, totalMs: 2 },
    ...extra,
  };
}

type AnyBlock = {
  type: string;
  text?: { text: string };
  elements?: Array<{ action_id?: string; text?: unknown; value?: string }>;
};
const textOf = (blocks: unknown[]) => (blocks as AnyBlock[]).map((b) => b.text?.text ?? '').join('\n');

describe('renderAnswer', () => {
  it('answer section, then Sources `[n] issuer · 《title》 › part · quote`, then 👍/👎; fallback text', () => {
    const m = renderAnswer(answer('2021年新建5G基站超60万个。[1]'));
    const blocks = m.blocks as AnyBlock[];
    assert.equal(blocks[0]?.type, 'section');
    assert.match(blocks[0]?.text?.text ?? '', /60万个。\[1\]/);
    assert.ok(blocks.some((b) => b.type === 'divider'));
    assert.match(
      textOf(blocks),
      /\*Sources\*\n\[1\] 信息通信发展司 · 《落实工作会精神 推动高质量发展》 › 推动信息通信业高质量发展 · “新建5G基站超60万个。”/,
    );
    const actions = blocks.at(-1);
    assert.equal(actions?.type, 'actions');
    assert.deepEqual(
      actions?.elements?.map((e) => e.action_id),
      [ActionId.FeedbackUp, ActionId.FeedbackDown],
    );
    assert.deepEqual(decodeAnswerRef(actions?.elements?.[0]?.value), {
      answerId: 'ans-1',
      question: '2021年新建了多少个5G基站？',
    });
    assert.equal(m.text, '2021年新建5G基站超60万个。[1]');
  });

  it('adds a Share button for ephemeral answers', () => {
    const blocks = renderAnswer(answer('x [1]'), { share: true }).blocks as AnyBlock[];
    assert.equal(blocks.at(-1)?.elements?.[0]?.action_id, ActionId.ShareAnswer);
  });

  it('cuts quotes to 150 characters and escapes mrkdwn control characters', () => {
    const long = `${'长'.repeat(300)}`;
    const line = sourceLine(citation(2, long));
    const quote = /“(.*)”/.exec(line)?.[1] ?? '';
    assert.equal([...quote].length, 150);
    assert.ok(quote.endsWith('…'));
    const escaped = renderAnswer(answer('a < b & c > d <!channel>')).blocks as AnyBlock[];
    assert.equal(escaped[0]?.text?.text, 'a &lt; b &amp; c &gt; d &lt;!channel&gt;');
  });

  it('splits a long answer under 3,000 characters per section and caps the message at 50 blocks', () => {
    const paragraph = `${'政策'.repeat(400)}。`;
    const longText = Array.from({ length: 200 }, () => paragraph).join('\n\n');
    const many = Array.from({ length: 80 }, (_, i) => citation(i + 1, `引文${i + 1}${'内容'.repeat(100)}`));
    const m = renderAnswer(answer(longText, many));
    assert.ok(m.blocks.length <= 50, `${m.blocks.length} blocks`);
    for (const b of m.blocks as AnyBlock[])
      assert.ok((b.text?.text.length ?? 0) <= 3000, 'section under 3,000');
    assert.equal((m.blocks as AnyBlock[]).at(-1)?.type, 'actions', 'buttons survive the cap');
    assert.ok(m.text.length <= 3000, 'fallback text is bounded');
    assert.ok(textOf(m.blocks).includes('[1] 信息通信发展司'), 'sources survive the cap');
  });

  it('shows the notice and, when refused, the suggestions', () => {
    const refused = answer('文档中没有找到相关内容。', [], {
      refused: true,
      suggestions: ['科技司', '中小企业局'],
      notice: 'The language model was unavailable; this is an extractive answer.',
    });
    const all = JSON.stringify(renderAnswer(refused).blocks);
    assert.match(all, /科技司、中小企业局/);
    assert.match(all, /language model was unavailable/);
    assert.doesNotMatch(all, /Sources/, 'no empty Sources block');
  });
});

describe('splitText', () => {
  it('prefers paragraph, then sentence boundaries, never exceeding the limit', () => {
    const text = `${'a'.repeat(60)}\n\n${'b'.repeat(60)}`;
    assert.deepEqual(splitText(text, 100), ['a'.repeat(60), 'b'.repeat(60)]);
    const sentences = '第一句话很长很长。第二句话也很长很长。第三句。';
    for (const piece of splitText(sentences, 12)) assert.ok(piece.length <= 12);
    assert.equal(splitText(sentences, 12).join(''), sentences);
    assert.deepEqual(splitText('x'.repeat(25), 10), ['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('button values', () => {
  it('fit in 2,000 characters and round-trip', () => {
    const value = encodeAnswerRef({ answerId: 'id-1', question: '问'.repeat(5000) });
    assert.ok(value.length <= 2000);
    const ref = decodeAnswerRef(value);
    assert.equal(ref?.answerId, 'id-1');
    assert.ok(ref?.question.startsWith('问问问'));
    assert.equal(decodeAnswerRef('not json'), null);
  });
});

describe('renderSummary', () => {
  it('renders headings, bullets with [n] and Sources', () => {
    const summary: Summary = {
      issuer: { short: '中小企业局', full: '工业和信息化部中小企业局' },
      language: 'zh',
      mode: 'extractive',
      issuers: [
        {
          issuer: { short: '中小企业局', full: '工业和信息化部中小企业局' },
          partTitle: 't',
          sections: [{ heading: '2022年重点', bullets: [{ text: '培育专精特新企业', citations: [1] }] }],
        },
      ],
      citations: [citation(1, '培育专精特新企业。')],
      text: '培育专精特新企业 [1]',
    };
    const all = textOf(renderSummary(summary).blocks);
    assert.match(all, /工业和信息化部中小企业局/);
    assert.match(all, /_2022年重点_\n• 培育专精特新企业 \[1\]/);
    assert.match(all, /\*Sources\*\n\[1\]/);
  });
});

describe('renderAnswer for list answers', () => {
  it('shows one bullet per item under a bold source line, and every source', async () => {
    const { listAnswer } = await import('../../answer/lists/fixture.js');
    const answer = await listAnswer('科技评估机构在执业中有哪些行为是禁止的？');
    const message = renderAnswer(answer);
    const text = message.blocks
      .filter((b) => b.type === 'section')
      .map((b) => (b as { text: { text: string } }).text.text)
      .join('\n');
    assert.match(
      text,
      /^\*根据《浙江省科技评估机构管理办法》 › 第三章 执业规范 › 第五条：\*\n• 出具虚假评估报告\[1\]；\n• /u,
    );
    assert.equal(text.split('\n').filter((l) => l.startsWith('• ')).length, 8);
    assert.match(text, /另有2项未列出/u);
    for (const c of answer.citations) assert.ok(text.includes(`[${c.n}]`));
    assert.ok(message.blocks.length <= 50);
  });
});
