/**
 * A list answer's lead sentence. Policy documents often state a set in one sentence before detailing it
 * ("指标体系由医疗质量、运营效率、持续发展、满意度评价等4个方面的指标构成", "打造加工制造中心、研发设计中心、…"):
 * that sentence answers "哪几个 / 哪几方面" by itself, and the list under it gives the detail. When the best
 * sentence-level unit is such an enumeration and the list does not already quote it, it leads the list.
 */
import type { Citation } from '../../types.js';
import { buildCitation } from '../citations.js';
import { type ScoredUnit, sourceLabel } from '../extractive.js';
import type { ListResult } from './compose-list.js';

/** Three or more short items joined by 、 (the enumeration comma), the last maybe by 和/及/以及/与. */
const ENUMERATION =
  /(?:[^、，。；：,;:\s]{2,20}、){2,}[^、，。；：,;:\s]{2,20}|[^、，。；：,;:\s]{2,20}、[^、，。；：,;:\s]{2,20}(?:以及|及|和|与)[^、，。；：,;:\s]{2,20}/u;
/** The lead must hold at least this share of the question's weighted terms… */
const MIN_COVERAGE = 0.3;
/** …and be among the best few units, scoring at least this share of the best. */
const LEAD_UNITS = 3;
const LEAD_SHARE = 0.8;

function overlaps(a: { doc: string; start: number; end: number }, b: Citation): boolean {
  return a.doc === b.doc && a.start < b.end && b.start < a.end;
}

/**
 * The list with an enumerating sentence among `units` (the sentence-level units of the fact answer, best first)
 * as its first line; the list unchanged when none qualifies or `question` enumerates the set itself.
 */
export function withLead(list: ListResult, units: readonly ScoredUnit[], question: string): ListResult {
  // A question that names the set itself ("教育、发改、住建部门各自管什么") asks about each member, not for the set.
  if (ENUMERATION.test(question)) return list;
  const top = units[0]?.score ?? 0;
  const best = units
    .slice(0, LEAD_UNITS)
    .find((u) => u.score >= LEAD_SHARE * top && u.termCoverage >= MIN_COVERAGE && ENUMERATION.test(u.text));
  if (!best) return list;
  const span = {
    doc: best.chunk.docId,
    start: best.chunk.start + best.start,
    end: best.chunk.start + best.end,
  };
  // Another document's sentence leads only from the best passage: the list then comes from a lower-ranked one.
  if (list.groups[0]?.lines[0]?.docId !== span.doc && best.passageIndex > 0) return list;
  if (list.citations.some((c) => overlaps(span, c))) return list;
  const lead = buildCitation(1, best.chunk, best.start, best.end);
  const shifted = list.citations.map((c) => ({ ...c, n: c.n + 1 }));
  const renumbered = list.text.replace(/\[(\d+)\]/gu, (_, n: string) => `[${Number(n) + 1}]`);
  const lines = renumbered.split('\n');
  const sentence = lead.quote.replace(/[。；;，,\s]+$/u, '');
  const english = lines[0]?.startsWith('According to') ?? false;
  const line = english ? `“${sentence}” [1].` : `${sentence}[1]。`;
  const path = best.chunk.sectionPath.slice(-2).join(' › ');
  if (path && list.groups[0]?.source.endsWith(path)) {
    // Under the first group's "根据《…》 › section：" line, before its items: it is that section's sentence.
    lines.splice(1, 0, line);
  } else {
    // From another section (the 总体要求 that names the set): a paragraph of its own, with its own source.
    const label = sourceLabel(best.chunk);
    const source = path ? `${label} › ${path}` : label;
    lines.unshift(english ? `According to ${source}: ${line}` : `根据${source}：${line}`, '');
  }
  return {
    ...list,
    text: lines.join('\n'),
    citations: [lead, ...shifted],
    groups: list.groups.map((g) => ({
      ...g,
      lines: g.lines.map((l) => ({ ...l, cites: l.cites.map((n) => n + 1) })),
    })),
    itemPassages: [
      { ...best.chunk, text: lead.quote, start: lead.start, end: lead.end },
      ...list.itemPassages,
    ],
  };
}
