import type { LlmClient } from '../llm/LlmClient.js';
import type { Logger } from '../logging/logger.js';
import { rewriteSearchQueries } from '../prompts/templates.js';
import type { RetrievalQuery, RetrievalResult, ScoredPassage } from '../types.js';
import { reciprocalRankFusion } from './fusion.js';

/**
 * LLM-assisted retrieval: the model rewrites the question into two or three standalone searches in the
 * documents' language (English questions too) and a one-sentence hypothetical answer (HyDE, Gao et al. 2022);
 * each is retrieved like the question itself and the rankings are fused with reciprocal rank fusion
 * (Cormack et al. 2009), the question's own ranking included, so a rewrite can add passages but never hide the
 * plain result. The rewrite gets a share of the request's LLM budget; on any fault (timeout, error status,
 * open circuit, an empty or unusable reply) the plain retrieval is returned as it is.
 */

/** Searches taken from a reply (the hypothetical answer counts as one). */
export const MAX_REWRITES = 4;
/** Share of the request's remaining LLM time the rewrite may use: the answer needs the rest. */
export const REWRITE_BUDGET_SHARE = 0.25;
/** …and never more than this. */
export const REWRITE_MAX_MS = 8_000;
/** A rewrite line longer than this is not a search. */
const MAX_REWRITE_CHARS = 200;

export interface RewriteDeps {
  llm: LlmClient;
  logger: Logger;
  requestId?: string;
  signal?: AbortSignal;
  /** Epoch ms: the request's LLM deadline. */
  deadline?: number;
  now?: () => number;
}

/** The searches in a reply: "Q:" lines, then the "A:" line; bullets and numbering tolerated. */
export function parseRewrites(reply: string, question: string): string[] {
  const out: string[] = [];
  for (const raw of reply.split('\n')) {
    const line = raw
      .trim()
      .replace(/^(?:[-*•]|\d+[.)、])\s*/u, '')
      .trim();
    const m = /^(Q|A)\s*[:：]\s*(.+)$/iu.exec(line);
    if (!m?.[2]) continue;
    const text = m[2].trim().replace(/^["“]|["”]$/gu, '');
    if (text.length === 0 || text.length > MAX_REWRITE_CHARS || text === question) continue;
    if (!out.includes(text)) out.push(text);
  }
  return out.slice(0, MAX_REWRITES);
}

/** The model's searches for `question`, or [] on any fault (logged). Never throws. */
export async function rewriteQuestion(question: string, deps: RewriteDeps): Promise<string[]> {
  const now = deps.now ?? Date.now;
  const remaining = (deps.deadline ?? now() + REWRITE_MAX_MS / REWRITE_BUDGET_SHARE) - now();
  const budget = Math.min(REWRITE_MAX_MS, Math.floor(remaining * REWRITE_BUDGET_SHARE));
  if (budget <= 0 || deps.signal?.aborted) return [];
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('rewrite budget spent', 'TimeoutError')),
    budget,
  );
  const onParent = () => controller.abort(deps.signal?.reason);
  deps.signal?.addEventListener('abort', onParent, { once: true });
  try {
    const reply = await deps.llm.complete({
      template: rewriteSearchQueries.name,
      messages: rewriteSearchQueries.render({ question }),
      temperature: 0,
      maxTokens: 300,
      signal: controller.signal,
      deadline: now() + budget,
      ...(deps.requestId ? { requestId: deps.requestId } : {}),
    });
    const rewrites = parseRewrites(reply, question);
    if (rewrites.length === 0)
      deps.logger.warn({ requestId: deps.requestId }, 'search rewrite: no usable line');
    return rewrites;
  } catch (error) {
    deps.logger.warn(
      { err: error, requestId: deps.requestId },
      'search rewrite failed; plain retrieval used',
    );
    return [];
  } finally {
    clearTimeout(timer);
    deps.signal?.removeEventListener('abort', onParent);
  }
}

/**
 * One result from the question's own retrieval and those of its rewrites: passages by reciprocal rank fusion
 * of the rankings, `k` kept. The evidence fields
 * (query, terms, concepts, coverage) are those of the retrieval that ranks the fused first passage best,
 * so refusal and the extractive answer judge the passage by the words that found it (the caller answers
 * `result.query`).
 */
export function fuseRetrievals(
  plain: RetrievalResult,
  rewritten: readonly RetrievalResult[],
  k: number,
): RetrievalResult {
  const all = [plain, ...rewritten];
  const ids = new Map<string, number>();
  const byId = new Map<string, ScoredPassage>();
  const ordinal = (p: ScoredPassage) => {
    let n = ids.get(p.chunk.id);
    if (n === undefined) {
      n = ids.size;
      ids.set(p.chunk.id, n);
      byId.set(p.chunk.id, p);
    }
    return n;
  };
  const fused = reciprocalRankFusion(all.map((r) => ({ ordinals: r.passages.map(ordinal), weight: 1 })));
  const idOf = [...ids.keys()];
  const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  const firstId = idOf[ranked[0]?.[0] ?? -1];
  let source = plain;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const r of all) {
    const rank = r.passages.findIndex((p) => p.chunk.id === firstId);
    if (rank >= 0 && rank < bestRank) {
      bestRank = rank;
      source = r;
    }
  }
  const passages = ranked.flatMap(([n, score]) => {
    const p = byId.get(idOf[n] ?? '');
    // Component scores are those of the retrieval that found it first; the fused score replaces `score`.
    const own = source.passages.find((q) => q.chunk.id === p?.chunk.id) ?? p;
    return own ? [{ ...own, score }] : [];
  });
  return {
    ...source,
    language: plain.language,
    passages,
    missing: plain.missing ?? null,
    timings: {
      totalMs: all.reduce((s, r) => s + r.timings.totalMs, 0),
      denseMs: all.reduce((s, r) => s + r.timings.denseMs, 0),
      keywordMs: all.reduce((s, r) => s + r.timings.keywordMs, 0),
    },
  };
}

/** Plain retrieval, and with a model the rewrites' too, fused; the plain result on any fault. */
export async function retrieveWithRewrites(
  retrieve: (query: RetrievalQuery) => Promise<RetrievalResult>,
  query: RetrievalQuery,
  deps: RewriteDeps,
): Promise<RetrievalResult> {
  const [plain, rewrites] = await Promise.all([retrieve(query), rewriteQuestion(query.text, deps)]);
  if (rewrites.length === 0) return plain;
  try {
    // A rewrite's language is its own (Chinese searches for an English question).
    const { language: _asked, ...rest } = query;
    const rewritten = await Promise.all(rewrites.map((text) => retrieve({ ...rest, text })));
    deps.logger.debug({ requestId: deps.requestId, rewrites }, 'search rewrites retrieved');
    return fuseRetrievals(plain, rewritten, query.k ?? plain.passages.length);
  } catch (error) {
    deps.logger.warn(
      { err: error, requestId: deps.requestId },
      'rewritten retrieval failed; plain retrieval used',
    );
    return plain;
  }
}
