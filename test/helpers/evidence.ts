/**
 * Share of `evidence`'s characters that `text` holds in order within one stretch at most 1.5 times the
 * evidence's length (longest common subsequence over windows): how much of a quoted evidence string survives
 * OCR in a passage. Whitespace is ignored on both sides.
 */
export function evidenceCoverage(evidence: string, text: string): number {
  const e = Array.from(evidence.replace(/\s+/g, ''));
  const t = Array.from(text.replace(/\s+/g, ''));
  if (e.length === 0) return 1;
  const wanted = new Set(e);
  if (t.filter((c) => wanted.has(c)).length < e.length / 2) return 0;
  const span = Math.ceil(e.length * 1.5);
  let best = 0;
  for (let start = 0; start < Math.max(1, t.length - e.length / 2); start++) {
    if (!wanted.has(t[start] as string)) continue;
    best = Math.max(best, lcs(e, t.slice(start, start + span)));
    if (best === e.length) break;
  }
  return best / e.length;
}

function lcs(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++)
      cur[j] =
        a[i - 1] === b[j - 1]
          ? (prev[j - 1] as number) + 1
          : Math.max(prev[j] as number, cur[j - 1] as number);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}
