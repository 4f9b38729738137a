/**
 * "What changed": two documents, one issuer's documents of two years, or a plan's past-year results against
 * its plan-year targets. Extractive by default — sides from the document structure (sides.ts), items from
 * aligning their statements (align.ts), numbers compared with their units (quantities.ts), every side quoted
 * verbatim with its citation. With a language model the text is written by the model from the aligned
 * items' passages and verified like answers; the extractive text is the fallback.
 */
import { randomUUID } from 'node:crypto';
import { buildCitation } from '../answer/citations.js';
import { detectQuestionLanguage } from '../answer/text-features.js';
import type { LlmClient } from '../llm/LlmClient.js';
import type { Logger } from '../logging/logger.js';
import type {
  Citation,
  CompareRequest,
  Comparison,
  ComparisonChange,
  ComparisonItem,
  Language,
} from '../types.js';
import { alignUnits, pairKind, topicTerms, topTerms, unitSalience, withoutQuantities } from './align.js';
import { llmComparisonText } from './llm-compare.js';
import { compareQuantities } from './quantities.js';
import { renderComparison } from './render.js';
import type { CompareUnit } from './sides.js';
import { resolveSides, type SideLibrary } from './sides.js';

export interface CompareDeps {
  library: SideLibrary;
  llm: LlmClient | null;
  logger: Logger;
}

const KIND_ORDER: ComparisonItem['kind'][] = ['changed', 'fulfilled', 'added', 'dropped', 'kept'];

/** The extractive comparison (items, text, citations) of two resolved sides. */
export function extractiveComparison(
  request: CompareRequest,
  library: SideLibrary,
  language: Language,
): Comparison {
  const started = performance.now();
  const { before, after } = resolveSides(request.before, request.after ?? null, library);
  const alignment = alignUnits(before.units, after.units);
  const { weight } = alignment;
  type Draft = {
    kind: ComparisonItem['kind'];
    before: CompareUnit | null;
    after: CompareUnit | null;
    rank: number;
    topic: string[];
    similarity: number | null;
  };
  const drafts: Draft[] = [];
  for (const pair of alignment.pairs) {
    drafts.push({
      kind: pairKind(pair),
      before: pair.before,
      after: pair.after,
      rank: pair.score,
      topic: topTerms(pair.shared, weight),
      similarity: Number(pair.score.toFixed(3)),
    });
  }
  for (const u of alignment.added) {
    drafts.push({
      kind: 'added',
      before: null,
      after: u,
      rank: unitSalience(u, weight),
      topic: topTerms(topicTerms(withoutQuantities(u)), weight),
      similarity: null,
    });
  }
  for (const u of alignment.dropped) {
    drafts.push({
      kind: 'dropped',
      before: u,
      after: null,
      rank: unitSalience(u, weight),
      topic: topTerms(topicTerms(withoutQuantities(u)), weight),
      similarity: null,
    });
  }
  // Changed items by how clearly they align; added and dropped ones by how much they say; kept in text order.
  drafts.sort((x, y) => {
    const k = KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind);
    if (k !== 0) return k;
    if (x.kind === 'kept') return (x.after?.start ?? 0) - (y.after?.start ?? 0);
    return y.rank - x.rank;
  });
  const citations: Citation[] = [];
  const cite = (u: CompareUnit | null): Citation | null => {
    if (!u) return null;
    const c = buildCitation(citations.length + 1, u.chunk, u.start - u.chunk.start, u.end - u.chunk.start);
    citations.push(c);
    return c;
  };
  const items: ComparisonItem[] = drafts.map((d) => {
    const changes: ComparisonChange[] =
      d.before && d.after
        ? compareQuantities(d.before.quantities, d.after.quantities).map((c) => ({
            unit: c.unit,
            before: c.before.text,
            after: c.after.text,
            beforeValue: c.before.value,
            afterValue: c.after.value,
            direction: c.direction,
          }))
        : [];
    return {
      kind: d.kind,
      topic: d.topic,
      before: cite(d.before),
      after: cite(d.after),
      changes,
      similarity: d.similarity,
    };
  });
  const counts = { added: 0, dropped: 0, changed: 0, fulfilled: 0, kept: 0 };
  for (const i of items) counts[i.kind]++;
  const base = { before: before.info, after: after.info, items, counts };
  return {
    id: randomUUID(),
    requestId: request.requestId,
    language,
    mode: 'extractive',
    ...base,
    text: renderComparison(base, language),
    citations,
    notice: null,
    timings: { totalMs: Math.round(performance.now() - started) },
  };
}

/**
 * The comparison a request asks for. Unknown targets are `InputError`s; language-model failures never throw
 * (the extractive text is kept, with a notice).
 */
export async function compareTexts(request: CompareRequest, deps: CompareDeps): Promise<Comparison> {
  const started = performance.now();
  const language = request.language ?? detectQuestionLanguage(`${request.before} ${request.after ?? ''}`);
  const extractive = extractiveComparison(request, deps.library, language);
  if (!deps.llm || extractive.items.length === 0) return extractive;
  try {
    const written = await llmComparisonText(extractive, deps.library.chunks, {
      llm: deps.llm,
      language,
      requestId: request.requestId,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.deadline !== undefined ? { deadline: request.deadline } : {}),
    });
    if (written) {
      return {
        ...extractive,
        mode: 'llm',
        text: written.text,
        citations: written.citations,
        timings: { totalMs: Math.round(performance.now() - started) },
      };
    }
    deps.logger.warn(
      { requestId: request.requestId },
      'llm comparison had nothing verifiable; extractive text kept',
    );
  } catch (error) {
    deps.logger.warn(
      { err: error, requestId: request.requestId },
      'llm comparison failed; extractive fallback',
    );
  }
  return {
    ...extractive,
    notice:
      language === 'zh'
        ? '语言模型的比较未通过核验或不可用，以下为摘录式比较。'
        : 'The language model was unavailable or its comparison could not be verified; this is an extractive comparison.',
    timings: { totalMs: Math.round(performance.now() - started) },
  };
}
