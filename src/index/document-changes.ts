/**
 * What an index build changed in the library, from the previous manifest's documents and the new ones: the
 * documents added, those whose content changed, and those removed. New-document digests (src/digest) start
 * from it; each manifest document also records when its current content was first indexed (`indexedAt`), so
 * `policybot digest --since DATE` can find what came in since a day.
 */
import type { IndexManifest } from './manifest.js';

export type ManifestDocument = IndexManifest['documents'][number];

export interface DocumentChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** Added, changed (same id, other content hash) and removed document ids, each in the order of its manifest. */
export function documentChanges(
  previous: readonly ManifestDocument[],
  next: readonly ManifestDocument[],
): DocumentChanges {
  const before = new Map(previous.map((d) => [d.id, d.contentHash]));
  const after = new Set(next.map((d) => d.id));
  return {
    added: next.filter((d) => !before.has(d.id)).map((d) => d.id),
    changed: next.filter((d) => before.has(d.id) && before.get(d.id) !== d.contentHash).map((d) => d.id),
    removed: previous.filter((d) => !after.has(d.id)).map((d) => d.id),
  };
}

/**
 * The new manifest's documents with `indexedAt`: kept from the previous manifest for unchanged content (or its
 * `createdAt` when that manifest predates the field), `now` for added and changed documents.
 */
export function stampIndexedAt<T extends { id: string; contentHash: string }>(
  previous: IndexManifest | null,
  next: readonly T[],
  now: string,
): (T & { indexedAt: string })[] {
  const before = new Map((previous?.documents ?? []).map((d) => [d.id, d]));
  return next.map((d) => {
    const old = before.get(d.id);
    const kept =
      old && old.contentHash === d.contentHash ? (old.indexedAt ?? previous?.createdAt) : undefined;
    return { ...d, indexedAt: kept ?? now };
  });
}

/** Documents whose current content was first indexed at or after `since`. */
export function documentsIndexedSince(manifest: IndexManifest, since: Date): ManifestDocument[] {
  return manifest.documents.filter((d) => {
    const at = Date.parse(d.indexedAt ?? manifest.createdAt);
    return Number.isFinite(at) && at >= since.getTime();
  });
}
