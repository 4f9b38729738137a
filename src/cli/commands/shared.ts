import { UsageError } from '../../errors/index.js';
import type { ScoredPassage } from '../../types.js';

export function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(`${name} must be an integer from 1 to 1000`);
  return n;
}

/**
 * The stable JSON shape of a retrieved passage (`policybot retrieve --json`): the first fields as they have
 * always been (`title` is the part's title, `department` its issuer), then the document's metadata.
 */
export function passageJson(p: ScoredPassage) {
  const c = p.chunk;
  return {
    id: c.id,
    doc: c.docId,
    title: c.partTitle,
    department: c.issuer,
    section: c.section,
    text: c.text,
    score: Number(p.score.toFixed(6)),
    dense: p.dense === null ? null : Number(p.dense.toFixed(4)),
    keyword: p.keyword === null ? null : Number(p.keyword.toFixed(4)),
    docTitle: c.docTitle,
    issuer: c.issuer,
    issuerFull: c.issuerFull,
    docNumber: c.docNumber,
    date: c.date,
    region: c.region,
    sectionPath: c.sectionPath,
  };
}
