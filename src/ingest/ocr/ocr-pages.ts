import type { LoaderOptions, OcrStats } from '../types.js';
import { loadOcrPool } from './lifecycle.js';
import { type OcrPageResult, readCachedPage, writeCachedPage } from './ocr-cache.js';
import { prepareRaw, type RawImage } from './ocr-image.js';
import { ocrLines } from './ocr-text.js';

export type { OcrPageResult } from './ocr-cache.js';

/** A page to recognise; `image` is called only when the page is not in the cache. */
export interface OcrJob {
  page: number;
  image: () => Promise<RawImage>;
}

/** Pages below this mean confidence are flagged for people to check. */
export const LOW_CONFIDENCE = 60;

/**
 * Recognises pages through the shared worker pool, reading and filling the cache (by the file's content
 * hash, page and OCR pipeline) so re-indexing an unchanged scan does no OCR. Calls `onPage` after each page.
 */
export async function recognisePages(
  contentHash: string,
  jobs: readonly OcrJob[],
  options: LoaderOptions,
): Promise<{ pages: OcrPageResult[]; stats: OcrStats }> {
  const started = performance.now();
  const pool = await (await loadOcrPool()).ocrPool(options.workers);
  let done = 0;
  // Decoding is done just before recognition, at most one page ahead per worker, to bound memory.
  let next = 0;
  const results: OcrPageResult[] = [];
  const run = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as OcrJob;
      let result = await readCachedPage(options.cacheDir, contentHash, job.page);
      if (!result) {
        const prepared = await prepareRaw(await job.image());
        const page = await pool.recognize(prepared.png);
        result = {
          page: job.page,
          width: prepared.width,
          height: prepared.height,
          lines: ocrLines(page),
          confidence: page.confidence,
        };
        if (options.cacheDir) await writeCachedPage(options.cacheDir, contentHash, result);
      }
      results.push(result);
      options.onPage?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs.length, pool.size + 1) }, run));
  results.sort((a, b) => a.page - b.page);
  const confidences = results.map((r) => r.confidence);
  return {
    pages: results,
    stats: {
      pages: results.length,
      meanConfidence: confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : 0,
      lowConfidencePages: results.filter((r) => r.confidence < LOW_CONFIDENCE).map((r) => r.page),
      ms: Math.round(performance.now() - started),
    },
  };
}
