/**
 * The model-written text of a comparison. The model sees the passages holding the aligned items' quotes
 * (each marked with its side) and the extractive findings, and writes headed bullet lists citing [n]. The
 * reply is verified like summaries and answers: a bullet citing nothing or a passage it was not given is
 * dropped, so is one sharing too little with what it cites, and — for comparisons, where numbers are the
 * point — one stating a number none of its cited passages holds. Each citation quotes the passage sentence
 * that best matches its bullets, verbatim.
 */
import { citedNumbers, claimText } from '../answer/verify-citations.js';
import type { LlmClient } from '../llm/LlmClient.js';
import { compareDocuments, type PromptPassage } from '../prompts/templates.js';
import { parseSummaryText, verifySummary } from '../summary/llm-summary.js';
import type { Chunk, Citation, Comparison, Language } from '../types.js';
import { SHOWN_PER_KIND, sideLabel } from './render.js';

export interface LlmCompareDeps {
  llm: LlmClient;
  language: Language;
  requestId?: string;
  signal?: AbortSignal;
  deadline?: number;
}

/** Digit runs a claim states (years included): each must be in a passage the claim cites. */
function statedNumbers(text: string): string[] {
  return [...claimText(text).matchAll(/\d+(?:\.\d+)?/gu)].map((m) => m[0]);
}

/** The verified model text and its citations, or null when nothing verifiable is left. Throws on upstream failure. */
export async function llmComparisonText(
  comparison: Comparison,
  library: readonly Chunk[],
  deps: LlmCompareDeps,
): Promise<{ text: string; citations: Citation[] } | null> {
  const chunks: Chunk[] = [];
  const sideOf = new Map<string, 'A' | 'B'>();
  const numberOf = (c: Citation | null, side: 'A' | 'B', chunkOf: Map<string, Chunk>): number | null => {
    if (!c) return null;
    const chunk = chunkOf.get(c.passageId);
    if (!chunk) return null;
    let i = chunks.findIndex((x) => x.id === chunk.id);
    if (i < 0) {
      chunks.push(chunk);
      sideOf.set(chunk.id, side);
      i = chunks.length - 1;
    }
    return i + 1;
  };
  const wanted = new Set(comparison.citations.map((c) => c.passageId));
  const chunkOf = new Map(library.filter((c) => wanted.has(c.id)).map((c) => [c.id, c] as const));
  const findings: string[] = [];
  const perKind = new Map<string, number>();
  for (const item of comparison.items) {
    const seen = perKind.get(item.kind) ?? 0;
    if (seen >= SHOWN_PER_KIND) continue;
    perKind.set(item.kind, seen + 1);
    const a = numberOf(item.before, 'A', chunkOf);
    const b = numberOf(item.after, 'B', chunkOf);
    const moved = item.changes.map((c) => `${c.before} → ${c.after}`).join('; ');
    findings.push(
      `- ${item.kind}: ${[a ? `A[${a}] “${item.before?.quote}”` : '', b ? `B[${b}] “${item.after?.quote}”` : ''].filter(Boolean).join(' vs ')}${moved ? ` (${moved})` : ''}`,
    );
  }
  if (chunks.length === 0) return null;
  const passages: PromptPassage[] = chunks.map((c, i) => ({
    n: i + 1,
    issuer: c.issuer,
    section: `${sideOf.get(c.id)}${c.section ? ` / ${c.section}` : ''}`,
    text: c.text,
  }));
  const reply = await deps.llm.complete({
    template: compareDocuments.name,
    messages: compareDocuments.render({
      before: sideLabel(comparison.before, deps.language),
      after: sideLabel(comparison.after, deps.language),
      language: deps.language,
      passages,
      findings,
    }),
    temperature: 0,
    ...(deps.requestId ? { requestId: deps.requestId } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.deadline !== undefined ? { deadline: deps.deadline } : {}),
  });
  const parsed = parseSummaryText(reply).map((s) => ({
    heading: s.heading,
    bullets: s.bullets.filter((b) => {
      const cited = citedNumbers(b)
        .map((n) => chunks[n - 1]?.text)
        .filter((t): t is string => t !== undefined);
      return statedNumbers(b).every((n) => cited.some((t) => t.includes(n)));
    }),
  }));
  const verified = verifySummary(parsed, chunks, deps.language, (raw) => raw);
  if (verified.citations.length === 0) return null;
  const zh = deps.language === 'zh';
  const lines = [
    zh
      ? `比较：${sideLabel(comparison.before, deps.language)} → ${sideLabel(comparison.after, deps.language)}`
      : `Comparing ${sideLabel(comparison.before, deps.language)} → ${sideLabel(comparison.after, deps.language)}`,
  ];
  for (const section of verified.sections) {
    if (section.heading) lines.push(zh ? `${section.heading}：` : `${section.heading}:`);
    for (const b of section.bullets) {
      lines.push(`- ${b.text}${zh ? '' : ' '}${b.citations.map((n) => `[${n}]`).join('')}`);
    }
  }
  return { text: lines.join('\n'), citations: verified.citations };
}
