import { UsageError } from '../../errors/index.js';
import type { ScoredPassage } from '../../types.js';

export function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(`${name} must be an integer from 1 to 1000`);
  return n;
}

/** The stable JSON shape of a retrieved passage (`policybot retrieve --json`). */
export function passageJson(p: ScoredPassage) {
  return {
    id: p.chunk.id,
    doc: p.chunk.docId,
    title: p.chunk.partTitle,
    issuer: p.chunk.issuer,
    section: p.chunk.section,
    text: p.chunk.text,
    score: Number(p.score.toFixed(6)),
    dense: p.dense === null ? null : Number(p.dense.toFixed(4)),
    keyword: p.keyword === null ? null : Number(p.keyword.toFixed(4)),
  };
}
