import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CorpusError, ErrorCode } from '../errors/index.js';
import { DEFAULT_LOADERS, loaderFor } from './loaders/index.js';
import type { Loader, SourceDocument } from './types.js';

/** README files document the corpus; they are not part of it. */
const isSkipped = (name: string): boolean => name.startsWith('.') || /^readme(\.|$)/i.test(name);

async function listFiles(dir: string, loaders: readonly Loader[]): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (isSkipped(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path, loaders)));
    else if (entry.isFile() && loaderFor(path, loaders)) files.push(path);
  }
  return files;
}

/**
 * Loads one file with the loader for its extension.
 * @throws CorpusError(CorpusUnreadable) when the file cannot be read or its format is not supported.
 */
export async function loadDocument(
  path: string,
  loaders: readonly Loader[] = DEFAULT_LOADERS,
): Promise<SourceDocument> {
  const loader = loaderFor(path, loaders);
  if (!loader) throw new CorpusError(ErrorCode.CorpusUnreadable, `No loader for ${path}`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CorpusError(ErrorCode.CorpusUnreadable, `Cannot read ${path}`, { cause: error });
  }
  return loader.load(path, bytes);
}

/**
 * Loads every supported file under `dir` (recursively, skipping hidden files and READMEs), sorted by path.
 * Ids come from file names; files in sub-folders are prefixed with their folder ("sub/name") so ids stay unique.
 * @throws CorpusError(CorpusUnreadable) when the directory cannot be read,
 *         CorpusError(CorpusEmpty) when it holds no supported document.
 */
export async function loadCorpus(
  dir: string,
  loaders: readonly Loader[] = DEFAULT_LOADERS,
): Promise<SourceDocument[]> {
  let files: string[];
  try {
    files = await listFiles(dir, loaders);
  } catch (error) {
    throw new CorpusError(ErrorCode.CorpusUnreadable, `Cannot read corpus directory ${dir}`, {
      cause: error,
    });
  }
  if (files.length === 0) {
    throw new CorpusError(ErrorCode.CorpusEmpty, `No .txt or .md documents found in ${dir}`);
  }
  const rel = (f: string) => relative(dir, f).split(sep).join('/');
  files.sort((a, b) => (rel(a) < rel(b) ? -1 : rel(a) > rel(b) ? 1 : 0));
  const docs: SourceDocument[] = [];
  for (const file of files) {
    const doc = await loadDocument(file, loaders);
    const folder = rel(file).split('/').slice(0, -1).join('/');
    docs.push(folder ? { ...doc, id: `${folder}/${doc.id}` } : doc);
  }
  return docs;
}
