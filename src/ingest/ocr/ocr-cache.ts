import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PositionedPage } from '../loaders/page-layout.js';

/**
 * Recognised pages on disk, as JSON under `<cacheDir>/ocr/`, keyed by the file's content hash, the page and
 * the OCR pipeline (model and preprocessing), so re-indexing an unchanged scan does no OCR — and a changed
 * pipeline does not reuse old results.
 */

export interface OcrPageResult extends PositionedPage {
  /** Tesseract's mean word confidence for the page, 0–100. */
  confidence: number;
}

/** The recogniser the pool runs (tesseract.js 7, chi_sim, LSTM engine). */
export const OCR_MODEL = 'tesseract.js 7 chi_sim 4.0.0 LSTM';
/** Bump when preprocessing or line conversion changes, so cached pages are recognised again. */
const PIPELINE_VERSION = 3;
const CACHE_TAG = createHash('sha256').update(`${OCR_MODEL}|${PIPELINE_VERSION}`).digest('hex').slice(0, 12);

const cacheFile = (dir: string, contentHash: string, page: number) =>
  join(dir, 'ocr', `${contentHash}-p${page}-${CACHE_TAG}.json`);

/** A cached page, or null (no cache, not cached, or unreadable). */
export async function readCachedPage(
  cacheDir: string | null,
  contentHash: string,
  page: number,
): Promise<OcrPageResult | null> {
  if (!cacheDir) return null;
  try {
    return JSON.parse(await readFile(cacheFile(cacheDir, contentHash, page), 'utf8')) as OcrPageResult;
  } catch {
    return null;
  }
}

export async function writeCachedPage(
  cacheDir: string,
  contentHash: string,
  result: OcrPageResult,
): Promise<void> {
  const file = cacheFile(cacheDir, contentHash, result.page);
  await mkdir(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(result));
  await rename(tmp, file);
}
