import type { Citation, Issuer, Language, Summary } from '../types.js';
import type { CitedIssuerSummary } from './types.js';

/** "科技司（工业和信息化部科技司）：《title》"; a name given once when short and full are the same. */
function issuerLine(d: Issuer, partTitle: string, language: Language): string {
  const zh = language === 'zh';
  const name = d.short === d.full ? d.short : zh ? `${d.short}（${d.full}）` : `${d.short} (${d.full})`;
  if (!partTitle || partTitle === d.full) return name;
  return zh ? `${name}：《${partTitle}》` : `${name}: “${partTitle}”`;
}

/** Plain-text rendering with [n] markers, in the summary's language. */
export function renderIssuer(part: CitedIssuerSummary, language: Language, offset = 0): string {
  const d = part.issuer;
  const doc = part.document;
  const facts = doc ? [doc.docNumber, doc.date].filter(Boolean) : [];
  const lines = [
    doc
      ? language === 'zh'
        ? `《${doc.title}》${facts.length > 0 ? `（${facts.join('，')}）` : ''}`
        : `“${doc.title}”${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`
      : issuerLine(d, part.partTitle, language),
  ];
  for (const section of part.sections) {
    lines.push(language === 'zh' ? `${section.heading}：` : `${section.heading}:`);
    for (const b of section.bullets) {
      const marks = b.citations.map((n) => `[${n + offset}]`).join('');
      lines.push(`- ${b.text}${language === 'zh' ? '' : ' '}${marks}`);
    }
  }
  return lines.join('\n');
}

/**
 * Combines issuer summaries into one `Summary`; citations are renumbered consecutively across
 * issuers (issuer i's [n] becomes [n + citations before it]).
 */
export function buildSummary(
  issuer: Issuer | null,
  parts: readonly CitedIssuerSummary[],
  language: Language,
): Summary {
  const citations: Citation[] = [];
  const texts: string[] = [];
  const issuers = parts.map((part) => {
    const offset = citations.length;
    for (const c of part.citations) citations.push({ ...c, n: c.n + offset });
    texts.push(renderIssuer(part, language, offset));
    return {
      issuer: part.issuer,
      partTitle: part.partTitle,
      ...(part.document ? { document: part.document } : {}),
      sections: part.sections.map((s) => ({
        heading: s.heading,
        bullets: s.bullets.map((b) => ({ text: b.text, citations: b.citations.map((n) => n + offset) })),
      })),
    };
  });
  const mode = parts.length > 0 && parts.every((p) => p.mode === 'llm') ? 'llm' : 'extractive';
  const document = parts.length === 1 ? parts[0]?.document : undefined;
  return {
    issuer,
    ...(document ? { document } : {}),
    language,
    mode,
    issuers,
    citations,
    text: texts.join('\n\n'),
  };
}
