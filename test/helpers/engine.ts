/**
 * TEMPORARY stand-in until the real engine lands (the lead replaces this file with one that builds the
 * real index over the seed corpus with the tiny test model). Same signature: `createTestEngine()`.
 * It answers by naive character-overlap over the seed's paragraphs, with real cited passages.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { UnknownDepartmentError } from '../../src/errors/index.js';
import type { Answer, AnswerEvent, Chunk, Department, Question, Summary } from '../../src/types.js';

const DEPTS: Department[] = [
  { short: '科技司', full: '工业和信息化部科技司' },
  { short: '电子信息司', full: '工业和信息化部电子信息司' },
  { short: '信息通信发展司', full: '工业和信息化部信息通信发展司' },
  { short: '中小企业局', full: '工业和信息化部中小企业局' },
];

export async function createTestEngine(): Promise<PolicyEngine> {
  const raw = readFileSync(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url), 'utf8');
  const paras = raw
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 40);
  let dept: Department | null = null;
  const chunks: Chunk[] = [];
  for (const p of raw.split(/\n\s*\n/).map((s) => s.trim())) {
    const d = DEPTS.find((x) => x.full === p);
    if (d) dept = d;
    if (p.length > 40 && paras.includes(p)) {
      const ordinal = chunks.length;
      chunks.push({
        id: `miit-2022-work-plans#${ordinal}`,
        ordinal,
        docId: 'miit-2022-work-plans',
        docTitle: '落实工作会精神 推动高质量发展',
        articleTitle: 'article',
        department: dept?.short ?? null,
        departmentFull: dept?.full ?? null,
        section: null,
        paragraphIndex: ordinal,
        start: 0,
        end: p.length,
        text: p,
      });
    }
  }
  const resolveDepartment = (name: string) =>
    DEPTS.find(
      (d) =>
        d.short.includes(name) ||
        name.includes(d.short.slice(0, 2)) ||
        (/sme|small/i.test(name) && d.short === '中小企业局'),
    ) ?? null;
  const answer = async (q: Question): Promise<Answer> => {
    const chars = new Set([...q.text].filter((c) => /\p{Script=Han}|\d/u.test(c)));
    const scored = chunks
      .filter((c) => !q.department || c.department === resolveDepartment(q.department)?.short)
      .map((c) => ({ c, s: [...chars].filter((ch) => c.text.includes(ch)).length }))
      .sort((a, b) => b.s - a.s);
    const top = scored[0];
    const refused = !top || top.s < 4;
    const sentence = top
      ? (top.c.text.split('。').find((s) => [...chars].filter((ch) => s.includes(ch)).length >= 3) ??
        top.c.text.slice(0, 80))
      : '';
    return {
      id: randomUUID(),
      requestId: q.requestId,
      question: q.text,
      query: q.text,
      language: /\p{Script=Han}/u.test(q.text) ? 'zh' : 'en',
      text: refused ? '文档中没有找到相关内容。' : `${sentence}。[1]`,
      citations:
        refused || !top
          ? []
          : [
              {
                n: 1,
                passageId: top.c.id,
                doc: top.c.docId,
                docTitle: top.c.docTitle,
                title: top.c.articleTitle,
                department: top.c.department,
                departmentFull: top.c.departmentFull,
                section: null,
                quote: `${sentence}。`,
                passage: top.c.text,
                start: 0,
                end: top.c.text.length,
              },
            ],
      mode: 'extractive',
      refused,
      notice: null,
      suggestions: refused ? DEPTS.map((d) => d.short) : [],
      timings: { retrieveMs: 1, composeMs: 1, totalMs: 2 },
    };
  };
  return {
    status: () => ({
      indexLoaded: true,
      chunkCount: chunks.length,
      documentCount: 1,
      embedder: { mode: 'keyword-only', model: null, reason: 'stand-in' },
      llm: { configured: false, model: null },
      corpusFingerprint: 'stand-in',
    }),
    retrieve: async () => {
      throw new Error('stand-in');
    },
    answer,
    answerStream: async function* (q: Question): AsyncIterable<AnswerEvent> {
      const a = await answer(q);
      for (const part of a.text.match(/.{1,10}/gsu) ?? []) yield { type: 'delta', text: part };
      yield { type: 'final', answer: a };
    },
    summary: async (name: string | null): Promise<Summary> => {
      const d = name === null ? null : resolveDepartment(name);
      if (name !== null && !d)
        throw new UnknownDepartmentError(
          name,
          DEPTS.map((x) => x.short),
        );
      const list = d ? [d] : DEPTS;
      return {
        department: d,
        language: 'zh',
        mode: 'extractive',
        citations: [],
        text: list.map((x) => `${x.short}: …`).join('\n'),
        departments: list.map((x) => ({
          department: x,
          articleTitle: 'article',
          sections: [{ heading: '2022年重点', bullets: [{ text: '…', citations: [] }] }],
        })),
      };
    },
    departments: () =>
      DEPTS.map((d) => ({
        ...d,
        docId: 'miit-2022-work-plans',
        articleTitle: 'article',
        chunkCount: 1,
        sections: [],
      })),
    resolveDepartment,
    passage: (id) => {
      const c = chunks.find((x) => x.id === id);
      return c ? { chunk: c, context: c.text, contextStart: 0 } : null;
    },
    close: async () => {},
  };
}
