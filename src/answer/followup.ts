/**
 * Follow-up questions ("那中小企业局呢？", "what about 2021?") turned into standalone queries.
 * LLM mode asks the model with the rewrite-followup template (heuristic on any failure); extractive mode
 * carries the previous user turn's topic and issuer, swapping in a newly named issuer or year.
 */
import { YEAR } from '../internal/dates.js';
import type { LlmClient } from '../llm/LlmClient.js';
import type { Logger } from '../logging/logger.js';
import { rewriteFollowup } from '../prompts/templates.js';
import type { Issuer, Question, Turn } from '../types.js';
import { detectQuestionLanguage } from './text-features.js';

export interface FollowupDeps {
  llm: LlmClient | null;
  resolveIssuer: (name: string) => Issuer | null;
  logger: Logger;
}

export interface ResolvedFollowup {
  /** The standalone query to retrieve and answer with. */
  query: string;
  /** Issuer filter (short name) — explicit, newly named, or carried from the previous turn. */
  issuer: string | undefined;
}

/** Openers and particles that make a question lean on the previous turn. */
const ZH_ANAPHORA =
  /^(那么?|那个|还有|另外|此外|以及|和|跟|同样|再问一下)|[呢]\s*[？?]?\s*$|它|其|该司|该局|他们|这个|这些|那些/u;
const EN_ANAPHORA =
  /^\s*(what|how)\s+about\b|^\s*(and|also|then)\b|\b(it|its|they|them|their|that|those|this|these)\b|\b(same|instead)\b/i;
/** Words stripped from a follow-up to find what it newly names. */
const ZH_FILLER =
  /^(那么?|那个|还有|另外|此外|以及|和|跟|同样|再问一下)|[呢吗啊吧]|[？?！!。，,：:\s]|的情况|怎么样|如何|方面/gu;
const EN_FILLER = /\b(what|how)\s+about\b|\b(and|also|then|the|in|for|of|please|instead)\b|[?？!.,:]/gi;
const SHORT_ZH = 12;
const SHORT_EN_WORDS = 6;

function hanCount(text: string): number {
  return text.match(/\p{Script=Han}/gu)?.length ?? 0;
}

/** True when the question is short or leans on the previous turn. */
export function isFollowup(text: string): boolean {
  const lang = detectQuestionLanguage(text);
  if (lang === 'zh') return hanCount(text) <= SHORT_ZH || ZH_ANAPHORA.test(text);
  return text.trim().split(/\s+/).length <= SHORT_EN_WORDS || EN_ANAPHORA.test(text);
}

/**
 * A issuer named in `text`: a "…司"/"…局" mention, or the whole remainder of a short follow-up
 * ("中小企业", "SME"). The engine's resolver is fuzzy, so a Chinese candidate is accepted only when it and
 * the issuer contain one another, never on loose character overlap.
 */
export function findIssuerMention(
  text: string,
  resolve: (name: string) => Issuer | null,
): { issuer: Issuer; mention: string } | null {
  const candidates: string[] = [];
  for (const m of text.matchAll(/[\p{Script=Han}]{1,12}?[司局]/gu)) {
    const whole = m[0];
    for (let i = 0; i < whole.length - 1; i++) candidates.push(whole.slice(i));
  }
  const remainder = stripFillers(text);
  if (remainder) candidates.push(remainder);
  for (const c of candidates) {
    const d = resolve(c);
    if (!d) continue;
    const han = hanCount(c) > 0;
    if (!han || d.full.includes(c) || c.includes(d.short)) return { issuer: d, mention: c };
  }
  return null;
}

function stripFillers(text: string): string {
  return detectQuestionLanguage(text) === 'zh'
    ? text.replace(ZH_FILLER, '').trim()
    : text.replace(EN_FILLER, ' ').replace(/\s+/g, ' ').trim();
}

function previousUserTurn(history: readonly Turn[] | undefined): string | null {
  for (let i = (history?.length ?? 0) - 1; i >= 0; i--) {
    const t = history?.[i];
    if (t?.role === 'user' && t.text.trim()) return t.text.trim();
  }
  return null;
}

/** Extractive rewrite: previous topic + what the follow-up newly names (issuer, year, words). */
export function heuristicRewrite(
  question: Question,
  resolve: (name: string) => Issuer | null,
): ResolvedFollowup {
  const text = question.text.trim();
  const previous = previousUserTurn(question.history);
  if (!previous || !isFollowup(text)) {
    // A standalone question keeps only an explicit filter: naming a issuer in passing is not one.
    return { query: text, issuer: question.issuer };
  }
  const named = findIssuerMention(text, resolve);
  const before = findIssuerMention(previous, resolve);
  let topic = previous;
  if (named && before && named.issuer.short !== before.issuer.short) {
    topic = topic.replace(before.mention, '').replace(/^的/u, '');
  }
  const years = text.match(YEAR);
  if (years && years.length > 0) {
    // The follow-up's year replaces the previous one(s), or is added when there were none.
    topic = YEAR.test(topic) ? topic.replace(YEAR, years[0] ?? '') : `${years.join(' ')} ${topic}`;
    YEAR.lastIndex = 0;
  }
  let extra = stripFillers(text);
  if (named) {
    for (const name of [named.mention, named.issuer.full, named.issuer.short])
      extra = extra.replace(name, '');
  }
  for (const y of years ?? []) extra = extra.replace(y, '');
  extra = extra.replace(/^[年的\s]+|[年的\s]+$/gu, '').trim();
  const issuer = question.issuer ?? named?.issuer.short ?? before?.issuer.short;
  const deptPrefix = named ? `${named.issuer.short} ` : '';
  const query = `${deptPrefix}${topic}${extra ? ` ${extra}` : ''}`.replace(/\s+/g, ' ').trim();
  return { query, issuer };
}

/**
 * The standalone query and issuer filter for a question, given its history.
 * Without history, or when the question stands on its own, the question itself.
 */
export async function resolveFollowup(question: Question, deps: FollowupDeps): Promise<ResolvedFollowup> {
  const heuristic = heuristicRewrite(question, deps.resolveIssuer);
  const previous = previousUserTurn(question.history);
  if (!deps.llm || !previous || !isFollowup(question.text)) return heuristic;
  try {
    const reply = await deps.llm.complete({
      template: rewriteFollowup.name,
      messages: rewriteFollowup.render({ history: question.history ?? [], question: question.text }),
      temperature: 0,
      maxTokens: 200,
      requestId: question.requestId,
      ...(question.signal ? { signal: question.signal } : {}),
      ...(question.deadline !== undefined ? { deadline: question.deadline } : {}),
    });
    const rewritten =
      reply
        .trim()
        .split('\n')[0]
        ?.trim()
        .replace(/^["“]|["”]$/g, '') ?? '';
    // Guard against empty or runaway replies; the heuristic is always a sane answer.
    if (!rewritten || rewritten.length > 4 * (previous.length + question.text.length)) return heuristic;
    const named = findIssuerMention(question.text, deps.resolveIssuer);
    return {
      query: rewritten,
      issuer: question.issuer ?? named?.issuer.short ?? heuristic.issuer,
    };
  } catch (error) {
    deps.logger.warn(
      { err: error, requestId: question.requestId },
      'follow-up rewrite failed; heuristic used',
    );
    return heuristic;
  }
}
