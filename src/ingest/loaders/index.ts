import { extname } from 'node:path';
import type { Loader } from '../types.js';
import { docLoader } from './doc-loader.js';
import { docxLoader } from './docx-loader.js';
import { htmlLoader } from './html-loader.js';
import { imageLoader } from './image-loader.js';
import { markdownLoader } from './markdown-loader.js';
import { ofdLoader } from './ofd-loader.js';
import { pdfLoader } from './pdf-loader.js';
import { textLoader } from './text-loader.js';

export { docLoader } from './doc-loader.js';
export { docxLoader } from './docx-loader.js';
export { htmlLoader } from './html-loader.js';
export { imageLoader } from './image-loader.js';
export { markdownLoader, markdownToText, stripInlineMarkdown } from './markdown-loader.js';
export { ofdLoader } from './ofd-loader.js';
export { pdfLoader } from './pdf-loader.js';
export { textLoader } from './text-loader.js';

/** Every format the corpus may hold; add a loader here to support a new one. */
export const DEFAULT_LOADERS: readonly Loader[] = [
  textLoader,
  markdownLoader,
  htmlLoader,
  pdfLoader,
  docxLoader,
  docLoader,
  ofdLoader,
  imageLoader,
];

/** Extensions the default loaders read, for messages ("supported formats: .txt .md …"). */
export const SUPPORTED_EXTENSIONS: readonly string[] = DEFAULT_LOADERS.flatMap((l) => l.extensions);

/** The loader for a file, by extension (case-insensitive), or undefined when the format is not supported. */
export function loaderFor(path: string, loaders: readonly Loader[] = DEFAULT_LOADERS): Loader | undefined {
  const ext = extname(path).toLowerCase();
  return loaders.find((l) => l.extensions.includes(ext));
}
