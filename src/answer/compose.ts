/**
 * The answer layer's entry points: a cited answer for a retrieval result, extractive by default, from the
 * language model when one is configured (falling back to extractive when it fails), or an honest refusal.
 */
import { randomUUID } from 'node:crypto';
import type { LlmClient } from '../llm/LlmClient.js';
import type { Logger } from '../logging/logger.js';
import {
  answerListWithCitations,
  answerWithCitations,
  type PromptPassage,
  REFUSAL_MARKER,
} from '../prompts/templates.js';
import type {
  Answer,
  AnswerEvent,
  Chunk,
  Language,
  MissingScope,
  Question,
  RetrievalResult,
} from '../types.js';
import { attachmentAnswer } from './attachment-answer.js';
import { assessCoverage, REFUSAL } from './coverage.js';
import { composeExtractive, type ExtractiveResult, holdsWhatIsAsked } from './extractive.js';
import { answerFromFigures, type FigureSource } from './figure-answer.js';
import { composeList, type DocumentLookup, type ListResult, withLead } from './lists/index.js';
import {
  missingScopeText,
  NOTICE_LLM_UNAVAILABLE,
  NOTICE_LLM_UNVERIFIED,
  nationalInsteadNotice,
  refusalText,
} from './messages.js';
import { type AnswerNeed, questionShape } from './question-shape.js';
import { stripTrailingPunctuation } from './sentences.js';
import { detectQuestionLanguage } from './text-features.js';
import { CitationMarkerFilter, verifyCitations } from './verify-citations.js';

export interface AnswerDeps {
  llm: LlmClient | null;
  logger: Logger;
  /** Answer length budget in characters (config.answer.maxChars, default 300). */
  maxChars: number;
  now?: () => number;
  /** The year a chunk's paragraph is about, from the document layout (see ExtractiveOptions). */
  paragraphYear?: (chunk: Chunk) => number | null;
  /** The index's documents and chunks: list questions are answered from their structure (see lists/). */
  documents?: DocumentLookup;
  /** The index's key figures: how-much questions are answered from the one whose subject they name. */
  figures?: FigureSource;
}

/** Passages handed to the model, best first. */
const LLM_PASSAGES = 6;
const MAX_SUGGESTIONS = 3;
/** A composed list answer stands when the evidence score reaches this share of the refusal threshold. */
const LIST_EVIDENCE_SHARE = 0.8;
/** Share of a list's item passages a model answer must still cite to be used. */
const LIST_KEPT = 0.8;

/** Nearest topics for a refusal: issuer and section lead of the best weak hits. */
export function refusalSuggestions(retrieval: RetrievalResult): string[] {
  const out: string[] = [];
  for (const p of retrieval.passages.slice(0, 5)) {
    const c = p.chunk;
    const label = c.section
      ? `${c.issuer ?? c.docTitle}：${stripTrailingPunctuation(c.section)}`
      : (c.issuer ?? c.issuerFull ?? c.docTitle);
    if (!out.includes(label)) out.push(label);
    if (out.length >= MAX_SUGGESTIONS) break;
  }
  return out;
}

interface Context {
  question: Question;
  query: string;
  retrieval: RetrievalResult;
  language: Language;
  started: number;
  deps: AnswerDeps;
}

function finish(
  ctx: Context,
  body: Pick<Answer, 'text' | 'citations' | 'mode' | 'refused' | 'notice' | 'suggestions'>,
): Answer {
  const now = ctx.deps.now ?? Date.now;
  const composeMs = Math.max(0, now() - ctx.started);
  const retrieveMs = ctx.retrieval.timings.totalMs;
  return {
    id: randomUUID(),
    requestId: ctx.question.requestId,
    question: ctx.question.text,
    query: ctx.query,
    language: ctx.language,
    ...body,
    timings: { retrieveMs, composeMs, totalMs: retrieveMs + composeMs },
  };
}

function refusal(ctx: Context, mode: Answer['mode'], missing: MissingScope | null = null): Answer {
  const suggestions = missing ? [] : refusalSuggestions(ctx.retrieval);
  return finish(ctx, {
    text: missing ? missingScopeText(ctx.language, missing) : refusalText(ctx.language, suggestions),
    citations: [],
    mode,
    refused: true,
    notice: null,
    suggestions,
  });
}

function extractiveAnswer(ctx: Context, extractive: ExtractiveResult, notice: string | null): Answer {
  return finish(ctx, {
    text: extractive.text,
    citations: extractive.citations,
    mode: 'extractive',
    refused: false,
    notice: joinNotices(scopeNotice(ctx), notice),
    suggestions: [],
  });
}

/** A named region the library lacks, answered from national documents: the answer says so. */
function scopeNotice(ctx: Context): string | null {
  const missing = ctx.retrieval.missing;
  return missing?.kind === 'region' ? nationalInsteadNotice(ctx.language, missing.named) : null;
}

function joinNotices(...notices: (string | null)[]): string | null {
  const present = notices.filter((n): n is string => !!n);
  return present.length > 0 ? present.join(' ') : null;
}

/**
 * The library lacks what the question names and no document can stand in: a 文号 or a year it does not have,
 * or a region it does not have when the question asks for a figure or a date (those are the region's own).
 */
function refusesForScope(
  need: AnswerNeed,
  missing: MissingScope | null | undefined,
): missing is MissingScope {
  if (!missing) return false;
  return missing.kind !== 'region' || need !== null;
}

/**
 * Text deltas, then exactly one `final` event with the verified answer. Deltas are the raw model text
 * (phantom citation markers held back); front ends replace them with the final answer's text.
 * Never throws for upstream failures: they become an extractive answer with a notice.
 */
export async function* streamAnswer(
  question: Question,
  standaloneQuery: string,
  retrieval: RetrievalResult,
  deps: AnswerDeps,
): AsyncIterable<AnswerEvent> {
  const now = deps.now ?? Date.now;
  const ctx: Context = {
    question,
    query: standaloneQuery,
    retrieval,
    language: question.language ?? detectQuestionLanguage(question.text),
    started: now(),
    deps,
  };
  const log = deps.logger.child({ requestId: question.requestId });
  const fact = composeExtractive(standaloneQuery, ctx.language, retrieval, {
    maxChars: deps.maxChars,
    ...(deps.paragraphYear ? { paragraphYear: deps.paragraphYear } : {}),
  });
  const coverage = assessCoverage(retrieval, fact.candidates);
  // A question asking for a set of things is answered with the items of the section that holds them; fact
  // questions (and lists no block of the retrieved documents holds) keep the sentence-level answer.
  const shape = questionShape(standaloneQuery);
  const items =
    shape.wantsItems && deps.documents
      ? composeList(standaloneQuery, ctx.language, retrieval, shape, { lookup: deps.documents })
      : null;
  const list: ListResult | null = items && withLead(items, fact.candidates, standaloneQuery);
  // A how-much question whose answer quotes no figure of what is asked: the stored figure that is (figure-answer.ts).
  const fromFigures =
    shape.kind === 'number' && deps.figures
      ? answerFromFigures(standaloneQuery, ctx.language, retrieval, fact.citations, deps.figures)
      : null;
  // Asked for the original or the attachment: the attachment lines of the best passage's document.
  const attached = list || fromFigures ? null : attachmentAnswer(standaloneQuery, ctx.language, retrieval);
  const extractive: ExtractiveResult = list
    ? { ...fact, text: list.text, citations: list.citations }
    : fromFigures
      ? { ...fact, text: fromFigures.text, citations: fromFigures.citations }
      : (attached ?? fact);
  if (fromFigures) log.debug({ figure: fromFigures.figure.id }, 'answer from a key figure');
  if (list)
    log.debug({ groups: list.groups.length, items: list.citations.length, kind: shape.kind }, 'list answer');
  log.debug({ score: coverage.score, signals: coverage.signals, covered: coverage.covered }, 'coverage');

  if (refusesForScope(shape.need, retrieval.missing)) {
    const answer = refusal(ctx, deps.llm ? 'llm' : 'extractive', retrieval.missing);
    yield { type: 'delta', text: answer.text };
    yield { type: 'final', answer };
    return;
  }
  // A section whose heading answers a list question, with its items under it, is evidence of its own: a list
  // answer stands a little below the threshold (its items' words are rarely the question's). So is the
  // attachment line a question about the original asks for (its words are a file name).
  const covered =
    coverage.covered ||
    ((list !== null || attached !== null) && coverage.score >= LIST_EVIDENCE_SHARE * REFUSAL.minScore);
  if (!covered || !holdsWhatIsAsked(standaloneQuery, extractive.candidates)) {
    const answer = refusal(ctx, deps.llm ? 'llm' : 'extractive');
    yield { type: 'delta', text: answer.text };
    yield { type: 'final', answer };
    return;
  }
  if (!deps.llm) {
    const answer = extractiveAnswer(ctx, extractive, null);
    yield { type: 'delta', text: answer.text };
    yield { type: 'final', answer };
    return;
  }

  // A list question gives the model the items themselves, one passage each, and asks it to keep them all.
  // …and a how-much question the passage of the stored figure that answers it, first.
  const figureChunk = fromFigures
    ? deps.figures?.chunk(fromFigures.citations[0]?.passageId ?? '')
    : undefined;
  const retrieved = retrieval.passages.map((p) => p.chunk).filter((c) => c.id !== figureChunk?.id);
  const chunks: Chunk[] = list
    ? list.itemPassages
    : [...(figureChunk ? [figureChunk] : []), ...retrieved].slice(0, LLM_PASSAGES);
  const passages: PromptPassage[] = chunks.map((c, i) => ({
    n: i + 1,
    issuer: c.issuerFull ?? c.issuer,
    section: c.section,
    text: c.text,
  }));
  const asked = question.text === standaloneQuery ? question.text : `${standaloneQuery}（${question.text}）`;
  const template = list ? answerListWithCitations : answerWithCitations;
  const messages = list
    ? answerListWithCitations.render({
        question: asked,
        language: ctx.language,
        sources: list.groups.map((g) => g.source),
        passages,
      })
    : answerWithCitations.render({
        question: asked,
        language: ctx.language,
        passages,
        maxChars: deps.maxChars,
      });
  const filter = new CitationMarkerFilter(chunks.length);
  let raw = '';
  // Text is held back while it could still be the refusal marker, so "NOT_COVERED" is never streamed.
  let held = true;
  try {
    for await (const delta of deps.llm.stream({
      template: template.name,
      messages,
      temperature: 0,
      requestId: question.requestId,
      ...(question.signal ? { signal: question.signal } : {}),
      ...(question.deadline !== undefined ? { deadline: question.deadline } : {}),
    })) {
      raw += delta;
      if (held && REFUSAL_MARKER.startsWith(raw.trim())) continue;
      const shown = filter.push(held ? raw : delta);
      held = false;
      if (shown) yield { type: 'delta', text: shown };
    }
    const rest = held ? '' : filter.flush();
    if (rest) yield { type: 'delta', text: rest };
  } catch (error) {
    log.warn({ err: error, partialChars: raw.length }, 'llm answer failed; extractive fallback');
    yield { type: 'final', answer: extractiveAnswer(ctx, extractive, NOTICE_LLM_UNAVAILABLE[ctx.language]) };
    return;
  }

  if (raw.trim() === REFUSAL_MARKER || raw.trim().startsWith(REFUSAL_MARKER)) {
    yield { type: 'final', answer: refusal(ctx, 'llm') };
    return;
  }
  const checked = verifyCitations(raw, chunks, ctx.language, list ? '\n' : undefined);
  // A list answer must keep its items: one that lost more than a few of them gives way to the extractive list.
  const kept = checked ? new Set(checked.citations.map((c) => `${c.start}:${c.end}`)).size : 0;
  const verified = list && checked && kept < Math.ceil(chunks.length * LIST_KEPT) ? null : checked;
  if (list && checked && !verified) log.info({ kept, items: chunks.length }, 'llm list dropped items');
  if (verified && verified.removed.length > 0) {
    log.info({ removed: verified.removed }, 'unverifiable sentences removed from llm answer');
  }
  if (!verified) {
    log.warn({ rawChars: raw.length }, 'llm answer had no verifiable citation; extractive fallback');
    yield { type: 'final', answer: extractiveAnswer(ctx, extractive, NOTICE_LLM_UNVERIFIED[ctx.language]) };
    return;
  }
  yield {
    type: 'final',
    answer: finish(ctx, {
      text: verified.text,
      citations: verified.citations,
      mode: 'llm',
      refused: false,
      notice: scopeNotice(ctx),
      suggestions: [],
    }),
  };
}

/** The final verified answer (the last event of `streamAnswer`). */
export async function composeAnswer(
  question: Question,
  standaloneQuery: string,
  retrieval: RetrievalResult,
  deps: AnswerDeps,
): Promise<Answer> {
  let final: Answer | null = null;
  for await (const event of streamAnswer(question, standaloneQuery, retrieval, deps)) {
    if (event.type === 'final') final = event.answer;
  }
  if (!final) throw new Error('streamAnswer ended without a final answer');
  return final;
}
