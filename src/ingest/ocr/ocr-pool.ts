import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import Tesseract from 'tesseract.js';

/**
 * A pool of tesseract.js workers (one WebAssembly Tesseract each, in worker threads) sized to the cores.
 * The Chinese model comes from the `@tesseract.js-data/chi_sim` npm package through `langPath`: nothing is
 * downloaded. Workers start on the first page and stop after a few idle seconds (or at `closeOcrPool`), so
 * a corpus without scans never pays for them and a finished `policybot index` exits.
 */

const require = createRequire(import.meta.url);
/** Tesseract's `chi_sim` (4.0.0 "tessdata": LSTM + legacy; we run the LSTM engine). Its unicharset also
 * holds Latin letters and digits, which is what English inside Chinese documents needs. */
const CHI_SIM: { langPath: string } = require('@tesseract.js-data/chi_sim');

const IDLE_MS = 3000;

export type OcrPage = Tesseract.Page;

class OcrPool {
  private scheduler: Promise<Tesseract.Scheduler> | null = null;
  private active = 0;
  private idle: NodeJS.Timeout | null = null;

  constructor(readonly size: number) {}

  /** Recognises one image (PNG/JPEG/PNM bytes) with block/line/word boxes. */
  async recognize(image: Buffer): Promise<OcrPage> {
    this.active++;
    if (this.idle) clearTimeout(this.idle);
    try {
      const scheduler = await this.start();
      const { data } = await scheduler.addJob('recognize', image, {}, { blocks: true, text: true });
      return data;
    } finally {
      this.active--;
      if (this.active === 0) {
        this.idle = setTimeout(() => void this.close(), IDLE_MS);
        this.idle.unref();
      }
    }
  }

  private start(): Promise<Tesseract.Scheduler> {
    this.scheduler ??= (async () => {
      const scheduler = Tesseract.createScheduler();
      const workers = await Promise.all(
        Array.from({ length: this.size }, () =>
          Tesseract.createWorker('chi_sim', Tesseract.OEM.LSTM_ONLY, {
            langPath: CHI_SIM.langPath,
            gzip: true,
            cacheMethod: 'none',
          }),
        ),
      );
      for (const worker of workers) scheduler.addWorker(worker);
      return scheduler;
    })();
    return this.scheduler;
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    const scheduler = this.scheduler;
    this.scheduler = null;
    if (scheduler) await (await scheduler).terminate();
  }
}

let pool: OcrPool | null = null;

/** The shared pool with `workers` workers (default: the number of cores); resized pools restart. */
export async function ocrPool(workers?: number): Promise<OcrPool> {
  const size = Math.max(1, workers ?? availableParallelism());
  if (pool && pool.size !== size) await pool.close();
  if (!pool || pool.size !== size) pool = new OcrPool(size);
  return pool;
}

/** Stops the OCR workers now (they also stop by themselves when idle). */
export async function closeOcrPool(): Promise<void> {
  await pool?.close();
  pool = null;
}
