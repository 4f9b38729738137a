import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import type { DocumentInfo } from '../../types.js';
import { createCliContext, printLine } from '../context.js';

/** One line per document: title, issuers, 文号, date, region, kind — "–" where the document does not say. */
export function documentLine(d: DocumentInfo): string {
  const m = d.meta;
  const dash = (v: string | null | undefined) => (v ? v : '–');
  const ocr = m.ocr
    ? ` · OCR ${m.ocr.pages} p., confidence ${Math.round(m.ocr.meanConfidence)}${m.ocr.lowConfidencePages.length > 0 ? `, low on p. ${m.ocr.lowConfidencePages.join(', ')}` : ''}`
    : '';
  return [
    d.id,
    m.title,
    dash(m.issuers.map((i) => i.full).join('、')),
    dash(m.docNumber),
    dash(m.date),
    dash(m.region?.name),
    dash(m.kind),
    `${d.chunkCount} chunks${ocr}`,
  ].join('\t');
}

export function register(program: Command): void {
  program
    .command('documents')
    .description('List the documents of the library with their title, issuers, 文号, date, region and kind')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      try {
        const rows = engine.documents();
        if (opts.json) printLine(JSON.stringify(rows));
        else for (const d of rows) printLine(documentLine(d));
      } finally {
        await engine.close();
      }
    });
}
