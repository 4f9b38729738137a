/**
 * The incremental-update benchmark (worker mode `incremental`): one document of about ten pages added to, then
 * changed in, then removed from a scale index built by `build`, each published as a new snapshot the way
 * `policybot index` does it: the same `writeSnapshot` (src/index/build-index.ts) that `ensureIndex` calls after
 * reading the corpus. Each step's parts are timed. The steps run on a hard-linked copy of the scale index (turned
 * into a snapshot first, as any earlier `policybot index` leaves it), so that `--reuse` can run them again.
 */
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LibraryEntry, writeSnapshot } from '../src/index/build-index.js';
import { describeIndexFiles } from '../src/index/integrity.js';
import { loadIndex, openManifest } from '../src/index/load-index.js';
import { INDEX_FILES } from '../src/index/manifest.js';
import { adoptLegacyLayout, publishSnapshot, removeLegacyFiles } from '../src/index/snapshots.js';
import { analyzeQuery } from '../src/keyword/translate.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { type EmbedderSpec, makeEmbedder } from './lib/embedders.js';
import { loadSeedCorpus } from './lib/seed-corpus.js';
import { round } from './lib/stats.js';
import type { BuildOutput } from './worker.js';

export interface IncrementalArgs {
  /** A scale index built by the `build` worker (older single-folder layout). */
  dir: string;
  embedder: EmbedderSpec;
  /** The document added: a real policy document of about ten pages. */
  documentFile: string;
  chunking: { size: number; overlap: number };
  scratch: string;
}

export interface IncrementalStep {
  step: 'added' | 'changed' | 'removed';
  totalMs: number;
  /** Reading the previous snapshot's documents and chunks. */
  readMs: number;
  assembleMs: number;
  embedMs: number;
  vectorsMs: number;
  keywordMs: number;
  writeMs: number;
  checksumMs: number;
  publishMs: number;
  mode: string;
  embeddedChunks: number;
  chunks: number;
  tombstones: number;
  /** A phrase only the step's document holds is found (added, changed) or no longer found (removed). */
  verified: boolean;
}

export interface IncrementalOutput {
  documentChunks: number;
  documentChars: number;
  steps: IncrementalStep[];
}

export interface IncrementalRun {
  chunks: number;
  dimension: number;
  /** The full build of the same index, for comparison. */
  build: BuildOutput;
  output: IncrementalOutput;
  /** 1, 5 and 15-minute load averages when the section ended (the machine may be shared). */
  loadAverage: number[];
}

const logger = createSilentLogger();
const MARKER = '豫南茶旅融合示范带';

export async function runIncremental(args: IncrementalArgs): Promise<IncrementalOutput> {
  const { embedder } = await makeEmbedder(args.embedder, logger);
  await rm(args.scratch, { recursive: true, force: true });
  const original = join(args.scratch, 'original');
  const edited = join(args.scratch, 'edited');
  await mkdir(original, { recursive: true });
  await mkdir(edited, { recursive: true });
  const name = args.documentFile.split('/').at(-1) ?? 'document.txt';
  await copyFile(args.documentFile, join(original, name));
  const text = await readFile(args.documentFile, 'utf8');
  const middle = text.indexOf('\n', Math.floor(text.length / 2));
  await writeFile(
    join(edited, name),
    `${text.slice(0, middle)}\n全省新建${MARKER}十二条，带动沿线乡村旅游。\n${text.slice(middle)}`,
  );
  const first = await loadSeedCorpus(original, args.chunking);
  const second = await loadSeedCorpus(edited, args.chunking);
  const indexDir = await snapshotCopy(args.dir, join(args.scratch, 'index'));
  const base = (await openManifest(indexDir)).manifest.documents;
  const entries = (extra: Awaited<ReturnType<typeof loadSeedCorpus>> | null): LibraryEntry[] => [
    ...base.map((d) => ({
      id: d.id,
      contentHash: d.contentHash,
      make: () => {
        throw new Error(`unchanged document ${d.id} was not reused`);
      },
    })),
    ...(extra?.documents ?? []).map((document) => ({
      id: document.id,
      contentHash: document.contentHash,
      make: () => ({ document, chunks: extra?.chunks ?? [] }),
    })),
  ];
  const steps: IncrementalStep[] = [];
  try {
    const docId = first.documents[0]?.id ?? '';
    const own = first.chunks[Math.floor(first.chunks.length / 3)]?.text.slice(0, 16) ?? '';
    steps.push(await step(indexDir, 'added', entries(first), embedder, { docId, phrase: own }));
    steps.push(await step(indexDir, 'changed', entries(second), embedder, { docId, phrase: MARKER }));
    steps.push(await step(indexDir, 'removed', entries(null), embedder, { docId, phrase: MARKER }));
  } finally {
    await embedder.dispose();
    await rm(args.scratch, { recursive: true, force: true });
  }
  return {
    documentChunks: first.chunks.length,
    documentChars: first.documents[0]?.cleanedText.length ?? 0,
    steps,
  };
}

/**
 * An index folder at `to` whose current snapshot holds the files of the index `build` wrote in `from` (older
 * single-folder layout), hard-linked: the steps publish snapshots there and leave `from` as it is (for `--reuse`).
 * Not timed: it is the state a library is in after any earlier `policybot index`.
 */
async function snapshotCopy(from: string, to: string): Promise<string> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isFile() && entry.name !== 'build.json')
      await link(join(from, entry.name), join(to, entry.name));
  }
  const manifest = (await openManifest(to)).manifest;
  const snapshot = await adoptLegacyLayout(to);
  const files = await describeIndexFiles(snapshot.dir);
  await writeFile(join(snapshot.dir, INDEX_FILES.manifest), JSON.stringify({ ...manifest, files }));
  await publishSnapshot(to, snapshot);
  await removeLegacyFiles(to);
  return to;
}

async function step(
  indexDir: string,
  name: IncrementalStep['step'],
  entries: LibraryEntry[],
  embedder: Awaited<ReturnType<typeof makeEmbedder>>['embedder'],
  probe: { docId: string; phrase: string },
): Promise<IncrementalStep> {
  const started = performance.now();
  const opened = await openManifest(indexDir);
  const documents = entries.map((e) => ({
    id: e.id,
    path: opened.manifest.documents.find((d) => d.id === e.id)?.path ?? `${e.id}.txt`,
    contentHash: e.contentHash,
  }));
  const { manifest, timings } = await writeSnapshot({
    indexDir,
    from: opened,
    entries: async () => entries,
    embedder,
    emptyLabel: indexDir,
    manifest: (createdAt) => {
      const { counts: _counts, update: _update, files: _files, ...base } = opened.manifest;
      return {
        ...base,
        createdAt,
        fingerprint: `${opened.manifest.fingerprint}+${name}`,
        documents,
        buildMs: Math.round(performance.now() - started),
      };
    },
    logger,
  });
  const totalMs = round(performance.now() - started);

  const index = await loadIndex(indexDir);
  const hits = index.keyword.search(analyzeQuery(probe.phrase), 5);
  const inDocument = hits.some((h) => index.chunks[h.ordinal]?.docId === probe.docId);
  const verified =
    index.chunks.length === manifest.counts.chunks && (name === 'removed' ? !inDocument : inDocument);
  index.keyword.close();
  index.vectors?.close();
  return {
    step: name,
    totalMs,
    readMs: round(timings.read),
    assembleMs: round(timings.assemble),
    embedMs: round(timings.embed),
    vectorsMs: round(timings.vectors),
    keywordMs: round(timings.keyword),
    writeMs: round(timings.write),
    checksumMs: round(timings.checksums),
    publishMs: round(timings.publish),
    mode: manifest.update?.mode ?? 'full',
    embeddedChunks: manifest.update?.embeddedChunks ?? 0,
    chunks: manifest.counts.chunks,
    tombstones: manifest.update?.tombstones ?? 0,
    verified,
  };
}
