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

/** `--doc`, `--issuer` (`--dept` its old name) and `--year`, as `ask`, `retrieve` and `eval` take them. */
export interface FilterFlags {
  doc?: string;
  issuer?: string;
  dept?: string;
  year?: string;
}

/** The filters the flags ask for; a bad year is a usage error. */
export function filtersFrom(opts: FilterFlags): { doc?: string; issuer?: string; year?: number } {
  const out: { doc?: string; issuer?: string; year?: number } = {};
  const issuer = opts.issuer ?? opts.dept;
  if (opts.issuer !== undefined && opts.dept !== undefined && opts.issuer !== opts.dept) {
    throw new UsageError('pass --issuer or --dept (its old name), not both');
  }
  if (issuer) out.issuer = issuer;
  if (opts.doc) out.doc = opts.doc;
  if (opts.year !== undefined) {
    const year = Number(opts.year);
    if (!/^\d{4}$/u.test(opts.year) || year < 1900 || year > 2100) {
      throw new UsageError('--year must be a year such as 2019');
    }
    out.year = year;
  }
  return out;
}

/** Adds the filter flags to a command. */
export function withFilterFlags<T extends { option: (flags: string, description: string) => T }>(
  command: T,
): T {
  return command
    .option('--doc <document>', 'only this document: id, 文号 (国办发〔2019〕3号) or title (专利代理条例)')
    .option('--issuer <name>', 'only this issuer (short, full or fuzzy name)')
    .option('--dept <name>', 'alias of --issuer')
    .option('--year <year>', 'only documents about this year (their date, 文号 or title)');
}
