import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LOADER_OPTIONS } from '../../src/ingest/load-corpus.js';
import { textLoader } from '../../src/ingest/loaders/text-loader.js';
import type { Loader, SourceDocument } from '../../src/ingest/types.js';

/** The seed newspaper page shipped in corpus/. */
export const SEED_PATH = fileURLToPath(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Runs one loader on a file (or on `bytes` given for it), with the id the corpus reader would give it. */
export async function loadWith(loader: Loader, path: string, bytes?: Uint8Array): Promise<SourceDocument> {
  const id = basename(path, extname(path));
  return loader.load({ id, path, bytes: bytes ?? readFileSync(path), options: DEFAULT_LOADER_OPTIONS });
}

export function loadSeed(): SourceDocument {
  const bytes = readFileSync(SEED_PATH);
  return textLoader.load({
    id: 'miit-2022-work-plans',
    path: SEED_PATH,
    bytes,
    options: DEFAULT_LOADER_OPTIONS,
  }) as SourceDocument;
}
