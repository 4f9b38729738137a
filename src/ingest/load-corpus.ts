import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { CorpusError, ErrorCode } from '../errors/index.js';
import { LoadError } from './load-error.js';
import { sha256Hex } from './loaders/decode.js';
import { DEFAULT_LOADERS, loaderFor, SUPPORTED_EXTENSIONS } from './loaders/index.js';
import { readSidecar, SIDECAR_SUFFIX } from './sidecar.js';
import type { Loader, LoaderOptions, LoadFailure, SourceDocument } from './types.js';

/** README files document the corpus; they are not part of it. Sidecars describe the file next to them. */
const isSkipped = (name: string): boolean =>
  name.startsWith('.') || /^readme(\.|$)/i.test(name) || name.toLowerCase().endsWith(SIDECAR_SUFFIX);

export const DEFAULT_LOADER_OPTIONS: LoaderOptions = { ocr: true, cacheDir: null };

export interface CorpusLoad {
  documents: SourceDocument[];
  /**
   * Files not read because their content hash is one the caller already has (`LoadCorpusOptions.unchanged`), in
   * path order like `documents`; always empty without that option.
   */
  unchanged: UnchangedFile[];
  /** Files that could not be read, with the reason; they never stop the others. */
  failures: LoadFailure[];
}

/** A corpus file whose bytes (and sidecar) hash to what the caller has indexed: not decoded again. */
export interface UnchangedFile {
  id: string;
  /** Relative to the corpus, as in `SourceDocument.path`. */
  path: string;
  contentHash: string;
}

export interface LoadCorpusOptions {
  loaders?: readonly Loader[];
  loader?: LoaderOptions;
  /** Called once per file, after it was read (or failed). */
  onFile?: (done: number, total: number, path: string) => void;
  /**
   * Whether the caller already holds document `id` with this content hash (sha256 of the bytes, with the sidecar's):
   * such a file is hashed but not decoded, and listed in `unchanged` (an incremental index update).
   */
  unchanged?: (id: string, contentHash: string) => boolean;
}

async function listFiles(dir: string, failures: LoadFailure[]): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (isSkipped(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      try {
        files.push(...(await listFiles(path, failures)));
      } catch (error) {
        failures.push({ path, reason: 'unreadable', message: `folder cannot be read (${errnoOf(error)})` });
      }
    } else if (entry.isFile()) files.push(path);
  }
  return files;
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? 'error';
}

/**
 * Ids are the path relative to the corpus without the extension ("sub/name"); when two files share that stem
 * ("x.txt" and "x.md") each keeps its extension ("x.txt", "x.md") so ids — and chunk ids — stay unique.
 */
export function documentIds(relPaths: readonly string[]): Map<string, string> {
  const stem = (p: string) => p.slice(0, p.length - extname(p).length);
  const count = new Map<string, number>();
  for (const p of relPaths) count.set(stem(p), (count.get(stem(p)) ?? 0) + 1);
  return new Map(relPaths.map((p) => [p, (count.get(stem(p)) ?? 0) > 1 ? p : stem(p)]));
}

/** The failure record for an error thrown while reading `path`. */
export function failureOf(path: string, error: unknown): LoadFailure {
  if (error instanceof LoadError) return { path, reason: error.reason, message: error.message };
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return { path, reason: 'unreadable', message: `cannot be read: ${detail}` };
}

/**
 * Loads one file with the loader for its extension.
 * @throws LoadError with the reason when the file cannot be read or its format is not supported.
 */
export async function loadDocument(
  path: string,
  id: string,
  options: LoadCorpusOptions = {},
): Promise<SourceDocument> {
  const loaders = options.loaders ?? DEFAULT_LOADERS;
  const loader = loaderFor(path, loaders);
  if (!loader) {
    throw new LoadError(
      'unsupported-format',
      `unsupported format ${extname(path) || '(no extension)'}; supported: ${SUPPORTED_EXTENSIONS.join(' ')}`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new LoadError('unreadable', `cannot be read (${errnoOf(error)})`, { cause: error });
  }
  if (bytes.length === 0) throw new LoadError('empty', 'empty file');
  const doc = await loader.load({ id, path, bytes, options: options.loader ?? DEFAULT_LOADER_OPTIONS });
  if (doc.text.trim().length === 0 && !doc.unreadPages?.length) throw new LoadError('empty', 'no text');
  const sidecar = await readSidecar(path);
  if (!sidecar) return doc;
  const contentHash = withSidecar(doc.contentHash, sidecar);
  return { ...doc, contentHash, stated: { ...doc.stated, ...sidecar }, statedOrigin: 'sidecar' };
}

/** The sidecar is part of what the document is: adding or editing one makes the index stale. */
function withSidecar(contentHash: string, sidecar: unknown): string {
  return `${contentHash}+meta:${sha256Hex(new TextEncoder().encode(JSON.stringify(sidecar))).slice(0, 16)}`;
}

/**
 * The content hash `loadDocument` would give `path` (every loader hashes the raw bytes), computed without decoding
 * it; null when the file cannot be read or is empty (then `loadDocument` says why).
 */
async function rawContentHash(path: string): Promise<string | null> {
  const bytes = await readFile(path).catch(() => null);
  if (!bytes || bytes.length === 0) return null;
  let sidecar: unknown;
  try {
    sidecar = await readSidecar(path);
  } catch {
    return null; // an invalid sidecar: loadDocument reports it
  }
  const hash = sha256Hex(bytes);
  return sidecar ? withSidecar(hash, sidecar) : hash;
}

/**
 * Loads every file under `dir` (recursively, skipping hidden files, READMEs and sidecars), sorted by path.
 * A file that cannot be read becomes a `LoadFailure` and the others go on.
 * @throws CorpusError(CorpusUnreadable) when the directory itself cannot be read,
 *         CorpusError(CorpusEmpty) when no document could be read (naming the supported formats).
 */
export async function loadCorpus(dir: string, options: LoadCorpusOptions = {}): Promise<CorpusLoad> {
  const failures: LoadFailure[] = [];
  let files: string[];
  try {
    files = await listFiles(dir, failures);
  } catch (error) {
    throw new CorpusError(ErrorCode.CorpusUnreadable, `Cannot read corpus directory ${dir}`, {
      cause: error,
    });
  }
  const rel = (f: string) => relative(dir, f).split(sep).join('/');
  files.sort((a, b) => (rel(a) < rel(b) ? -1 : rel(a) > rel(b) ? 1 : 0));
  const ids = documentIds(files.map(rel));
  const documents: SourceDocument[] = [];
  const unchanged: UnchangedFile[] = [];
  for (const [i, file] of files.entries()) {
    const id = ids.get(rel(file)) ?? rel(file);
    if (options.unchanged) {
      const hash = await rawContentHash(file);
      if (hash !== null && options.unchanged(id, hash)) {
        unchanged.push({ id, path: rel(file), contentHash: hash });
        options.onFile?.(i + 1, files.length, rel(file));
        continue;
      }
    }
    try {
      const doc = await loadDocument(file, id, options);
      // Paths relative to the corpus: what `documents` and `/api/documents` show, never this machine's layout.
      documents.push({ ...doc, path: rel(file) });
    } catch (error) {
      failures.push(failureOf(rel(file), error));
    }
    options.onFile?.(i + 1, files.length, rel(file));
  }
  if (documents.length === 0 && unchanged.length === 0) {
    const why = failures.length > 0 ? ` (${failures.length} file(s) could not be read)` : '';
    // Say why each file could not be read (a scan with OCR off, a password): the fix depends on it.
    const shown = 10;
    const list = failures
      .slice(0, shown)
      .map((f) => `\n  ${f.path}: ${f.message}`)
      .join('');
    const more = failures.length > shown ? `\n  … and ${failures.length - shown} more` : '';
    throw new CorpusError(
      ErrorCode.CorpusEmpty,
      `No readable document in ${dir}${why}; supported formats: ${SUPPORTED_EXTENSIONS.join(' ')}${list}${more}`,
    );
  }
  return { documents, unchanged, failures };
}
