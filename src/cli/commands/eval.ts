import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { createRetrievalEngine, retrieveWithDepartment } from '../../engine/createEngine.js';
import { UsageError } from '../../errors/index.js';
import type { Language } from '../../types.js';
import { createCliContext, printLine, printWarnings } from '../context.js';
import { parsePositiveInt } from './shared.js';

const qaSchema = z.object({
  id: z.string(),
  q: z.string(),
  dept: z.string().nullable().optional(),
  evidence: z.string().nullable(),
  lang: z.enum(['zh', 'en']),
});
export type QaItem = z.infer<typeof qaSchema>;

export async function readQaFile(file: string): Promise<QaItem[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      const parsed = qaSchema.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new UsageError(`${file}:${i + 1}: not a QA item (${parsed.error.issues[0]?.message})`);
      return parsed.data;
    });
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** A hit is a returned passage containing the evidence, whitespace ignored. */
export function firstHitRank(passages: string[], evidence: string): number | null {
  const needle = squash(evidence);
  const i = passages.findIndex((p) => squash(p).includes(needle));
  return i < 0 ? null : i + 1;
}

interface RetrievalMetrics {
  n: number;
  recallAt1: number;
  recallAtK: number;
  mrr: number;
}

export function retrievalMetrics(ranks: (number | null)[], k: number): RetrievalMetrics {
  const n = ranks.length;
  if (n === 0) return { n, recallAt1: 0, recallAtK: 0, mrr: 0 };
  return {
    n,
    recallAt1: ranks.filter((r) => r === 1).length / n,
    recallAtK: ranks.filter((r) => r !== null && r <= k).length / n,
    mrr: ranks.reduce<number>((s, r) => s + (r ? 1 / r : 0), 0) / n,
  };
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('Retrieval quality on a QA file: recall@1, recall@k and MRR per language')
    .requiredOption('--qa <file>', 'JSONL with {q, evidence, lang} per line (evidence null = unanswerable)')
    .option('-k, --k <n>', 'passages retrieved per question', '5')
    .option('--json', 'print JSON')
    .action(async (opts: { qa: string; k: string; json?: boolean }) => {
      const k = parsePositiveInt(opts.k, '--k');
      const items = await readQaFile(opts.qa);
      const { config, logger } = createCliContext();
      const engine = await createRetrievalEngine({ config, logger, ensureIndex: true });
      printWarnings(engine.warnings);
      const rows: { id: string; lang: Language; rank: number | null }[] = [];
      for (const item of items) {
        if (item.evidence === null) continue;
        const result = await retrieveWithDepartment(engine.retriever, { text: item.q, k });
        rows.push({
          id: item.id,
          lang: item.lang,
          rank: firstHitRank(
            result.passages.map((p) => p.chunk.text),
            item.evidence,
          ),
        });
      }
      const byLang = Object.fromEntries(
        (['zh', 'en', 'all'] as const).map((lang) => [
          lang,
          retrievalMetrics(
            rows.filter((r) => lang === 'all' || r.lang === lang).map((r) => r.rank),
            k,
          ),
        ]),
      );
      const report = {
        k,
        mode: engine.retriever.mode,
        retrieval: byLang,
        misses: rows.filter((r) => r.rank !== 1),
      };
      if (opts.json) {
        printLine(JSON.stringify(report));
      } else {
        printLine(`Retrieval (${engine.retriever.mode}, k=${k}) on ${opts.qa}`);
        printLine('lang   n    recall@1  recall@k  MRR');
        for (const [lang, m] of Object.entries(byLang)) {
          printLine(
            `${lang.padEnd(6)} ${String(m.n).padEnd(4)} ${m.recallAt1.toFixed(3).padEnd(9)} ${m.recallAtK.toFixed(3).padEnd(9)} ${m.mrr.toFixed(3)}`,
          );
        }
        for (const miss of report.misses)
          printLine(`  not top-1: ${miss.id} (${miss.lang}) rank ${miss.rank ?? '-'}`);
      }
      engine.index.keyword.close();
    });
}
