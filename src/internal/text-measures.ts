/** Text similarity measures (OCR error rate, evidence found in a passage, shared runs of titles and text). */

/**
 * Character error rate of recognised text against a reference: Levenshtein distance over code points,
 * divided by the reference length. Both sides are compared after NFKC and without whitespace (OCR and text
 * layers differ in both, and neither changes what a reader or the index sees).
 */
export function charErrorRate(hypothesis: string, reference: string): number {
  const squash = (s: string) => Array.from(s.normalize('NFKC').replace(/\s+/gu, ''));
  const ref = squash(reference);
  return ref.length === 0 ? 0 : levenshtein(squash(hypothesis), ref) / ref.length;
}

/** Edit distance with two rows (O(n·m) time, O(m) memory). */
export function levenshtein(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint32Array(b.length + 1).map((_, j) => j);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

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

/**
 * Longest run of characters `a` and `b` share, and where it starts in `a` (O(n·m): for short strings such as
 * titles, questions and sentences).
 */
export function longestCommonRun(a: string, b: string): { length: number; start: number } {
  let best = 0;
  let end = 0;
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const keep = prev[j] as number;
      prev[j] = a[i - 1] === b[j - 1] ? diag + 1 : 0;
      if ((prev[j] as number) > best) {
        best = prev[j] as number;
        end = i;
      }
      diag = keep;
    }
  }
  return { length: best, start: end - best };
}

/**
 * `text` with every run of at least `minRun` characters it shares with `other` cut out (longest first; a NUL
 * keeps the pieces apart): "京津唐电网2022年电力中长期交易中，发电侧…" against its document's title "…明确2022年京津唐电网
 * 电力中长期交易有关事项的通知" keeps "中，发电侧…", the question's own wording.
 */
export function withoutSharedRuns(text: string, other: string, minRun = 3): string {
  let out = text;
  for (;;) {
    const run = longestCommonRun(out, other);
    if (run.length < minRun) return out;
    out = `${out.slice(0, run.start)}\u0000${out.slice(run.start + run.length)}`;
  }
}
