import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { createEngine } from '../../engine/createEngine.js';
import { UsageError } from '../../errors/index.js';
import { newRequestId } from '../../logging/logger.js';
import type { Answer, Language } from '../../types.js';
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

export interface AnswerMetrics {
  positives: number;
  negatives: number;
  /** Answered positives whose text quotes the evidence. */
  containment: number;
  /** Of all citations on answered positives, the share whose passage contains the evidence. */
  citationPrecision: number;
  /** Answered positives citing at least one passage that contains the evidence. */
  evidenceCited: number;
  /** Positives answered and negatives refused, over all items. */
  refusalAccuracy: number;
  falseRefusals: string[];
  falseAnswers: string[];
}

/** Answer-level quality: does the answer quote the evidence, do its citations hold it, is refusal right. */
export function answerMetrics(items: { item: QaItem; answer: Answer }[]): AnswerMetrics {
  const positives = items.filter((x) => x.item.evidence !== null);
  const negatives = items.filter((x) => x.item.evidence === null);
  const answered = positives.filter((x) => !x.answer.refused);
  let contained = 0;
  let cited = 0;
  let citations = 0;
  let goodCitations = 0;
  for (const { item, answer } of answered) {
    const evidence = squash(item.evidence ?? '');
    if (squash(answer.text).includes(evidence)) contained++;
    const good = answer.citations.filter((c) => squash(c.passage).includes(evidence)).length;
    citations += answer.citations.length;
    goodCitations += good;
    if (good > 0) cited++;
  }
  const falseRefusals = positives.filter((x) => x.answer.refused).map((x) => x.item.id);
  const falseAnswers = negatives.filter((x) => !x.answer.refused).map((x) => x.item.id);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    positives: positives.length,
    negatives: negatives.length,
    containment: ratio(contained, positives.length),
    citationPrecision: ratio(goodCitations, citations),
    evidenceCited: ratio(cited, positives.length),
    refusalAccuracy: ratio(items.length - falseRefusals.length - falseAnswers.length, items.length),
    falseRefusals,
    falseAnswers,
  };
}

export function register(program: Command): void {
  program
    .command('eval')
    .description(
      'Quality on a QA file: retrieval recall@1/@k and MRR per language; answer containment, citation precision, refusal accuracy',
    )
    .requiredOption('--qa <file>', 'JSONL with {q, evidence, lang} per line (evidence null = unanswerable)')
    .option('-k, --k <n>', 'passages retrieved per question', '5')
    .option('--json', 'print JSON')
    .action(async (opts: { qa: string; k: string; json?: boolean }) => {
      const k = parsePositiveInt(opts.k, '--k');
      const items = await readQaFile(opts.qa);
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      const rows: { id: string; lang: Language; rank: number | null }[] = [];
      const answers: { item: QaItem; answer: Answer }[] = [];
      for (const item of items) {
        answers.push({ item, answer: await engine.answer({ text: item.q, requestId: newRequestId() }) });
        if (item.evidence === null) continue;
        const result = await engine.retrieve({ text: item.q, k });
        const rank = firstHitRank(
          result.passages.map((p) => p.chunk.text),
          item.evidence,
        );
        rows.push({ id: item.id, lang: item.lang, rank });
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
      const answerReport = answerMetrics(answers);
      const report = {
        k,
        mode: engine.retriever.mode,
        answerMode: engine.status().llm.configured ? 'llm' : 'extractive',
        retrieval: byLang,
        misses: rows.filter((r) => r.rank !== 1),
        answers: answerReport,
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
        const a = answerReport;
        printLine(`\nAnswers (${report.answerMode}): ${a.positives} answerable, ${a.negatives} unanswerable`);
        printLine(`  answer containment  ${a.containment.toFixed(3)}`);
        printLine(
          `  citation precision  ${a.citationPrecision.toFixed(3)}  (evidence cited ${a.evidenceCited.toFixed(3)})`,
        );
        printLine(`  refusal accuracy    ${a.refusalAccuracy.toFixed(3)}`);
        if (a.falseRefusals.length) printLine(`  wrongly refused: ${a.falseRefusals.join(', ')}`);
        if (a.falseAnswers.length) printLine(`  wrongly answered: ${a.falseAnswers.join(', ')}`);
      }
      await engine.close();
    });
}
