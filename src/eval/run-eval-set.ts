/**
 * Runs an evaluation set through the engine's public API (`retrieve`, `answer`, `passage`) and scores each
 * question. Nothing here knows how the engine retrieves or answers: it measures whatever comes back.
 */
import { randomUUID } from 'node:crypto';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import type { Answer, AnswerMode, Language, ScoredPassage } from '../types.js';
import { docIdOf, type EvalListQuestion, type EvalQuestion, type EvalSet } from './eval-sets.js';
import { containsEvidence, firstHitRank } from './match.js';
import {
  answerContains,
  isHeadingOnly,
  namesPlaceOrDocument,
  phantomCitations,
  scoreListAnswer,
} from './score.js';

interface AnswerFacts {
  refused: boolean;
  mode: AnswerMode;
  /** The answer carries a notice (e.g. the language model failed and this is the extractive fallback). */
  degraded: boolean;
  /** Quotes of citations that are not verbatim in their passage. */
  phantoms: string[];
  citations: number;
  headingOnly: boolean;
  answerChars: number;
  answer: string;
  /** 1-based rank of the first retrieved passage from one of the question's documents. */
  docRank: number | null;
  topDoc: string | null;
}

export interface QuestionResult extends AnswerFacts {
  id: string;
  q: string;
  lang: Language;
  kind: string;
  /** Document ids the answer is in. */
  docs: string[];
  namesDocument: boolean;
  answerable: boolean;
  /** 1-based rank of the first retrieved passage holding the evidence (null: none in the top k). */
  rank: number | null;
  contained: boolean;
  /** Citations whose passage holds the evidence. */
  goodCitations: number;
}

export interface ListResult extends AnswerFacts {
  id: string;
  q: string;
  lang: Language;
  scope: string;
  docs: string[];
  items: number;
  found: string[];
  missing: string[];
  /** Items whose evidence is in some top-k passage (what the answer could have used). */
  itemsRetrieved: number;
  citedSentences: number;
  holdingSentences: number;
}

export interface EvalSetResult {
  questions: QuestionResult[];
  lists: ListResult[];
}

export interface RunOptions {
  k: number;
  /** File name in the corpus folder → document id (see `corpusFiles`). */
  docIds: ReadonlyMap<string, string>;
  onProgress?: (done: number, total: number) => void;
}

type Engine = Pick<PolicyEngine, 'retrieve' | 'answer' | 'passage'>;

function answerFacts(
  engine: Engine,
  answer: Answer,
  passages: ScoredPassage[],
  docs: string[],
  titles: string[],
): AnswerFacts {
  const docRank = passages.findIndex((p) => docs.includes(p.chunk.docId));
  return {
    refused: answer.refused,
    mode: answer.mode,
    degraded: answer.notice !== null,
    phantoms: phantomCitations(answer.citations, (id) => engine.passage(id)).map((c) => c.quote),
    citations: answer.citations.length,
    headingOnly: isHeadingOnly(answer, titles),
    answerChars: [...answer.text].length,
    answer: answer.text,
    docRank: docRank < 0 ? null : docRank + 1,
    topDoc: passages[0]?.chunk.docId ?? null,
  };
}

async function ask(engine: Engine, q: string, k: number) {
  const answer = await engine.answer({ text: q, requestId: `eval-${randomUUID()}` });
  const { passages } = await engine.retrieve({ text: q, k });
  return { answer, passages };
}

async function scoreQuestion(
  engine: Engine,
  item: EvalQuestion,
  options: RunOptions,
): Promise<QuestionResult> {
  const { answer, passages } = await ask(engine, item.q, options.k);
  const docs = item.docs.map((d) => docIdOf(d, options.docIds));
  const evidence = item.evidence;
  const titles = [...item.docs, ...docs];
  return {
    id: item.id,
    q: item.q,
    lang: item.lang,
    kind: item.kind,
    docs,
    namesDocument: docs.length > 0 && namesPlaceOrDocument(item.q),
    answerable: evidence !== null,
    rank:
      evidence === null
        ? null
        : firstHitRank(
            passages.map((p) => p.chunk.text),
            evidence,
          ),
    contained: evidence !== null && answerContains(answer, evidence),
    goodCitations:
      evidence === null ? 0 : answer.citations.filter((c) => containsEvidence(c.passage, evidence)).length,
    ...answerFacts(engine, answer, passages, docs, titles),
  };
}

async function scoreList(engine: Engine, item: EvalListQuestion, options: RunOptions): Promise<ListResult> {
  const { answer, passages } = await ask(engine, item.q, options.k);
  const docs = item.docs.map((d) => docIdOf(d, options.docIds));
  const evidence = item.items.map((i) => i.evidence);
  const score = scoreListAnswer(answer, evidence);
  const titles = [...item.docs, ...docs, ...(item.section ? [item.section] : [])];
  return {
    id: item.id,
    q: item.q,
    lang: item.lang,
    scope: item.scope,
    docs,
    items: item.items.length,
    found: score.found.map((i) => item.items[i]?.item ?? String(i)),
    missing: item.items.filter((_, i) => !score.found.includes(i)).map((i) => i.item),
    itemsRetrieved: evidence.filter((e) => passages.some((p) => containsEvidence(p.chunk.text, e))).length,
    citedSentences: score.citedSentences,
    holdingSentences: score.holdingSentences,
    ...answerFacts(engine, answer, passages, docs, titles),
  };
}

/** Asks every question of the set (answer, then retrieve with `k`) and scores it. */
export async function runEvalSet(engine: Engine, set: EvalSet, options: RunOptions): Promise<EvalSetResult> {
  const total = set.questions.length + set.lists.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  const questions: QuestionResult[] = [];
  for (const item of set.questions) {
    questions.push(await scoreQuestion(engine, item, options));
    tick();
  }
  const lists: ListResult[] = [];
  for (const item of set.lists) {
    lists.push(await scoreList(engine, item, options));
    tick();
  }
  return { questions, lists };
}
