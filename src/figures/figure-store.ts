import { closeSync, openSync, writeSync } from 'node:fs';
import { groupBy } from '../internal/group-by.js';
import type { Figure, StructuredDocument } from '../types.js';
import { extractFigures } from './extract-figures.js';

/**
 * Bumped whenever extraction rules change what is extracted. An index whose figures file is older (or missing:
 * built before figures existed) gets its figures recomputed from the documents it stores, so no rebuild is needed.
 */
export const FIGURES_VERSION = 2;

export interface EncodedFigures {
  version: number;
  figures: Figure[];
}

/**
 * Writes `figures.json` a figure per line (still one JSON document): a million-chunk library's figures are
 * 800+ MB of JSON, more than one string may hold (`JSON.stringify` of them threw "Invalid string length").
 */
export class FiguresWriter {
  private readonly fd: number;
  private count = 0;
  private closed = false;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
    writeText(this.fd, `{"version":${FIGURES_VERSION},"figures":[\n`);
  }

  add(figures: readonly Figure[]): void {
    let piece = '';
    for (const figure of figures) {
      piece += `${this.count++ > 0 ? ',' : ''}${JSON.stringify(figure)}\n`;
      if (piece.length > 1 << 20) {
        writeText(this.fd, piece);
        piece = '';
      }
    }
    if (piece) writeText(this.fd, piece);
  }

  finish(): void {
    writeText(this.fd, ']}\n');
    this.abort();
  }

  /** Closes the file (after an error: the caller removes it). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Writes `encoded` as `FiguresWriter` does. */
export function writeFigures(file: string, encoded: EncodedFigures): void {
  const writer = new FiguresWriter(file);
  try {
    writer.add(encoded.figures);
    writer.finish();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/**
 * Reads what `FiguresWriter` (or an older single-line writer) wrote: parsed whole when small, a line at a time when
 * the file is too large for one string. Null when it is not a figures file.
 */
export function parseFigures(bytes: Buffer, wholeMaxBytes = 256 * 1024 * 1024): EncodedFigures | null {
  if (bytes.length < wholeMaxBytes) return JSON.parse(bytes.toString('utf8')) as EncodedFigures;
  const figures: Figure[] = [];
  let version: number | null = null;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const line = bytes.toString('utf8', start, end);
    start = end + 1;
    if (version === null) {
      const header = /^\{"version":(\d+),"figures":\[$/.exec(line);
      if (!header) return null;
      version = Number(header[1]);
    } else if (line.startsWith(']')) {
      break;
    } else if (line) {
      figures.push(JSON.parse(line.startsWith(',') ? line.slice(1) : line) as Figure);
    }
  }
  return version === null ? null : { version, figures };
}

function writeText(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
}

export function encodeFigures(documents: readonly StructuredDocument[]): EncodedFigures {
  return { version: FIGURES_VERSION, figures: documents.flatMap((d) => extractFigures(d)) };
}

/**
 * The figures of an updated library: those stored for the documents `reused` names (their text did not change),
 * extracted anew for the others, in document order. Everything is extracted when `previous` is of another version.
 */
export function updateFigures(
  previous: EncodedFigures | null,
  documents: readonly StructuredDocument[],
  reused: ReadonlySet<string>,
): EncodedFigures {
  if (previous?.version !== FIGURES_VERSION || !Array.isArray(previous.figures))
    return encodeFigures(documents);
  const kept = groupBy(
    previous.figures.filter((f) => reused.has(f.docId)),
    (f) => f.docId,
  );
  return {
    version: FIGURES_VERSION,
    figures: documents.flatMap((d) => (reused.has(d.id) ? (kept.get(d.id) ?? []) : extractFigures(d))),
  };
}

/** The stored figures when they are of this version and match the documents; otherwise extracted anew. */
export function decodeFigures(
  encoded: EncodedFigures | null,
  documents: readonly StructuredDocument[],
): Figure[] {
  if (encoded?.version === FIGURES_VERSION && Array.isArray(encoded.figures)) {
    const byId = new Map(documents.map((d) => [d.id, d]));
    const valid = encoded.figures.every(
      (f) => byId.get(f.docId)?.cleanedText.slice(f.start, f.end) === f.quote,
    );
    if (valid) return encoded.figures;
  }
  return encodeFigures(documents).figures;
}
