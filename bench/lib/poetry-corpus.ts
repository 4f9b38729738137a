import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blankMeta } from '../../src/ingest/metadata/detect-metadata.js';
import type { Chunk, Paragraph, StructuredDocument } from '../../src/types.js';
import type { SeedCorpus } from './seed-corpus.js';

const MIN_CHUNK_CHARS = 150;
const MAX_CHUNK_CHARS = 300;

interface Poem {
  title?: string;
  rhythmic?: string;
  paragraphs?: string[];
}

/** The `chinese-poetry` files used, in this order: Song ci (simplified), then Tang and Song shi (traditional). */
async function poetryFiles(root: string): Promise<string[]> {
  const byNumber = (prefix: string) => (names: string[]) =>
    names
      .filter((n) => n.startsWith(prefix) && /\.\d+\.json$/.test(n))
      .sort((a, b) => Number(a.match(/(\d+)\.json$/)?.[1]) - Number(b.match(/(\d+)\.json$/)?.[1]));
  const songci = byNumber('ci.song.')(await readdir(join(root, 'songci'))).map((n) =>
    join(root, 'songci', n),
  );
  const qts = await readdir(join(root, 'quantangshi'));
  const tang = byNumber('poet.tang.')(qts).map((n) => join(root, 'quantangshi', n));
  const song = byNumber('poet.song.')(qts).map((n) => join(root, 'quantangshi', n));
  return [...songci, ...tang, ...song];
}

/**
 * A realistic haystack: real, varied Chinese text from the `chinese-poetry` package packed into `count`
 * chunks of 150–300 characters (whole poems, a long poem cut at 300), one document per source file, in a
 * fixed order; then the seed corpus's documents and chunks appended after them (ordinals continue), so
 * dev-qa questions must find their evidence among `count` distractors.
 */
export async function makePoetryHaystack(root: string, count: number, seed: SeedCorpus): Promise<SeedCorpus> {
  const documents: StructuredDocument[] = [];
  const chunks: Chunk[] = [];
  for (const file of await poetryFiles(root)) {
    if (chunks.length >= count) break;
    const poems = JSON.parse(await readFile(file, 'utf8')) as Poem[];
    const docId = `poetry-${file
      .split('/')
      .slice(-2)
      .join('-')
      .replace(/\.json$/, '')}`;
    const docTitle = file.includes('songci') ? '全宋词' : '全唐诗';
    const parts: string[] = [];
    const paragraphs: Paragraph[] = [];
    let offset = 0;
    let text = '';
    let title = '';
    const flush = () => {
      if (!text || chunks.length >= count) return;
      const start = offset;
      const end = start + text.length;
      parts.push(text);
      offset = end + 2;
      const index = paragraphs.length;
      paragraphs.push({
        index,
        kind: 'body',
        start,
        end,
        part: 0,
        section: null,
        numbering: null,
        page: null,
      });
      chunks.push({
        id: `${docId}#${index}`,
        ordinal: chunks.length,
        docId,
        docTitle,
        partTitle: title,
        issuer: null,
        issuerFull: null,
        docNumber: null,
        date: null,
        region: null,
        sectionPath: [],
        section: null,
        paragraphIndex: index,
        start,
        end,
        text,
      });
      text = '';
      title = '';
    };
    for (const poem of poems) {
      if (chunks.length >= count) break;
      const poemTitle = poem.title ?? poem.rhythmic ?? '';
      let body = `${poemTitle}：${(poem.paragraphs ?? []).join('')}`;
      while (body.length > 0 && chunks.length < count) {
        if (!title) title = poemTitle;
        const room = MAX_CHUNK_CHARS - text.length;
        text += body.slice(0, room);
        body = body.slice(room);
        if (text.length >= MIN_CHUNK_CHARS) flush();
      }
    }
    flush();
    if (parts.length === 0) continue;
    const cleanedText = parts.join('\n\n');
    documents.push({
      id: docId,
      sourcePath: file,
      meta: blankMeta(docTitle),
      cleanedText,
      contentHash: docId,
      paragraphs,
      parts: [{ index: 0, kind: 'main', title: docTitle, issuer: null, start: 0, end: cleanedText.length }],
      sections: [],
    });
  }
  const base = chunks.length;
  for (const chunk of seed.chunks) chunks.push({ ...chunk, ordinal: base + chunk.ordinal });
  documents.push(...seed.documents);
  return { documents, chunks };
}

/** The benchmark-only corpus is not a dependency (350 MB): it is fetched on first use into this folder. */
export const POETRY_PACKAGE = 'chinese-poetry@2.0.1';

/** `dist/` of the cached `chinese-poetry` package under `cacheDir`, or null when it is not there yet. */
export function cachedPoetryDir(cacheDir: string): string | null {
  const dir = join(cacheDir, 'node_modules', 'chinese-poetry', 'dist');
  return existsSync(dir) ? dir : null;
}

/**
 * The `chinese-poetry` data, installed with `npm install --no-save` into `cacheDir` when missing (one
 * download of ~350 MB from the npm registry, announced through `log`). Throws when npm fails.
 */
export function ensurePoetryCorpus(cacheDir: string, log: (line: string) => void): string {
  const cached = cachedPoetryDir(cacheDir);
  if (cached) return cached;
  log(`  fetching ${POETRY_PACKAGE} (~350 MB, benchmark only) into ${cacheDir} …`);
  mkdirSync(cacheDir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--prefix',
      cacheDir,
      POETRY_PACKAGE,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const dir = cachedPoetryDir(cacheDir);
  if (result.status !== 0 || !dir) {
    throw new Error(`could not install ${POETRY_PACKAGE} into ${cacheDir} (npm exited ${result.status})`);
  }
  return dir;
}
