/**
 * LLM issuer summary: written from the issuer's chunks (map-reduce when they exceed the context
 * budget), then verified like answers — every bullet must cite a passage it was given, uncited or
 * phantom-cited bullets are dropped, and each citation quotes the best-matching passage sentence verbatim.
 */
import { buildCitation } from '../answer/citations.js';
import { bigrams, overlapRatio } from '../answer/text-features.js';
import { bestQuote, citedNumbers, claimText } from '../answer/verify-citations.js';
import { type PromptPassage, summarizeIssuer, summarizeReduce } from '../prompts/templates.js';
import type { Chunk, Citation, Language, SummaryBullet, SummarySection } from '../types.js';
import { articleYears } from './extractive-summary.js';
import type { CitedIssuerSummary, IssuerSummaryInput, SummaryDeps } from './types.js';

const DEFAULT_CONTEXT_CHARS = 6000;
const BULLET = /^\s*(?:[-*•·]|\d+[.、)])\s*(.+)$/u;
const HEADING = /^\s*(?:#+\s*(.+?)|(.{1,30}?)[:：])\s*$/u;

/** Splits passages into batches whose text fits the context budget (a passage never splits). */
export function batchPassages(passages: readonly PromptPassage[], budget: number): PromptPassage[][] {
  const batches: PromptPassage[][] = [];
  let current: PromptPassage[] = [];
  let size = 0;
  for (const p of passages) {
    if (current.length > 0 && size + p.text.length > budget) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(p);
    size += p.text.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

interface ParsedSection {
  heading: string;
  bullets: string[];
}

/** Reads "## heading" / "heading:" lines and "- bullet" lines. */
export function parseSummaryText(text: string): ParsedSection[] {
  const sections: ParsedSection[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const bullet = BULLET.exec(line);
    if (bullet?.[1]) {
      if (sections.length === 0) sections.push({ heading: '', bullets: [] });
      sections.at(-1)?.bullets.push(bullet[1].trim());
      continue;
    }
    const heading = HEADING.exec(line);
    const title = heading?.[1] ?? heading?.[2];
    if (title) sections.push({ heading: title.trim(), bullets: [] });
  }
  return sections.filter((s) => s.bullets.length > 0);
}

/** Verifies parsed bullets against the numbered chunks; returns sections with renumbered citations. */
export function verifySummary(
  parsed: readonly ParsedSection[],
  chunks: readonly Chunk[],
  language: Language,
  headingFor: (raw: string) => string,
): { sections: SummarySection[]; citations: Citation[] } {
  const citations: Citation[] = [];
  const renumber = new Map<number, number>();
  const claims = new Map<number, string[]>();
  const kept: Array<{ heading: string; bullets: Array<{ text: string; numbers: number[] }> }> = [];
  for (const s of parsed) {
    const bullets: Array<{ text: string; numbers: number[] }> = [];
    for (const b of s.bullets) {
      const numbers = [...new Set(citedNumbers(b))];
      if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > chunks.length))
        continue;
      const text = claimText(b).trim();
      if (language === 'zh') {
        const g = bigrams(text);
        const support = Math.max(...numbers.map((n) => overlapRatio(g, bigrams(chunks[n - 1]?.text ?? ''))));
        if (g.size > 0 && support < 0.1) continue;
      }
      for (const n of numbers) claims.set(n, [...(claims.get(n) ?? []), text]);
      bullets.push({ text, numbers });
    }
    if (bullets.length > 0) kept.push({ heading: headingFor(s.heading), bullets });
  }
  const sections: SummarySection[] = kept.map((s) => ({
    heading: s.heading,
    bullets: s.bullets.map((b): SummaryBullet => {
      const mapped = b.numbers.map((n) => {
        const existing = renumber.get(n);
        if (existing !== undefined) return existing;
        const chunk = chunks[n - 1] as Chunk;
        const next = citations.length + 1;
        renumber.set(n, next);
        const q = bestQuote(chunk, claims.get(n) ?? []);
        citations.push(buildCitation(next, chunk, q.start, q.end));
        return next;
      });
      return { text: b.text.replace(/[。.;；\s]+$/u, ''), citations: mapped };
    }),
  }));
  return { sections, citations };
}

/** Writes the summary with the model; throws on upstream failure or when nothing verifiable is left. */
export async function llmIssuerSummary(
  input: IssuerSummaryInput,
  deps: SummaryDeps,
): Promise<CitedIssuerSummary> {
  const llm = deps.llm;
  if (!llm) throw new Error('llmIssuerSummary needs an LLM client');
  const chunks = [...input.chunks].sort((a, b) => a.start - b.start);
  const passages: PromptPassage[] = chunks.map((c, i) => ({
    n: i + 1,
    issuer: c.issuer,
    section: c.section,
    text: c.text,
  }));
  const issuer =
    input.issuer.short === input.issuer.full
      ? input.issuer.short
      : `${input.issuer.short} (${input.issuer.full})`;
  const name = `the text “${input.part.title || input.doc.meta.title}” of ${issuer}`;
  const batches = batchPassages(passages, deps.contextChars ?? DEFAULT_CONTEXT_CHARS);
  const call = (template: string, messages: ReturnType<typeof summarizeIssuer.render>) =>
    llm.complete({
      template,
      messages,
      temperature: 0,
      ...(deps.requestId ? { requestId: deps.requestId } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.deadline !== undefined ? { deadline: deps.deadline } : {}),
    });
  const partials: string[] = [];
  for (const batch of batches) {
    partials.push(
      await call(
        summarizeIssuer.name,
        summarizeIssuer.render({ issuer: name, language: deps.language, passages: batch }),
      ),
    );
  }
  const text =
    partials.length === 1
      ? (partials[0] ?? '')
      : await call(
          summarizeReduce.name,
          summarizeReduce.render({ issuer: name, language: deps.language, partials }),
        );
  const { past, plan } = articleYears(input);
  const headingFor = (raw: string): string => {
    const zh = deps.language === 'zh';
    if (past !== null && raw.includes(String(past))) return zh ? `${past}年主要成绩` : `${past} achievements`;
    if (plan !== null && raw.includes(String(plan))) return zh ? `${plan}年工作重点` : `${plan} priorities`;
    return raw;
  };
  const verified = verifySummary(parseSummaryText(text), chunks, deps.language, headingFor);
  if (verified.citations.length === 0) throw new Error('LLM summary had no verifiable bullet');
  return {
    issuer: input.issuer,
    partTitle: input.part.title,
    sections: verified.sections,
    citations: verified.citations,
    mode: 'llm',
  };
}
