import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LoadError } from '../load-error.js';
import { readCachedPage } from '../ocr/ocr-cache.js';
import type { RawImage } from '../ocr/ocr-image.js';
import type { OcrJob } from '../ocr/ocr-pages.js';
import type { Loader, LoaderInput, SourceDocument } from '../types.js';
import { BlockText } from './block-text.js';
import { unifyIdeographs } from './cjk-ideographs.js';
import { sha256Hex } from './decode.js';
import { addParagraphs, type PositionedPage, runsToLines, type TextRun } from './page-layout.js';
import { plural } from './source-document.js';

// pdf.js, sharp and tesseract.js load on the first PDF, not with every command that imports the loaders.
const unpdf = () => import('unpdf');
type PdfDocument = Awaited<ReturnType<Awaited<ReturnType<typeof unpdf>>['getDocumentProxy']>>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** Chinese CMaps for fonts that are not embedded (see vendor/pdf-cmaps/README.md). */
const CMAPS = fileURLToPath(new URL('../../../vendor/pdf-cmaps/', import.meta.url));

/** A page with fewer visible characters than this and an image or drawn glyphs is a scan. */
const MIN_TEXT_CHARS = 20;
/** Path-drawing operations above which a page without text is taken to be glyphs drawn as paths. */
const MIN_PATH_OPS = 50;

interface PageScan {
  page: number;
  chars: number;
  /** The largest image on the page, if any. */
  image: { key: string; common: boolean } | null;
  paths: number;
  /** Recognised before: in the OCR cache. */
  cached?: boolean;
}

async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  if (!/%PDF-/.test(Buffer.from(bytes.subarray(0, 1024)).toString('latin1'))) {
    throw new LoadError('corrupt', 'corrupt PDF: no PDF header');
  }
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: pass a copy.
    const { getDocumentProxy } = await unpdf();
    return await getDocumentProxy(new Uint8Array(bytes), {
      cMapUrl: CMAPS,
      cMapPacked: true,
      verbosity: 0,
      isEvalSupported: false,
    });
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'PasswordException') throw new LoadError('password-protected', 'password-protected PDF');
    if (name === 'InvalidPDFException') throw new LoadError('corrupt', 'corrupt PDF: invalid structure');
    throw new LoadError('corrupt', `corrupt PDF: ${(error as Error)?.message ?? 'cannot be parsed'}`);
  }
}

/** Text runs of a page, in viewport coordinates (y downwards). */
async function pageRuns(page: PdfPage): Promise<{ runs: TextRun[]; width: number; height: number }> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const runs: TextRun[] = [];
  for (const item of content.items) {
    if (!('str' in item) || !item.str) continue;
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform as number[];
    const [x, y] = viewport.convertToViewportPoint(e, f) as [number, number];
    const size = Math.hypot(c, d) || Math.hypot(a, b) || item.height;
    runs.push({ text: unifyIdeographs(item.str), x, y, width: item.width, size });
  }
  return { runs, width: viewport.width, height: viewport.height };
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** Share of the page an image must cover to be the page's scan (not a logo, QR code or photo). */
const MIN_SCAN_COVER = 0.3;

/** Images (with the share of the page each covers, from the current transform) and path drawing of a page. */
async function scanPage(page: PdfPage, pageNumber: number, chars: number): Promise<PageScan> {
  const { OPS } = await (await unpdf()).getResolvedPDFJS();
  const ops = await page.getOperatorList();
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
  const pageArea = Math.abs((x1 - x0) * (y1 - y0)) || 1;
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  let paths = 0;
  let image: PageScan['image'] = null;
  let best = 0;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.constructPath) paths++;
    else if (fn === OPS.paintImageXObject) {
      // An image fills the unit square of the current transform.
      const cover = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) / pageArea;
      const key = args[0] as string;
      if (cover >= MIN_SCAN_COVER && cover > best) {
        best = cover;
        image = { key, common: key.startsWith('g_') };
      }
    }
  }
  return { page: pageNumber, chars, image, paths };
}

/** Pixels of an image XObject as pdf.js decoded it (1-bit images unpacked to grey). */
async function pageImage(page: PdfPage, ref: { key: string; common: boolean }): Promise<RawImage> {
  const objs = ref.common ? page.commonObjs : page.objs;
  const img = (await new Promise((resolve) => objs.get(ref.key, resolve))) as {
    width: number;
    height: number;
    kind: number;
    data?: Uint8ClampedArray;
  } | null;
  if (!img?.data) throw new LoadError('unreadable', `page ${page.pageNumber}: image cannot be decoded`);
  const { width, height, data } = img;
  if (img.kind === 1) {
    // GRAYSCALE_1BPP: rows padded to whole bytes, 1 = white.
    const rowBytes = (width + 7) >> 3;
    const grey = new Uint8Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        grey[y * width + x] = ((data[y * rowBytes + (x >> 3)] as number) >> (7 - (x & 7))) & 1 ? 255 : 0;
    return { data: grey, width, height, channels: 1, dpi: dpiOf(page, width) };
  }
  const channels = data.length / (width * height);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new LoadError('unreadable', `page ${page.pageNumber}: unsupported image layout`);
  }
  return { data, width, height, channels, dpi: dpiOf(page, width) };
}

/** Resolution of a page-filling image: its pixels over the page width in inches. */
function dpiOf(page: PdfPage, pixels: number): number {
  const [x0 = 0, , x1 = 0] = page.view;
  const inches = Math.abs(x1 - x0) / 72;
  return inches > 0 ? Math.round(pixels / inches) : 200;
}

const pdftoppm = promisify(execFile);

/** Renders a page with poppler's `pdftoppm` when it is installed (for glyphs drawn as paths); else null. */
async function renderWithPoppler(path: string, pageNumber: number): Promise<Buffer | null> {
  try {
    const { stdout } = await pdftoppm(
      'pdftoppm',
      // In colour, so a red seal can be dropped like in any other image.
      ['-r', '200', '-png', '-f', String(pageNumber), '-l', String(pageNumber), path],
      { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
    );
    return stdout.length > 0 ? stdout : null;
  } catch {
    return null;
  }
}

/**
 * PDF through unpdf (pdf.js): the text layer's lines rejoined into paragraphs by position (page-layout.ts),
 * running headers, footers and page numbers dropped, radicals mapped to ideographs. Pages without a usable
 * text layer (a scan, or glyphs drawn as paths) are OCR'd page by page, so the other pages keep their text.
 */
export const pdfLoader: Loader = {
  extensions: ['.pdf'],
  async load({ id, path, bytes, options }: LoaderInput): Promise<SourceDocument> {
    const contentHash = sha256Hex(bytes);
    const pdf = await openPdf(bytes);
    try {
      const pages: PositionedPage[] = [];
      const scans: PageScan[] = [];
      for (let n = 1; n <= pdf.numPages; n++) {
        const page = await pdf.getPage(n);
        const { runs, width, height } = await pageRuns(page);
        const chars = runs.reduce((sum, r) => sum + r.text.replace(/\s/g, '').length, 0);
        if (chars < MIN_TEXT_CHARS) {
          // A page recognised before needs no look at its images (pdf.js decodes them for that).
          if (options.ocr && (await readCachedPage(options.cacheDir, contentHash, n))) {
            scans.push({ page: n, chars, image: null, paths: 0, cached: true });
            continue;
          }
          const scan = await scanPage(page, n, chars);
          if (scan.image || scan.paths >= MIN_PATH_OPS) {
            scans.push(scan);
            continue;
          }
        }
        pages.push({ page: n, width, height, lines: runsToLines(runs) });
      }
      const doc: SourceDocument = { id, path, format: 'pdf', text: '', contentHash };
      const unread: number[] = [];
      if (scans.length > 0 && !options.ocr) {
        if (pages.every((p) => p.lines.length === 0)) {
          const what = scans.every((s) => s.image) ? 'scanned PDF' : 'PDF';
          throw new LoadError(
            'needs-ocr',
            `${what} with no text layer (${plural(scans.length, 'page')}): needs OCR (POLICYBOT_OCR is off)`,
          );
        }
        unread.push(...scans.map((s) => s.page));
      } else if (scans.length > 0) {
        const jobs: OcrJob[] = [];
        for (const scan of scans) {
          const image = scan.image;
          if (scan.cached) {
            jobs.push({
              page: scan.page,
              image: () => Promise.reject(new Error('cached page not in the cache')),
            });
            continue;
          }
          if (image) {
            jobs.push({ page: scan.page, image: async () => pageImage(await pdf.getPage(scan.page), image) });
            continue;
          }
          const png = await renderWithPoppler(path, scan.page);
          if (!png) {
            unread.push(scan.page);
            continue;
          }
          jobs.push({
            page: scan.page,
            image: async () => (await import('../ocr/ocr-image.js')).decodeImagePage(png, 1),
          });
        }
        if (jobs.length > 0) {
          const { recognisePages } = await import('../ocr/ocr-pages.js');
          const { pages: ocrPages, stats } = await recognisePages(contentHash, jobs, options);
          pages.push(...ocrPages);
          pages.sort((a, b) => a.page - b.page);
          doc.ocr = stats;
        }
      }
      if (unread.length > 0) {
        unread.sort((a, b) => a - b);
        doc.unreadPages = unread;
        if (pages.every((p) => p.lines.length === 0)) {
          throw new LoadError(
            'needs-ocr',
            `PDF whose text is drawn as paths (${plural(unread.length, 'page')}): needs OCR, which needs poppler's pdftoppm to render them`,
          );
        }
      }
      const out = new BlockText();
      addParagraphs(pages, out);
      doc.text = out.toString();
      doc.blocks = out.blocks;
      return doc;
    } finally {
      await pdf.destroy();
    }
  },
};
