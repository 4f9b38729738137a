/**
 * The OCR worker pool's module, loaded on the first scanned page only (tesseract.js and its WebAssembly are
 * not needed by a corpus without scans), and a way to stop its workers without loading it.
 */
let pool: Promise<typeof import('./ocr-pool.js')> | null = null;

export const loadOcrPool = (): Promise<typeof import('./ocr-pool.js')> => {
  pool ??= import('./ocr-pool.js');
  return pool;
};

/** Stops the OCR workers, if any started (they also stop by themselves a few seconds after the last page). */
export async function closeOcr(): Promise<void> {
  if (pool) await (await pool).closeOcrPool();
}
