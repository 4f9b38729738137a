/**
 * Verification of model-written answers before they reach anyone.
 *
 * Rules (applied sentence by sentence, a sentence ending at 。！？!? ; . or a line break):
 * 1. A sentence citing any number outside 1..N (N = passages given) is removed whole: its claim may
 *    rest on the phantom source.
 * 2. A sentence without any citation is removed, unless it is a connective line: a short lead-in
 *    ending with a colon ("根据科技司的工作安排：", "In summary:"), at most 40 characters.
 * 3. A cited Chinese sentence that shares almost nothing with its cited passages (character-bigram
 *    overlap below 0.1) is removed as unsupported. English sentences are not checked this way: they
 *    paraphrase Chinese passages.
 * 4. Citations are renumbered 1..k by first use; each passage cited becomes one `Citation` whose quote
 *    is the passage sentence that best matches the claims citing it, verbatim.
 * If no cited sentence survives, the result is null and the caller falls back to the extractive answer.
 *
 * Streaming: deltas are shown raw as they arrive, except that citation markers outside 1..N are held
 * back (see `CitationMarkerFilter`); the FINAL answer is this verified text and front ends replace the
 * streamed text with it.
 */
import type { Chunk, Citation, Language } from '../types.js';
import { buildCitation } from './citations.js';
import { splitSentences } from './sentences.js';
import { bigrams, overlapRatio } from './text-features.js';

/** `[1]`, `[1,2]`, `[1, 2]`, `[1、2]`, full-width brackets too. */
const MARKER = /[[［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］]/gu;

export interface RemovedSentence {
  sentence: string;
  reason: 'invalid-citation' | 'uncited' | 'unsupported';
}

export interface VerifiedAnswer {
  text: string;
  citations: Citation[];
  removed: RemovedSentence[];
}

const CONNECTIVE_MAX = 40;

/** Every number cited in `text`, in order (with repeats). */
export function citedNumbers(sentence: string): number[] {
  const out: number[] = [];
  for (const m of sentence.matchAll(MARKER)) {
    for (const part of (m[1] ?? '').split(/[,，、]/)) out.push(Number(part.trim()));
  }
  return out;
}

function isConnective(sentence: string): boolean {
  const s = sentence.trim();
  return [...s].length <= CONNECTIVE_MAX && /[:：]$/.test(s);
}

/** `text` without its citation markers. */
export function claimText(sentence: string): string {
  return sentence.replace(MARKER, '');
}

/** The sentence of `chunk` best matching `claims` (bigram overlap), as offsets in chunk.text. */
export function bestQuote(chunk: Chunk, claims: string[]): { start: number; end: number } {
  const sentences = splitSentences(chunk.text);
  const claimGrams = bigrams(claims.map(claimText).join(' '));
  let best = sentences[0];
  let bestScore = -1;
  for (const s of sentences) {
    const score = overlapRatio(bigrams(s.text), claimGrams) + overlapRatio(claimGrams, bigrams(s.text));
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best ? { start: best.start, end: best.end } : { start: 0, end: chunk.text.length };
}

/**
 * Verifies a model answer against the passages it was given (`passages[i]` is `[i+1]`).
 * Returns null when nothing cited survives.
 */
export function verifyCitations(
  raw: string,
  passages: readonly Chunk[],
  language: Language,
  /** Kept sentences are joined with this (default: nothing in Chinese, a space in English; lists use a line break). */
  separator: string = language === 'zh' ? '' : ' ',
): VerifiedAnswer | null {
  const removed: RemovedSentence[] = [];
  const kept: string[] = [];
  const claimsByPassage = new Map<number, string[]>();
  let citedKept = 0;
  for (const s of splitSentences(raw.trim())) {
    const sentence = s.text;
    const numbers = citedNumbers(sentence);
    if (numbers.length === 0) {
      if (isConnective(sentence)) kept.push(sentence);
      else removed.push({ sentence, reason: 'uncited' });
      continue;
    }
    if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > passages.length)) {
      removed.push({ sentence, reason: 'invalid-citation' });
      continue;
    }
    if (language === 'zh') {
      const claim = bigrams(claimText(sentence));
      const support = Math.max(
        ...numbers.map((n) => overlapRatio(claim, bigrams(passages[n - 1]?.text ?? ''))),
      );
      if (claim.size > 0 && support < 0.1) {
        removed.push({ sentence, reason: 'unsupported' });
        continue;
      }
    }
    for (const n of numbers) claimsByPassage.set(n, [...(claimsByPassage.get(n) ?? []), sentence]);
    kept.push(sentence);
    citedKept++;
  }
  // A connective line left dangling at the end (nothing cited after it) reads as a broken answer.
  while (kept.length > 0 && citedNumbers(kept[kept.length - 1] ?? '').length === 0) kept.pop();
  if (citedKept === 0) return null;

  const renumber = new Map<number, number>();
  const citations: Citation[] = [];
  for (const sentence of kept) {
    for (const n of citedNumbers(sentence)) {
      if (renumber.has(n)) continue;
      const chunk = passages[n - 1];
      if (!chunk) continue;
      const next = citations.length + 1;
      renumber.set(n, next);
      const q = bestQuote(chunk, claimsByPassage.get(n) ?? []);
      citations.push(buildCitation(next, chunk, q.start, q.end));
    }
  }
  const rewrite = (sentence: string) =>
    sentence.replace(MARKER, (_m, list: string) =>
      [...new Set(list.split(/[,，、]/).map((p) => renumber.get(Number(p.trim())) ?? 0))]
        .map((n) => `[${n}]`)
        .join(''),
    );
  return { text: kept.map(rewrite).join(separator), citations, removed };
}

/**
 * Streaming guard: passes text through but holds back an unfinished `[..` until it closes, and drops
 * markers citing numbers outside 1..max, so a phantom `[9]` never appears even in raw deltas.
 */
export class CitationMarkerFilter {
  private pending = '';
  constructor(private readonly max: number) {}

  /** Feeds a delta; returns the text safe to show now (may be empty). */
  push(delta: string): string {
    this.pending += delta;
    const open = Math.max(this.pending.lastIndexOf('['), this.pending.lastIndexOf('［'));
    const closed = open >= 0 && /[\]］]/.test(this.pending.slice(open));
    // Hold back a possible marker in progress (an opening bracket followed only by digits/separators).
    if (open >= 0 && !closed && /^[[［][\s\d,，、]*$/u.test(this.pending.slice(open))) {
      const ready = this.pending.slice(0, open);
      this.pending = this.pending.slice(open);
      return this.clean(ready);
    }
    const ready = this.pending;
    this.pending = '';
    return this.clean(ready);
  }

  /** Whatever is still held back, at the end of the stream. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.clean(rest);
  }

  private clean(text: string): string {
    return text.replace(MARKER, (m, list: string) =>
      list.split(/[,，、]/).every((p) => {
        const n = Number(p.trim());
        return n >= 1 && n <= this.max;
      })
        ? m
        : '',
    );
  }
}
