import type { Figure } from '../types.js';

const COLUMNS = [
  'doc',
  'issuer',
  'section',
  'kind',
  'status',
  'year',
  'subject',
  'value',
  'unit',
  'number',
  'qualifier',
  'change',
  'quote',
  'start',
  'end',
] as const;

function cell(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  return /[",\n\r]/u.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row; offsets are into the document's cleaned text. */
export function figuresToCsv(figures: readonly Figure[]): string {
  const rows = figures.map((f) =>
    [
      f.docId,
      f.issuer,
      f.sectionPath.join(' / '),
      f.kind,
      f.status,
      f.year,
      f.subject,
      f.valueText,
      f.unit,
      f.value,
      f.qualifier,
      f.change,
      f.quote,
      f.start,
      f.end,
    ]
      .map(cell)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

const STATUS_ZH: Record<Figure['status'], string> = { target: '目标', result: '完成', unknown: '—' };

/** One line per figure for chat and the terminal: "2025 完成 生产总值 增长5.6% — 「生产总值增长5.6%」". */
export function figureLine(f: Figure): string {
  const year = f.year === null ? '' : `${f.year} `;
  return `${year}${STATUS_ZH[f.status]} ${f.subject}：${f.valueText} —「${f.quote}」`;
}
