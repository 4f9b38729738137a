/**
 * A document set: which of the library's documents a channel sees, by folder, issuer, region or tag. Each field
 * given is a condition (a document must meet every one), and a field's values are alternatives (any one will
 * do): `{ "folders": ["energy"], "regions": ["浙江", "江苏"] }` is the energy folder's documents of 浙江 or 江苏.
 */
import { findRegions, type Region, regionByCode, regionWithin } from '../ingest/metadata/regions.js';
import type { DocumentInfo } from '../types.js';

export interface DocumentSetCriteria {
  /** Folders of the corpus, relative to it ("energy", "2024/provinces"): documents in them or below. */
  folders?: string[];
  /** Issuers, short or full name as the documents give them ("国家能源局", "科技司"). */
  issuers?: string[];
  /** Regions by name ("浙江", "浙江省", "台州市", "全国"): documents of that region or within it. */
  regions?: string[];
  /** Tags a document's metadata carries (front matter, sidecar). */
  tags?: string[];
}

/** Criteria with their regions looked up (done once, when the scopes file is read). */
export interface CompiledCriteria {
  criteria: DocumentSetCriteria;
  regions: Region[];
}

/** The region a name means ("浙江" → 浙江省), or null when it names none. */
export function regionNamed(name: string): Region | null {
  const trimmed = name.trim();
  const found = findRegions(trimmed);
  const whole = found.find((m) => m.text === trimmed);
  return whole?.region ?? null;
}

function normaliseFolder(folder: string): string {
  return folder.replace(/\\/gu, '/').replace(/^\.?\/+|\/+$/gu, '');
}

/** True when `doc` meets every condition of the set. */
export function inDocumentSet(compiled: CompiledCriteria, doc: DocumentInfo): boolean {
  const { criteria, regions } = compiled;
  if (criteria.folders && criteria.folders.length > 0) {
    const id = doc.id.replace(/\\/gu, '/');
    const ok = criteria.folders.map(normaliseFolder).some((f) => f === '' || id.startsWith(`${f}/`));
    if (!ok) return false;
  }
  if (criteria.issuers && criteria.issuers.length > 0) {
    const names = new Set(criteria.issuers.map((n) => n.trim()));
    if (!doc.meta.issuers.some((i) => names.has(i.short) || names.has(i.full))) return false;
  }
  if (criteria.regions && criteria.regions.length > 0) {
    const own = doc.meta.region ? regionByCode(doc.meta.region.code) : null;
    if (!own || !regions.some((r) => regionWithin(own, r))) return false;
  }
  if (criteria.tags && criteria.tags.length > 0) {
    const tags = new Set(doc.meta.tags);
    if (!criteria.tags.some((t) => tags.has(t.trim()))) return false;
  }
  return true;
}

/** The ids of the documents in the set, in library order. */
export function documentsInSet(compiled: CompiledCriteria, documents: readonly DocumentInfo[]): string[] {
  return documents.filter((d) => inDocumentSet(compiled, d)).map((d) => d.id);
}

/** "文件夹 energy；发文机关 国家能源局；地区 浙江" — what a set selects, for `/policy scope`. */
export function describeCriteria(criteria: DocumentSetCriteria, language: 'zh' | 'en'): string {
  const labels =
    language === 'zh'
      ? { folders: '文件夹', issuers: '发文机关', regions: '地区', tags: '标签', sep: '、', join: '；' }
      : { folders: 'folder', issuers: 'issuer', regions: 'region', tags: 'tag', sep: ', ', join: '; ' };
  const parts: string[] = [];
  for (const field of ['folders', 'issuers', 'regions', 'tags'] as const) {
    const values = criteria[field];
    if (values && values.length > 0) parts.push(`${labels[field]} ${values.join(labels.sep)}`);
  }
  return parts.join(labels.join);
}
