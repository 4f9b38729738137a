/** Plain-text rendering of a comparison, with [n] markers into its citations, in its language. */
import type { CompareSideInfo, Comparison, ComparisonItem, Language } from '../types.js';

/** Items of each kind shown in the text; the rest are counted ("… and 4 more"). */
export const SHOWN_PER_KIND = 6;

const ROLE_ZH: Record<CompareSideInfo['role'], string> = {
  document: '',
  results: '成绩',
  targets: '目标',
  year: '',
};
const ROLE_EN: Record<CompareSideInfo['role'], string> = {
  document: '',
  results: 'results',
  targets: 'targets',
  year: '',
};

/** "中小企业局《着力推动…》2021年成绩", "SME bureau “…” 2021 results". */
export function sideLabel(side: CompareSideInfo, language: Language): string {
  const title = side.partTitles.join('、');
  if (language === 'zh') {
    const year = side.year !== null ? `${side.year}年${ROLE_ZH[side.role]}` : '';
    return `${side.issuer ? `${side.issuer}` : ''}《${title}》${year}`;
  }
  const year = side.year !== null ? ` ${side.year}${ROLE_EN[side.role] ? ` ${ROLE_EN[side.role]}` : ''}` : '';
  return `${side.issuer ? `${side.issuer} ` : ''}“${title}”${year}`;
}

const HEADINGS: Record<Language, Record<ComparisonItem['kind'], string>> = {
  zh: { changed: '数字变化', fulfilled: '目标已成结果', added: '新增', dropped: '不再提及', kept: '延续' },
  en: {
    changed: 'Numbers that moved',
    fulfilled: 'Targets that became results',
    added: 'Added',
    dropped: 'Dropped',
    kept: 'Continued',
  },
};

const ORDER: ComparisonItem['kind'][] = ['changed', 'fulfilled', 'added', 'dropped', 'kept'];

function itemLine(item: ComparisonItem, language: Language): string {
  const mark = (n: number | undefined) => (n === undefined ? '' : `[${n}]`);
  const b = item.before;
  const a = item.after;
  if (b && a) {
    const arrow = language === 'zh' ? ' → ' : ' → ';
    const moved = item.changes
      .filter((c) => c.direction !== 'same')
      .map((c) => `${c.before}${arrow}${c.after}`)
      .join(language === 'zh' ? '；' : '; ');
    const head = moved ? (language === 'zh' ? `${moved}：` : `${moved}: `) : '';
    return `- ${head}${b.quote}${mark(b.n)}${arrow}${a.quote}${mark(a.n)}`;
  }
  const one = a ?? b;
  return one ? `- ${one.quote}${mark(one.n)}` : '-';
}

/** The text of a comparison: the two sides, then each kind's items (the first few), each side cited. */
export function renderComparison(
  comparison: Pick<Comparison, 'before' | 'after' | 'items' | 'counts'>,
  language: Language,
  shown = SHOWN_PER_KIND,
): string {
  const zh = language === 'zh';
  const lines = [
    zh
      ? `比较：${sideLabel(comparison.before, language)} → ${sideLabel(comparison.after, language)}`
      : `Comparing ${sideLabel(comparison.before, language)} → ${sideLabel(comparison.after, language)}`,
  ];
  for (const kind of ORDER) {
    const items = comparison.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    lines.push(zh ? `${HEADINGS.zh[kind]}（${items.length}）：` : `${HEADINGS.en[kind]} (${items.length}):`);
    for (const item of items.slice(0, shown)) lines.push(itemLine(item, language));
    const rest = items.length - shown;
    if (rest > 0) lines.push(zh ? `- 另有${rest}项` : `- and ${rest} more`);
  }
  if (comparison.items.length === 0) {
    lines.push(zh ? '两边没有可比较的条目。' : 'Neither side has statements to compare.');
  }
  return lines.join('\n');
}

/** The citations `text` cites with [n], in order of n (what a chat message lists as its sources). */
export function citationsCitedIn<C extends { n: number }>(text: string, citations: readonly C[]): C[] {
  const cited = new Set([...text.matchAll(/\[(\d+)\]/gu)].map((m) => Number(m[1])));
  return citations.filter((c) => cited.has(c.n)).sort((a, b) => a.n - b.n);
}
