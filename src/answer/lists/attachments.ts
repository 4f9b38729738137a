/**
 * Attachments a cover notice names: "附件：《…》", "附件：…", "附件1. …" (one per line, or numbered lines after a bare
 * "附件："). A notice that 印发 a plan usually says little itself; the items a list question asks for are in the
 * attachment. When the library holds that attachment as a document of its own (its title is the name), a list
 * answer is taken from it.
 */
import type { StructuredDocument } from '../../types.js';
import type { DocumentLookup } from './document-lookup.js';

/** A name shorter than this is not matched against titles ("附件1" alone, "表1"). */
const MIN_NAME = 6;

/** 《》, quotes, spaces and punctuation do not count when a name is matched against a title. */
const bare = (s: string) => s.replace(/[\s\u3000《》〈〉「」“”"'（）()【】\p{P}]/gu, '');

/** The names after 附件 in a document's text, in order (an attachment's own heading line included). */
export function namedAttachments(doc: StructuredDocument): string[] {
  const names: string[] = [];
  const lines = doc.cleanedText.split('\n').map((l) => l.trim());
  lines.forEach((line, i) => {
    // 附件：《名称》 / 附件1：名称 / 附件 2. 名称 — the label starts its line.
    const m = /^附件\s*(?:[0-9０-９一二三四五六七八九十]+)?\s*[：:．.、]?\s*(.*)$/u.exec(line);
    if (!m) return;
    const rest = (m[1] ?? '').trim();
    if (rest) names.push(rest);
    else {
      // A bare "附件：" heads numbered lines: "1. 《…》".
      for (const next of lines.slice(i + 1, i + 10)) {
        const n = /^(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*[．.、：:]\s*(.+)$/u.exec(next);
        if (!n?.[1]) break;
        names.push(n[1].trim());
      }
    }
  });
  return names
    .map((n) => /《([^》]+)》/u.exec(n)?.[1] ?? n)
    .map((n) => n.replace(/[。；;，,]+$/u, '').trim())
    .filter((n) => [...bare(n)].length >= MIN_NAME);
}

export interface HeldAttachment {
  /** The name as the notice gives it. */
  name: string;
  doc: StructuredDocument;
}

/** The attachments `doc` names that the library holds as documents of their own (title match). */
export function heldAttachments(doc: StructuredDocument, lookup: DocumentLookup): HeldAttachment[] {
  const out: HeldAttachment[] = [];
  for (const name of namedAttachments(doc)) {
    const held = lookup.byTitle(name);
    if (held && held.id !== doc.id && !out.some((a) => a.doc.id === held.id)) out.push({ name, doc: held });
  }
  return out;
}

/** Whether a document's title is the attachment name (equal, or the name with the issuer's prefix). */
export function titleMatches(title: string, name: string): boolean {
  const t = bare(title);
  const n = bare(name);
  if (n.length < MIN_NAME) return false;
  return (
    t === n || (t.endsWith(n) && n.length >= t.length * 0.6) || (n.endsWith(t) && t.length >= n.length * 0.6)
  );
}
