/**
 * "What are 科技司's priorities for 2022?" asks for a issuer's plan as a whole, which no single passage
 * holds: such questions are answered from the issuer summary (its section leads, or the results of the
 * year asked about), each point cited like any other answer.
 */

import { randomUUID } from 'node:crypto';
import { YEAR } from '../internal/dates.js';
import { longestCommonRun } from '../internal/text-measures.js';
import type { Answer, Citation, Language, Question, Summary } from '../types.js';

const ZH_OVERVIEW =
  /(重点|主要|哪些|什么)(工作|任务|举措|措施|安排|部署|方向)|(工作|任务|举措|措施|安排|部署)(重点|有哪些|是什么|包括)|做了(哪些|什么)|(总体|整体)(安排|部署|思路)|工作思路|主要成绩|取得了?(哪些|什么)成[绩效果]/u;
const EN_OVERVIEW =
  /\b(priorities|main (tasks|plans|work|goals)|key (tasks|plans|work|goals|points)|overview|summar(y|ise|ize)|what (will|did|does) .{1,40} (do|achieve|accomplish|focus on)|(work )?plans? (of|for) )\b/i;

/** Words that may surround an overview request without narrowing it to a topic. */
const ZH_FILLER =
  /[的了在将要有是和与及等年度今去明全部主]|做|开展|取得|哪些|什么|怎么|如何|工作|重点|主要|任务|举措|措施|安排|部署|方向|成绩|情况|计划/gu;
const EN_FILLER = new Set(
  'what are is was were will did does do the a an of for in on to its their and plans plan priorities priority main key tasks task work goals goal overview summary summarise summarize achieve achieved accomplish focus year issuer bureau ministry office division s'.split(
    ' ',
  ),
);

/**
 * True when the question asks for a issuer's plan or results as a whole: it matches an overview
 * phrasing and, once the issuer's name, years and filler words are removed, names no topic of its own
 * ("电子信息司要做哪些工作？" yes, "电子信息司在光伏方面要做哪些工作？" no).
 */
export function isOverviewQuestion(text: string, issuerNames: readonly string[] = []): boolean {
  let rest = text.replace(YEAR, ' ');
  for (const name of [...issuerNames].sort((a, b) => b.length - a.length)) rest = rest.split(name).join(' ');
  if (ZH_OVERVIEW.test(text)) {
    const topic = rest.replace(ZH_FILLER, '').match(/\p{Script=Han}/gu) ?? [];
    return topic.length <= 1;
  }
  if (EN_OVERVIEW.test(text)) {
    // English names are matched loosely ("the SME bureau"), so their words are dropped one by one.
    const nameWords = new Set(
      issuerNames
        .join(' ')
        .toLowerCase()
        .match(/[a-z]+/g) ?? [],
    );
    const words = rest.toLowerCase().match(/[a-z]+/g) ?? [];
    return words.filter((w) => !EN_FILLER.has(w) && !nameWords.has(w)).length === 0;
  }
  return false;
}

/** "…讲了什么？", "…的主要内容", "What does … say?": a question asking what a document says as a whole. */
const ZH_DOCUMENT_OVERVIEW =
  /(讲|说|写|规定|包括|包含|涉及)(了|的)?(些)?(什么|哪些)|主要内容|什么内容|哪些内容|是关于什么|关于什么的|主要讲|大意|要点|概要|概括|介绍一下/u;
const EN_DOCUMENT_OVERVIEW =
  /\b(what (does|do|did|is|are)\b.{1,160}\b(say|about|cover|contain|set out)|summar(y|ise|ize)|overview|main points)\b/iu;
const ZH_DOCUMENT_FILLER =
  /[的了是和与及这那个份部项么吗呢啊请下些中里有讲说写]|什么|哪些|内容|主要|关于|一下|介绍|概括|概要|要点|大意|包括|包含|涉及|规定|文件|全文|总体/gu;
const EN_DOCUMENT_FILLER = new Set(
  'what does do did is are the a an this that document notice regulation regulations say says about cover covers contain contains set out summary summarise summarize overview main points of in it its please give me'.split(
    ' ',
  ),
);

/**
 * True when the question asks what a named document says as a whole: it matches such a phrasing and, once
 * the document's names (title, its core, 文号) and filler are removed, names no topic of its own
 * ("专利代理条例讲了什么？" yes; "专利代理条例对代理机构有什么规定？" no).
 */
export function isDocumentOverviewQuestion(text: string, documentNames: readonly string[]): boolean {
  let rest = text.replace(/[\s\u3000《》“”"'？?。！!，,]+/gu, '');
  const names = documentNames.map((n) => n.replace(/[\s\u3000《》]+/gu, '')).filter((n) => n.length >= 2);
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    rest = rest.split(name).join(' ');
    // A title named by a long enough run of it ("专利代理条例" of a longer title).
    const run = longestCommonRun(rest, name);
    if (run.length >= 4) rest = `${rest.slice(0, run.start)} ${rest.slice(run.start + run.length)}`;
  }
  if (ZH_DOCUMENT_OVERVIEW.test(text)) {
    const topic =
      rest
        .replace(YEAR, ' ')
        .replace(ZH_DOCUMENT_FILLER, '')
        .match(/\p{Script=Han}/gu) ?? [];
    return topic.length <= 1;
  }
  if (EN_DOCUMENT_OVERVIEW.test(text)) {
    if (/\p{Script=Han}{2,}/u.test(rest.replace(ZH_DOCUMENT_FILLER, ''))) return false;
    const words =
      text
        .replace(/[\p{Script=Han}《》]+/gu, ' ')
        .toLowerCase()
        .match(/[a-z]+/g) ?? [];
    return words.filter((w) => !EN_DOCUMENT_FILLER.has(w)).length === 0;
  }
  return false;
}

/**
 * The answer for an overview question from a one-issuer summary: the section about the year asked
 * (when the question names exactly one), otherwise the last section (the plan's priorities).
 * Returns null when the summary has nothing to say.
 */
export function answerFromSummary(
  question: Question,
  query: string,
  summary: Summary,
  language: Language,
  timings: { retrieveMs: number; startedMs: number },
  /** Which section answers when the question names no year: the last (a plan's priorities) or the first. */
  prefer: 'first' | 'last' = 'last',
): Answer | null {
  const part = summary.issuers[0];
  if (!part || part.sections.length === 0) return null;
  const years = [...new Set([...query.matchAll(YEAR)].map((m) => m[0]))];
  const byYear =
    years.length === 1 ? part.sections.find((s) => s.heading.includes(years[0] ?? '')) : undefined;
  const section = byYear ?? (prefer === 'first' ? part.sections[0] : part.sections[part.sections.length - 1]);
  if (!section || section.bullets.length === 0) return null;

  const renumber = new Map<number, number>();
  const citations: Citation[] = [];
  const cite = (n: number) => {
    let m = renumber.get(n);
    if (m === undefined) {
      const source = summary.citations.find((c) => c.n === n);
      if (!source) return '';
      m = citations.length + 1;
      renumber.set(n, m);
      citations.push({ ...source, n: m });
    }
    return `[${m}]`;
  };
  const dept = part.issuer.short;
  const points = section.bullets.map((b) => {
    const marks = b.citations.map(cite).join('');
    return language === 'zh' ? `${b.text}${marks}` : `“${b.text}” ${marks}`;
  });
  const doc = summary.document;
  const text = doc
    ? language === 'zh'
      ? `《${doc.title}》${doc.docNumber ? `（${doc.docNumber}）` : ''}${section.heading}：${points.join('；')}。`
      : `${section.heading} of “${doc.title}”${doc.docNumber ? ` (${doc.docNumber})` : ''}: ${points.join('; ')}.`
    : language === 'zh'
      ? `${dept}${section.heading}：${points.join('；')}。`
      : `${section.heading} of ${dept} (${part.issuer.full}): ${points.join('; ')}.`;
  const totalMs = Math.round(performance.now() - timings.startedMs);
  return {
    id: randomUUID(),
    requestId: question.requestId,
    question: question.text,
    query,
    language,
    text,
    citations,
    mode: summary.mode,
    refused: false,
    notice: null,
    suggestions: [],
    timings: {
      retrieveMs: Math.round(timings.retrieveMs),
      composeMs: Math.max(0, totalMs - Math.round(timings.retrieveMs)),
      totalMs,
    },
  };
}
