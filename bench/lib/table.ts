/** One printed line: a measured number, and its target when the issue sets one. */
export interface TableRow {
  section: string;
  metric: string;
  value: number | string | null;
  unit: string;
  /** e.g. "≤ 10 ms"; absent when there is no target. */
  target?: string;
  /** null when the target applies but the number is missing. */
  met?: boolean | null;
  note?: string;
}

function cell(value: TableRow['value'], unit: string): string {
  if (value === null) return 'not measured';
  if (typeof value === 'string') return value;
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: unit === '' ? 3 : digits });
  return unit ? `${text} ${unit}` : text;
}

/** A fixed-width text table (also valid Markdown) of all rows, grouped by section. */
export function formatTable(rows: readonly TableRow[], meta: Record<string, unknown>): string {
  const header = ['section', 'metric', 'value', 'target', ''];
  const body = rows.map((r) => [
    r.section,
    r.metric,
    cell(r.value, r.unit),
    r.target ?? '',
    r.target ? (r.met === null || r.met === undefined ? '?' : r.met ? '✓' : '✗') : '',
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((row) => width(row[i] ?? ''))));
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, widths[i] ?? 0)).join(' | ')} |`;
  const out = [
    `policybot benchmarks — ${String(meta.date)} — node ${String(meta.node)}, ${String(meta.cpus)} × ${String(meta.cpuModel)}, ${String(meta.totalMemoryGb)} GB${meta.smoke ? ' — SMOKE RUN (tiny sizes, numbers not comparable)' : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.section} / ${r.metric}: ${r.note}`);
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}

/** Display width: CJK and the check marks count as two columns in most terminals. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}
