/**
 * Example questions for the web page, Slack and WeCom help, made from the loaded library so they always
 * have an answer there: what one document says (answered from its summary), how a task one of its section
 * headings names is to be done, and an issuer's priorities.
 */
import type { LibraryScope } from '../retriever/query-scope.js';
import { summaryPart } from '../summary/document-summary.js';
import type { IssuerInfo, Language, StructuredDocument } from '../types.js';

/** A heading's numbering ("（三）", "一、", "第二章", "1.") before its words. */
const LABEL =
  /^(?:[（(][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十百]+[、.．]|\d+[、.．]|第[一二三四五六七八九十百\d]+[章节条部分])\s*/u;
/** Heading words that name an action ("加快建设现代化产业体系"): "如何…？" asks how it is done. */
const ACTION =
  /^(?:加快|加强|推进|推动|提升|完善|实施|促进|强化|健全|建立|深化|扩大|优化|保障|支持|落实|提高|做好|开展|培育|发展)/u;
const MAX_TITLE = 24;
/** A heading naming a text ("…工作的意见") rather than a task. */
const KIND_END = /(?:意见|通知|报告|办法|规定|方案|决定)$/u;

function headingCore(heading: string): string {
  return heading
    .replace(/[\s\u3000]+/gu, '')
    .replace(LABEL, '')
    .replace(/[。；;，,：:]+$/u, '');
}

/** Up to four example questions in `language`, from the library's titles, headings and issuers. */
export function exampleQuestions(
  documents: readonly StructuredDocument[],
  scope: LibraryScope,
  issuers: readonly IssuerInfo[],
  language: Language,
): string[] {
  const out: string[] = [];
  const structured = documents.filter((d) => summaryPart(d).sections.length >= 2);
  const scoped = new Map(scope.documents.map((s) => [s.id, s]));
  const named = structured
    .map((d) => ({ doc: d, scoped: scoped.get(d.id) }))
    .filter((d) => d.doc.meta.title.length <= MAX_TITLE || d.scoped?.docNumber)
    .sort((a, b) => a.doc.meta.title.length - b.doc.meta.title.length)[0];
  if (named) {
    const title = named.doc.meta.title;
    const name = title.length <= MAX_TITLE ? `《${title}》` : (named.scoped?.docNumber ?? `《${title}》`);
    out.push(language === 'zh' ? `${name}讲了什么？` : `What does ${name} say?`);
  }
  if (language === 'zh') {
    const seenDocs = new Set<string>();
    for (const doc of documents) {
      if (out.length >= 3) break;
      if (seenDocs.has(doc.id)) continue;
      const heading = doc.sections
        .map((s) => headingCore(s.heading))
        .find(
          (h) =>
            ACTION.test(h) && h.length >= 6 && h.length <= 16 && !/[，,、]/u.test(h) && !KIND_END.test(h),
        );
      if (!heading) continue;
      seenDocs.add(doc.id);
      out.push(`如何${heading}？`);
    }
  }
  const issuer = issuers[0];
  if (issuer && out.length < 4) {
    out.push(
      language === 'zh' ? `${issuer.short}的重点工作有哪些？` : `What are the priorities of ${issuer.short}?`,
    );
  }
  return out;
}
