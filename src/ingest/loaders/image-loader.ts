import { LoadError } from '../load-error.js';
import type { OcrJob } from '../ocr/ocr-pages.js';
import type { Loader, LoaderInput, SourceDocument } from '../types.js';
import { BlockText } from './block-text.js';
import { sha256Hex } from './decode.js';
import { addParagraphs } from './page-layout.js';
import { plural } from './source-document.js';

/**
 * Scanned or photographed pages (.png, .jpg, .tif — multi-page TIFF faxes page by page): decoded with sharp
 * (already installed for the embedding stack), red seals dropped, recognised by OCR, laid out like PDF text.
 */
export const imageLoader: Loader = {
  extensions: ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp'],
  async load({ id, path, bytes, options }: LoaderInput): Promise<SourceDocument> {
    const { decodeImagePage, imagePages } = await import('../ocr/ocr-image.js');
    let pages: number;
    try {
      pages = await imagePages(bytes);
    } catch (error) {
      throw new LoadError('corrupt', 'corrupt image: cannot be decoded', { cause: error });
    }
    if (!options.ocr) {
      throw new LoadError('needs-ocr', `image (${plural(pages, 'page')}): needs OCR (POLICYBOT_OCR is off)`);
    }
    const contentHash = sha256Hex(bytes);
    const jobs: OcrJob[] = Array.from({ length: pages }, (_, i) => ({
      page: i + 1,
      image: () => decodeImagePage(bytes, i + 1),
    }));
    const { recognisePages } = await import('../ocr/ocr-pages.js');
    const result = await recognisePages(contentHash, jobs, options);
    const out = new BlockText();
    addParagraphs(result.pages, out);
    return {
      id,
      path,
      format: 'image',
      text: out.toString(),
      contentHash,
      blocks: out.blocks,
      ocr: result.stats,
    };
  },
};
