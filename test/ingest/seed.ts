import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { textLoader } from '../../src/ingest/loaders/text-loader.js';
import type { SourceDocument } from '../../src/ingest/types.js';

/** The seed newspaper page shipped in corpus/. */
export const SEED_PATH = fileURLToPath(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function loadSeed(): SourceDocument {
  return textLoader.load(SEED_PATH, readFileSync(SEED_PATH)) as SourceDocument;
}
