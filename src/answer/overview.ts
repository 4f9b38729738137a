/**
 * "What are 科技司's priorities for 2022?" asks for a issuer's plan as a whole, which no single passage
 * holds: such questions are answered from the issuer summary (its section leads, or the results of the
 * year asked about), each point cited like any other answer.
 */

import { randomUUID } from 'node:crypto';
import { YEAR } from '../internal/dates.js';
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
): Answer | null {
  const part = summary.issuers[0];
  if (!part || part.sections.length === 0) return null;
  const years = [...new Set([...query.matchAll(YEAR)].map((m) => m[0]))];
  const byYear =
    years.length === 1 ? part.sections.find((s) => s.heading.includes(years[0] ?? '')) : undefined;
  const section = byYear ?? part.sections[part.sections.length - 1];
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
  const text =
    language === 'zh'
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
