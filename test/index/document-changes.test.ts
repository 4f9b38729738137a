import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentChanges, documentsIndexedSince, stampIndexedAt } from '../../src/index/document-changes.js';
import type { IndexManifest } from '../../src/index/manifest.js';

const doc = (id: string, contentHash: string, indexedAt?: string) => ({
  id,
  path: `${id}.txt`,
  contentHash,
  ...(indexedAt ? { indexedAt } : {}),
});

describe('document changes between two manifests', () => {
  it('added, changed and removed, in manifest order', () => {
    const changes = documentChanges(
      [doc('a', '1'), doc('b', '1'), doc('c', '1')],
      [doc('a', '1'), doc('b', '2'), doc('d', '1')],
    );
    assert.deepEqual(changes, { added: ['d'], changed: ['b'], removed: ['c'] });
  });

  it('indexedAt: kept for unchanged content (the old createdAt for old manifests), now for new content', () => {
    const previous = {
      createdAt: '2026-01-01T00:00:00.000Z',
      documents: [doc('a', '1', '2025-06-01T00:00:00.000Z'), doc('b', '1')],
    } as IndexManifest;
    const now = '2026-12-02T00:00:00.000Z';
    const stamped = stampIndexedAt(
      previous,
      [doc('a', '1'), doc('b', '1'), doc('c', '1'), doc('a2', '9')],
      now,
    );
    assert.deepEqual(
      stamped.map((d) => d.indexedAt),
      ['2025-06-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', now, now],
    );
    const manifest = { createdAt: now, documents: stamped } as IndexManifest;
    assert.deepEqual(
      documentsIndexedSince(manifest, new Date('2026-12-01')).map((d) => d.id),
      ['c', 'a2'],
    );
    assert.equal(documentsIndexedSince(manifest, new Date('2020-01-01')).length, 4);
  });
});
