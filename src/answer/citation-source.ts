import type { Citation } from '../types.js';

/** Section headings kept at most in a one-line source (the innermost ones: "… › 第二章 … › 第十条"). */
const MAX_PATH = 2;

/**
 * Where a quote comes from, in the one format every front end shows:
 * 《专利代理条例》（国令第706号） › 第二章 专利代理机构和专利代理师 › 第十条 — the document's title and 文号, the
 * part (an article, an attachment) when it has its own title, and the innermost section headings.
 */
export function citationSource(
  c: Pick<Citation, 'docTitle' | 'partTitle' | 'docNumber' | 'sectionPath'>,
  maxPath = MAX_PATH,
): string {
  const parts = [`《${c.docTitle}》${c.docNumber ? `（${c.docNumber}）` : ''}`];
  if (c.partTitle && c.partTitle !== c.docTitle) parts.push(c.partTitle);
  const path = c.sectionPath.filter((s) => s !== c.partTitle);
  if (path.length > maxPath) parts.push('…');
  parts.push(...path.slice(-maxPath));
  return parts.join(' › ');
}
