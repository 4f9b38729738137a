/**
 * Chat questions that ask what changed ("2022年和2021年相比有什么变化？", "科技司2022年和2021年比有什么不同",
 * "What changed between 2021 and 2022?"): a change word and two years, or a change word and two documents the
 * question names. The engine answers them with a comparison instead of retrieval.
 */
import { findIssuerMention } from '../answer/followup.js';
import { yearsIn } from '../internal/dates.js';
import { type LibraryScope, queryScope } from '../retriever/query-scope.js';
import type { Answer, Comparison, Issuer, Question } from '../types.js';
import { topicTerms } from './align.js';
import { renderComparison } from './render.js';

const CHANGE_ZH = /变化|变动|不同|区别|差异|相比|对比|比较|有何改变|改变了?什么/u;
const CHANGE_EN = /\b(?:changed?|changes|differ(?:s|ence|ences)?|compared?|comparison|versus|vs\.?)\b/iu;

/** The two targets a change question names, earlier first; null when it is not one. */
export interface CompareQuestion {
  before: string;
  after: string;
  /** What in the question names the sides (issuer names, titles, 文号): not its topic. */
  names: string[];
}

export function compareQuestion(
  text: string,
  library: LibraryScope,
  resolveIssuer: (name: string) => Issuer | null,
): CompareQuestion | null {
  if (!CHANGE_ZH.test(text) && !CHANGE_EN.test(text)) return null;
  const years = yearsIn(text).sort((a, b) => a - b);
  if (years.length === 2) {
    const scope = queryScope(text.replace(/(?<!\d)(?:19|20)\d{2}(?!\d)\s*年?/gu, ' '), library);
    const named = scope.documents.filter((d) => d.reason === 'doc-number' || d.reason === 'title');
    const mention = findIssuerMention(text, resolveIssuer);
    const subject = named.length === 1 ? (named[0]?.id ?? '') : (mention?.issuer.short ?? '');
    const names = [
      ...(mention ? [mention.mention, mention.issuer.short, mention.issuer.full] : []),
      ...namesOf(named, library),
    ];
    return { before: `${subject} ${years[0]}`.trim(), after: `${subject} ${years[1]}`.trim(), names };
  }
  if (years.length > 2) return null;
  const scope = queryScope(text, library);
  const named = scope.documents.filter((d) => d.reason === 'doc-number' || d.reason === 'title');
  if (named.length === 2) {
    return { before: named[0]?.id ?? '', after: named[1]?.id ?? '', names: namesOf(named, library) };
  }
  return null;
}

/** Words of a change question that are not its topic (a plan's 目标/任务 are what every comparison is about). */
const QUESTION_WORDS =
  /(?:19|20)\d{2}\s*年?|(?:主要|工作)?(?:目标|指标|任务)|相比|对比|比较|变化|变动|不同|区别|差异|有何|有什么|什么|哪些|改变|与|和|跟|同|较|的|了|呢|吗|？|\?|，|。|\b(?:what|which|how|has|have|did|does|is|are|the|between|and|from|to|in|of|changed?|changes|differ\w*|compared?|comparison|versus|vs|targets?|goals?)\b/giu;

/**
 * The comparison narrowed to what the question asks about ("2022年和2021年相比，5G基站有什么变化？" → items
 * quoting 5G and 基站). `names` (issuer names, titles) are not topics. Null when no changed or fulfilled item is
 * about the topic ("1997年的文件和1996年相比改成了什么提法？" asks about wording): retrieval answers it better. The
 * whole comparison when the question names no topic.
 */
export function focusComparison(
  comparison: Comparison,
  question: string,
  names: readonly string[],
): Comparison | null {
  let rest = question;
  for (const n of names) if (n) rest = rest.split(n).join(' ');
  const terms = [...topicTerms(rest.replace(QUESTION_WORDS, ' '))];
  if (terms.length === 0) return comparison;
  // Segmenter terms are lower-cased ("5g"); quotes are as written ("5G").
  const quotes = (i: Comparison['items'][number]) =>
    `${i.before?.quote ?? ''} ${i.after?.quote ?? ''}`.toLowerCase();
  // An item is about the topic when it quotes two of its terms (the one, when the topic is one word); a topic
  // question is only worth a comparison when a number of that topic moved or a target of it was met.
  const need = Math.min(2, terms.length);
  const items = comparison.items.filter(
    (i) => terms.filter((t) => quotes(i).includes(t.toLowerCase())).length >= need,
  );
  if (!items.some((i) => i.kind === 'changed' || i.kind === 'fulfilled')) return null;
  if (items.length === comparison.items.length) return comparison;
  const counts = { added: 0, dropped: 0, changed: 0, fulfilled: 0, kept: 0 };
  for (const i of items) counts[i.kind]++;
  const base = { before: comparison.before, after: comparison.after, items, counts };
  return { ...comparison, ...base, mode: 'extractive', text: renderComparison(base, comparison.language) };
}

function namesOf(named: readonly { id: string }[], library: LibraryScope): string[] {
  return library.documents
    .filter((d) => named.some((n) => n.id === d.id))
    .flatMap((d) => [
      d.title,
      d.titleCore,
      d.docNumber ?? '',
      ...d.issuers.flatMap((i) => [i.short, i.full]),
    ]);
}

/** A comparison as a chat answer: its text, and the citations the text cites renumbered 1..k. */
export function comparisonAnswer(
  question: Question,
  comparison: Comparison,
  timings: { startedMs: number },
): Answer {
  const renumber = new Map<number, number>();
  for (const m of comparison.text.matchAll(/\[(\d+)\]/gu)) {
    const n = Number(m[1]);
    if (!renumber.has(n)) renumber.set(n, renumber.size + 1);
  }
  const citations = comparison.citations
    .filter((c) => renumber.has(c.n))
    .map((c) => ({ ...c, n: renumber.get(c.n) as number }))
    .sort((a, b) => a.n - b.n);
  const text = comparison.text.replace(/\[(\d+)\]/gu, (_m, n: string) => `[${renumber.get(Number(n)) ?? n}]`);
  const totalMs = Math.round(performance.now() - timings.startedMs);
  return {
    id: comparison.id,
    requestId: question.requestId,
    question: question.text,
    query: question.text,
    language: comparison.language,
    text,
    citations,
    mode: comparison.mode,
    refused: false,
    notice: comparison.notice,
    suggestions: [],
    timings: { retrieveMs: 0, composeMs: totalMs, totalMs },
  };
}
