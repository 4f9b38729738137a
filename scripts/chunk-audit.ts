/**
 * Chunk audit of a built index: page chrome, bare page numbers and short fragments in the chunks that
 * retrieval actually returns (issue 10: "no chunk contains 下载/打印/全屏/字号 chrome or a bare page number; no
 * chunk is under 40 characters unless it is a whole clause").
 *
 * Usage: node --import tsx scripts/chunk-audit.ts [--json]
 * Reads the index of the configured POLICYBOT_INDEX_DIR (build it first with `policybot index`). Exits 1 when a
 * chunk holds chrome or a bare page number, or a chunk under 40 characters is not a whole clause.
 * test/ingest/real-documents.test.ts applies the same rules (imported from here) to the chunker's output.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { indexDirFor } from '../src/engine/createEngine.js';
import { loadIndex } from '../src/index/load-index.js';
import { ADOPTION_HISTORY, ATTACHMENT_LINE } from '../src/ingest/text-rules.js';

/** Page furniture that must never reach a chunk. */
export const CHROME =
  /(?:^|\s)(?:下载|打印|全屏|收藏|加大|还原|减小)(?:\s|$)|【?字号[：:]|扫一扫|分享到|ICP|网站地图|版权所有|关闭窗口|您所在的位置|责任编辑/u;
export const BARE_PAGE_NUMBER = /^[—－\-\s]*\d{1,3}[—－\-\s]*$|^第\s*\d+\s*页/u;
/** Chunks shorter than this must be a whole clause of their own. */
export const MIN_CHUNK_CHARS = 40;
const CLAUSE_END = /[。；！？：]$/u;
/** Fewest Chinese characters of a short chunk that is a whole clause of its own. */
const MIN_CLAUSE_HAN = 6;

export type ChunkVerdict = 'chrome' | 'page-number' | 'fragment' | 'short-clause' | 'short-attachment' | 'ok';

/** What the audit says of one chunk's text. */
export function auditChunk(text: string): ChunkVerdict {
  if (CHROME.test(text)) return 'chrome';
  if (BARE_PAGE_NUMBER.test(text.trim())) return 'page-number';
  if (text.length >= MIN_CHUNK_CHARS) return 'ok';
  // An attachment line or an attachment's file name stands alone by nature.
  if (ATTACHMENT_LINE.test(text.trim())) return 'short-attachment';
  // A whole clause says something: label residue such as "题：" or "号： 期：" is not one.
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  // A law's adoption history in brackets ("（…修订通过）") is a statement of its own, like a clause.
  const whole = CLAUSE_END.test(text) || ADOPTION_HISTORY.test(text.trim());
  return whole && han >= MIN_CLAUSE_HAN ? 'short-clause' : 'fragment';
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const index = await loadIndex(indexDirFor(loadConfig()));
  const perDoc = new Map<string, Record<ChunkVerdict, number> & { chunks: number; chars: number }>();
  const bad: { id: string; verdict: ChunkVerdict; text: string }[] = [];
  const lengths: number[] = [];
  for (const chunk of index.chunks) {
    const verdict = auditChunk(chunk.text);
    let row = perDoc.get(chunk.docId);
    if (!row) {
      row = {
        chunks: 0,
        chars: 0,
        chrome: 0,
        'page-number': 0,
        fragment: 0,
        'short-clause': 0,
        'short-attachment': 0,
        ok: 0,
      };
      perDoc.set(chunk.docId, row);
    }
    row.chunks++;
    row.chars += chunk.text.length;
    row[verdict]++;
    lengths.push(chunk.text.length);
    if (verdict === 'chrome' || verdict === 'page-number' || verdict === 'fragment') {
      bad.push({ id: chunk.id, verdict, text: chunk.text.slice(0, 80) });
    }
  }
  lengths.sort((a, b) => a - b);
  const pct = (p: number) =>
    lengths[Math.min(lengths.length - 1, Math.floor((p / 100) * lengths.length))] ?? 0;
  const summary = {
    chunks: index.chunks.length,
    lengthMin: lengths[0] ?? 0,
    lengthP10: pct(10),
    lengthP50: pct(50),
    lengthMax: lengths.at(-1) ?? 0,
    under40: lengths.filter((n) => n < MIN_CHUNK_CHARS).length,
    bad,
    documents: Object.fromEntries(perDoc),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const lines = [
      '| document | chunks | mean chars | chrome | page no. | <40 whole clause | <40 attachment | <40 fragment |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const [id, r] of perDoc) {
      lines.push(
        `| ${id} | ${r.chunks} | ${Math.round(r.chars / r.chunks)} | ${r.chrome} | ${r['page-number']} | ${r['short-clause']} | ${r['short-attachment']} | ${r.fragment} |`,
      );
    }
    lines.push(
      '',
      `${summary.chunks} chunks; length min ${summary.lengthMin}, p10 ${summary.lengthP10}, median ${summary.lengthP50}, max ${summary.lengthMax}; ${summary.under40} under ${MIN_CHUNK_CHARS} characters`,
    );
    for (const b of bad) lines.push(`${b.verdict}: ${b.id}: ${b.text}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.exitCode = bad.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
