import type { Figure } from '../types.js';

/** How many key figures a new-document digest lists. */
export const DIGEST_FIGURES = 5;

const STATUS_RANK: Record<Figure['status'], number> = { target: 0, result: 1, unknown: 2 };
/** Amounts and percentages say most about a plan; counts next; deadlines last. */
const KIND_RANK: Record<Figure['kind'], number> = { percent: 0, amount: 0, count: 1, date: 2 };

/**
 * The most salient figures of one document, for a digest: targets before results before the rest, amounts and
 * percentages before counts before deadlines, then document order; one figure per quote (a clause holding
 * three numbers is shown once), and only figures whose subject the text names.
 */
export function keyFigures(figures: readonly Figure[], limit = DIGEST_FIGURES): Figure[] {
  const seen = new Set<string>();
  const distinct = figures.filter((f) => {
    if (f.subject.trim() === '' || seen.has(f.quote)) return false;
    seen.add(f.quote);
    return true;
  });
  return distinct
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        STATUS_RANK[a.f.status] - STATUS_RANK[b.f.status] ||
        KIND_RANK[a.f.kind] - KIND_RANK[b.f.kind] ||
        a.i - b.i,
    )
    .slice(0, limit)
    .map(({ f }) => f);
}
