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
